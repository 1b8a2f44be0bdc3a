import AtlasAnalysis
import AtlasModels
import AtlasResults
import AtlasSite
import ArgumentParser
import Foundation

/// `outlier-atlas build`: run a study's units through the cache, write results and history,
/// then render the site.
struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Analyze every model of a study file (cached), then render the site.",
        discussion: """
        Each unit (model × dataset) is keyed by the SHA-256 of what it depends on (model and data \
        file hashes, settings, tool version); a unit whose key is in <results>/.cache/units is not \
        recomputed. Every run appends one line per unit to <results>/history.jsonl. With --shard \
        i/N only units i, i+N, i+2N, … of the sorted unit list run and no site is rendered; \
        combine shard folders with `outlier-atlas merge`.
        Exit codes: 0 success, 2 usage or input error, 3 internal error.
        """)

    @Argument(help: "Study file.")
    var study: String = "atlas.yaml"

    @Option(name: .long, help: "OpenBLAS threads.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, help: "Run only this share of the units: i/N (0 ≤ i < N), round-robin over the sorted units.")
    var shard: Shard?

    @Option(name: .long, help: "Results folder (default: the study's output.results).")
    var results: String?

    @Option(name: .customLong("run-id"), help: "Names this run in history.jsonl (default: the SOURCE_DATE_EPOCH date, else run-<n>).")
    var runID: String?

    @Option(name: .long, help: "Git commit recorded in history.jsonl.")
    var commit: String?

    @Flag(name: .customLong("no-site"), help: "Write results and history only.")
    var noSite = false

    @Flag(name: .long, help: "Print a summary object on stdout (units, cache hits, files).")
    var json = false

    @OptionGroup var weightOptions: WeightOptions

    @Option(name: .long, help: .hidden)
    var killAt: KillPoint?

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, found \(threads)") }
    }

    /// Where the hidden `--kill-at` makes the process SIGKILL itself: between the writes of
    /// results, history and site, and inside the site write (fault injection for the tests that
    /// a killed build leaves each of them old or new, never half written).
    enum KillPoint: String, ExpressibleByArgument, CaseIterable {
        case afterResults = "after-results", afterHistory = "after-history"
        case siteHalfWritten = "site-half-written", siteBeforeSwap = "site-before-swap"

        var siteStage: SiteWriter.Stage? {
            switch self {
            case .siteHalfWritten: return .halfWritten
            case .siteBeforeSwap: return .beforeSwap
            default: return nil
            }
        }
    }

    func kill(at point: KillPoint) {
        if killAt == point { Foundation.kill(getpid(), SIGKILL) }
    }

    func run() throws {
        BLAS.setThreads(threads)
        let plan = try StudyFile.load(URL(fileURLWithPath: study), vocabulary: .parsers)
        let directory = results.map { URL(fileURLWithPath: $0) } ?? plan.resultsDirectory
        let all = WorkUnit.plan(plan)
        let units = shard?.select(all) ?? all
        let runner = StudyRunner(study: plan, weights: weightOptions.policy, cache: UnitCache(results: directory),
                                 hashes: FileHashCache(file: directory.appendingPathComponent(".cache/file-hashes.json")))
        let note = Progress("build").note
        if let shard { note("shard \(shard): \(units.count) of \(all.count) units") }
        let outcomes = try runner.run(units, note: note, progress: { Progress($0.label).update($1, $2) })
        let files = try ResultsFolder.write(encoded: outcomes.map { ($0.unit.id, $0.stored.bytes) }, to: directory,
                                            removeStale: shard == nil)
        kill(at: .afterResults)
        let historyURL = HistoryFile.url(in: directory)
        let run = try runID ?? HistoryFile.defaultRunID(history: historyURL)
        try HistoryFile.append(outcomes.map {
            HistoryEntry(result: $0.result, run: run, date: SourceDate.iso8601(), commit: commit, key: $0.key)
        }, to: historyURL)
        kill(at: .afterHistory)
        var site: URL?
        if shard == nil && !noSite {
            // The site gets the bytes just written (no second encoding) and each model's history beside them.
            let history = HistoryFile.byModel(try HistoryFile.read(historyURL))
            try SitePublisher.publish(outcomes.map { PublishedResult($0.stored, history: history[$0.result.model.label] ?? []) },
                                      to: plan.siteDirectory, killAt: killAt?.siteStage)
            site = plan.siteDirectory
        }
        if json {
            print(try NightlySummary.json([
                "results_dir": directory.path, "run": run, "shard": NightlySummary.orNull(shard?.description),
                "site": NightlySummary.orNull(site?.path),
                "computed": outcomes.filter { !$0.cached }.count, "cached": outcomes.filter(\.cached).count,
                "units": zip(outcomes, files).map { o, f in
                    ["label": o.unit.label, "key": o.key, "cached": o.cached, "results_file": f.path] as [String: Any]
                },
            ]))
        }
    }
}

extension Shard: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

/// Machine summaries on stdout: sorted keys, stable across runs.
enum NightlySummary {
    static func json(_ object: Any) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    /// JSON null for nil.
    static func orNull(_ value: Any?) -> Any { value ?? NSNull() }
}
