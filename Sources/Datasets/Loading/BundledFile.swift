import Foundation

/// The path of a file bundled with the package (`Resources/<folder>/<name>`, copied by SwiftPM).
func bundledFilePath(folder: String, name: String) throws -> String {
  guard let directory = Bundle.module.url(forResource: folder, withExtension: nil) else {
    throw DatasetError.missingResource(name: "\(folder)/\(name)")
  }
  return directory.appendingPathComponent(name).path
}
