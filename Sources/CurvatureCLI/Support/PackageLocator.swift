import Foundation

/// Finds the package root, to resolve paths documented relative to it.
enum PackageLocator {
  /// The first directory holding `Package.swift`, searching upwards from the working directory,
  /// then from this source file's location (correct for a binary run from its own build tree).
  static func packageRoot(sourceFile: String = #filePath) -> String? {
    let fm = FileManager.default
    let starts = [
      fm.currentDirectoryPath,
      URL(fileURLWithPath: sourceFile).deletingLastPathComponent().path,
    ]
    for start in starts {
      var dir = URL(fileURLWithPath: start).standardizedFileURL
      while true {
        if fm.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
          return dir.path
        }
        let parent = dir.deletingLastPathComponent()
        if parent.path == dir.path { break }
        dir = parent
      }
    }
    return nil
  }
}
