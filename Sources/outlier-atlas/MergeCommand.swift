import AtlasAnalysis
import AtlasResults
import ArgumentParser
import Foundation

/// `outlier-atlas merge`: combine shard results folders into one, equal to an unsharded run.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine the results folders of shards (build --shard, analyze --shard) into one.",
        discussion: """
        Results files are copied (a name present in two folders must hold the same result), the \
        unit caches and histories are united, and window-split partials (analyze --shard) are \
        merged through their mergeable statistics. Render the merged folder with `render`.
        Exit codes: 0 success, 2 usage or input error, 3 internal error.
        """)

    @Argument(help: "Shard results folders.")
    var folders: [String]

    @Option(name: .long, help: "Merged results folder (may be one of the inputs).")
    var out: String

    @Flag(name: .long, help: "Print a summary object on stdout.")
    var json = false

    func validate() throws {
        guard !folders.isEmpty else { throw ValidationError("give at least one results folder to merge") }
    }

    func run() throws {
        let summary = try ResultsMerge.merge(folders.map { URL(fileURLWithPath: $0) }, into: URL(fileURLWithPath: out))
        Progress("merge").note("merged \(summary.results.count) results into \(out)")
        if json {
            print(try NightlySummary.json([
                "results": summary.results.map(\.path), "cache_entries": summary.cacheEntries,
                "history_lines": summary.historyLines,
            ]))
        }
    }
}
