import Foundation
import PackagePlugin

/// Compiles a literate chapter: instead of `main.swift` itself (excluded from the target), the target
/// compiles a copy written by `literate-instrument`, with a `LessonCell.begin(n)` call at the start of
/// each `// %%` marker line and a `#sourceLocation` directive that keeps every diagnostic on the
/// original file and line.
///
/// The chapter's folder also holds `BuildAnchor.swift`, an empty source file: SwiftPM drops a target
/// whose only Swift file comes from a plugin (swiftlang/swift-package-manager#8061), and the anchor's
/// location tells this plugin where `main.swift` is.
@main
struct LiterateChapterPlugin: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
    guard let module = target as? SourceModuleTarget else { return [] }
    guard let anchor = module.sourceFiles.first(where: { $0.url.lastPathComponent == "BuildAnchor.swift" }) else {
      throw PluginError("target '\(target.name)' needs an empty BuildAnchor.swift beside its main.swift")
    }
    let source = anchor.url.deletingLastPathComponent().appendingPathComponent("main.swift")
    let output = context.pluginWorkDirectoryURL.appendingPathComponent("main.swift")
    return [
      .buildCommand(
        displayName: "Marking the cells of \(target.name)",
        executable: try context.tool(named: "literate-instrument").url,
        arguments: [source.path, output.path],
        inputFiles: [source],
        outputFiles: [output])
    ]
  }
}

/// A problem with a chapter target, reported by SwiftPM as the plugin's error.
struct PluginError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
