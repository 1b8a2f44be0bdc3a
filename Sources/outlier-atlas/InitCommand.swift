import AtlasAnalysis
import ArgumentParser
import Foundation

/// `outlier-atlas init`: write a commented example study file.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a commented example study file (never overwrites).",
        discussion: "Exit codes: 0 success, 2 the file exists or cannot be written.")

    @Argument(help: "Where to write it.")
    var path: String = "atlas.yaml"

    func run() throws {
        try StudyTemplate.write(to: URL(fileURLWithPath: path))
        Progress("init").note("wrote \(path); edit models and datasets, then run `outlier-atlas build \(path)`")
    }
}
