import ArgumentParser

/// The `outlier-atlas` command: analyze models, render the site, or both.
struct OutlierAtlas: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outlier-atlas",
        abstract: "Find where a language model's outliers are, why, and what they cost under quantization.",
        discussion: """
        Exit codes: 0 success, 1 regression (`check`), 2 usage or input error (one line on \
        stderr names the file and field), 3 internal error. Progress goes to stderr; --json \
        summaries to stdout.
        """,
        version: "outlier-atlas 0.3.0 (kernels: \(CPUPath.thisBuild))",
        subcommands: [AnalyzeCommand.self, RenderCommand.self, BuildCommand.self, InspectCommand.self,
                      InitCommand.self, CheckCommand.self, MergeCommand.self, ExportCommand.self])
}
