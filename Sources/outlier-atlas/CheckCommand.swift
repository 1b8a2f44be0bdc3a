import AtlasAnalysis
import AtlasResults
import ArgumentParser
import Foundation

/// `outlier-atlas check`: the regression gate for CI. Compares a results folder with a baseline
/// (a previous night's) and exits 1 when anything got worse than the thresholds allow.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Compare results with a baseline folder; exit 1 on a regression.",
        discussion: """
        Compared per results file: perplexity (relative increase), max |x| at every tap (relative \
        growth), massive-activation dims absent from the baseline, and per quantization scheme \
        every numeric field named like perplexity (relative), KL (absolute, nats) or SQNR (dB \
        drop). Thresholds: defaults < the study's `thresholds:` < these options. A results file \
        of the baseline missing from the current folder is a regression; a new one is not.
        Exit codes: 0 no regression, 1 regression, 2 usage or input error, 3 internal error.
        """)

    @Option(name: .long, help: "Baseline results folder (e.g. last night's).")
    var baseline: String

    @Option(name: .long, help: "Current results folder (default: the study's output.results, else ./results).")
    var current: String?

    @Option(name: .long, help: "Study file whose thresholds apply (model files need not exist).")
    var study: String?

    @Option(name: .customLong("perplexity-increase"), help: "Allowed relative perplexity increase (0.01 = 1 %).")
    var perplexityIncrease: Double?

    @Option(name: .customLong("kl-increase"), help: "Allowed KL-divergence increase (nats).")
    var klIncrease: Double?

    @Option(name: .customLong("sqnr-drop-db"), help: "Allowed SQNR drop (dB).")
    var sqnrDropDB: Double?

    @Option(name: .customLong("new-massive-dims"), help: "Allowed number of new massive-activation dims.")
    var newMassiveDims: Int?

    @Option(name: .customLong("max-abs-growth"), help: "Allowed relative growth of max |x| at any tap.")
    var maxAbsGrowth: Double?

    @Flag(name: .long, help: "Print the report as JSON on stdout.")
    var json = false

    func validate() throws {
        for (name, v) in [("--perplexity-increase", perplexityIncrease), ("--kl-increase", klIncrease),
                          ("--sqnr-drop-db", sqnrDropDB), ("--max-abs-growth", maxAbsGrowth)] {
            if let v, !(v >= 0) { throw ValidationError("\(name) must be a number >= 0, found \(v)") }
        }
        if let n = newMassiveDims, n < 0 { throw ValidationError("--new-massive-dims must be >= 0, found \(n)") }
    }

    func run() throws {
        let plan = try study.map { try StudyFile.load(URL(fileURLWithPath: $0), vocabulary: .parsers, checkFiles: false) }
        var t = plan?.thresholds ?? RegressionThresholds()
        t.perplexityIncrease = perplexityIncrease ?? t.perplexityIncrease
        t.klIncrease = klIncrease ?? t.klIncrease
        t.sqnrDropDB = sqnrDropDB ?? t.sqnrDropDB
        t.newMassiveDims = newMassiveDims ?? t.newMassiveDims
        t.maxAbsGrowth = maxAbsGrowth ?? t.maxAbsGrowth
        let currentURL = current.map { URL(fileURLWithPath: $0) } ?? plan?.resultsDirectory ?? URL(fileURLWithPath: "results")
        let report = RegressionGate.compare(baseline: try ResultsFolder.read(URL(fileURLWithPath: baseline)),
                                            current: try ResultsFolder.read(currentURL), thresholds: t)
        if json {
            print(String(decoding: try ResultsJSON.encode(report), as: UTF8.self))
        } else {
            print(report.table(), terminator: "")
        }
        if !report.passed { throw RegressionsFound(count: report.regressions.count) }
    }
}

/// `check` found regressions: exit code 1 (the report is already on stdout).
struct RegressionsFound: Error, CustomStringConvertible {
    var count: Int
    var description: String { "\(count) regression(s)" }
}
