import AtlasAnalysis
import AtlasModels
import AtlasResults
import ArgumentParser
import Foundation

/// `outlier-atlas build`: analyze every model of a study, then render the site.
struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Analyze every model of a study file, then render the site.")

    @Argument(help: "Study file.")
    var study: String = "atlas.yaml"

    @Option(name: .long, help: "OpenBLAS threads.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func run() throws {
        BLAS.setThreads(threads)
        let plan = try StudyFile.load(URL(fileURLWithPath: study))
        var results: [RunResult] = []
        for entry in plan.models {
            let progress = Progress(entry.label)
            progress.note("loading \(entry.path.path)")
            let loaded = try ModelLoader.load(entry.path)
            let result = try ModelAnalysis.run(loaded, label: entry.label, text: plan.text, options: plan.options,
                                               taps: Set(TapName.allCases), progress: progress.update)
            let file = try ResultsStore.write(result, to: plan.resultsDirectory)
            progress.note("results: \(file.path)")
            results.append(result)
        }
        try SitePublisher.publish(results, to: plan.siteDirectory)
    }
}
