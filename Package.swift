// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "Curvature",
  products: [
    .library(name: "Curvature", targets: ["Curvature"]),
    .library(name: "CurvatureAutodiff", targets: ["CurvatureAutodiff"]),
    .library(name: "CurvatureProblems", targets: ["CurvatureProblems"]),
    .executable(name: "curvature", targets: ["curvature"]),
  ],
  traits: [
    .trait(
      name: "SystemLAPACK",
      description:
        "Dense products, symmetric rank-k updates, Cholesky and triangular solves call the system's OpenBLAS and LAPACKE (Debian: libopenblas-dev, liblapacke-dev) instead of the Swift kernels."
    )
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
  ],
  targets: [
    .target(
      name: "Curvature",
      dependencies: [
        .product(name: "RealModule", package: "swift-numerics"),
        .target(name: "CCurvatureLAPACK", condition: .when(traits: ["SystemLAPACK"])),
      ]
    ),
    .systemLibrary(
      name: "CCurvatureLAPACK", path: "Sources/CCurvatureLAPACK",
      providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),
    .target(
      name: "CurvatureAutodiff",
      dependencies: ["Curvature", .product(name: "RealModule", package: "swift-numerics")]),
    .target(
      name: "CurvatureProblems",
      dependencies: ["Curvature", .product(name: "RealModule", package: "swift-numerics")],
      exclude: ["Data/DIGITS-LICENSE.md"]),
    .target(
      name: "CurvatureCLI",
      dependencies: [
        "Curvature", "CurvatureAutodiff", "CurvatureProblems",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .executableTarget(name: "curvature", dependencies: ["CurvatureCLI"]),
    .testTarget(
      name: "CurvatureTests",
      dependencies: ["Curvature", .product(name: "RealModule", package: "swift-numerics")]),
    .testTarget(
      name: "CurvatureAutodiffTests",
      dependencies: ["Curvature", "CurvatureAutodiff", "CurvatureProblems"]),
    .testTarget(name: "CurvatureProblemsTests", dependencies: ["Curvature", "CurvatureProblems"]),
    .testTarget(
      name: "CurvatureCLITests", dependencies: ["CurvatureCLI"], resources: [.copy("Fixtures")]),
  ],
  swiftLanguageModes: [.v6]
)
