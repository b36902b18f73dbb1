// swift-tools-version: 6.1
// The MPI binding of Curvature, a package of its own so that the main package never needs MPI:
// its builds, tests and documentation check run on a bare toolchain, and only users of this
// package need an MPI implementation (Open MPI or MPICH with its headers, found by pkg-config).
import PackageDescription

let package = Package(
  name: "CurvatureMPI",
  products: [
    .library(name: "CurvatureMPI", targets: ["CurvatureMPI"]),
    .executable(name: "curvature-mpi", targets: ["curvature-mpi"]),
  ],
  dependencies: [
    // The main package by path. Its identity is the name of the folder two levels up, which
    // differs between clones; `name:` pins the name the targets below refer to.
    .package(name: "Curvature", path: "../.."),
    .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
  ],
  targets: [
    .systemLibrary(
      name: "CMPI", pkgConfig: "mpi",
      providers: [.apt(["libopenmpi-dev", "openmpi-bin"]), .brew(["open-mpi"])]),
    .target(
      name: "CurvatureMPI",
      dependencies: ["CMPI", .product(name: "Curvature", package: "Curvature")]),
    // Argument parsing for the two executables (not a product).
    .target(name: "CommandLineSupport"),
    .executableTarget(
      name: "curvature-mpi",
      dependencies: [
        "CurvatureMPI", "CommandLineSupport", .product(name: "Curvature", package: "Curvature"),
        .product(name: "CurvatureProblems", package: "Curvature"),
        .product(name: "CurvatureAutodiff", package: "Curvature"),
        .product(name: "RealModule", package: "swift-numerics"),
      ]),
    .executableTarget(
      name: "curvature-mpi-check",
      dependencies: [
        "CurvatureMPI", "CommandLineSupport", .product(name: "Curvature", package: "Curvature"),
        .product(name: "CurvatureProblems", package: "Curvature"),
        .product(name: "CurvatureAutodiff", package: "Curvature"),
      ]),
  ],
  swiftLanguageModes: [.v6]
)
