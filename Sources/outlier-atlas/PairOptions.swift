import AtlasAnalysis
import AtlasModels
import ArgumentParser
import Foundation

/// `--against` and its settings (analyze): second checkpoints compared with the model in lockstep.
struct PairOptions: ParsableArguments {
    @Option(name: .long, help: "A second checkpoint of the same model (GGUF file or Hugging Face folder) to compare with --model in lockstep, tap by tap (repeatable). Same architecture, shapes and tokenizer, or an error says what differs.")
    var against: [String] = []

    @Option(name: .customLong("divergence-db"), help: "With --against: a tap diverges where its SQNR falls below this many dB.")
    var divergenceDB: Double = PairLockstep.defaultDivergenceDB

    @Option(name: .customLong("pair-stride"), help: "With --against: compare taps on every N-th token (block outputs always on every token).")
    var pairStride: Int = PairLockstep.defaultTokenStride

    func validate() throws {
        guard pairStride >= 1 else { throw ValidationError("--pair-stride must be at least 1, found \(pairStride)") }
        guard divergenceDB.isFinite else { throw ValidationError("--divergence-db must be a finite number of dB") }
    }

    /// Each `--against` loaded like the model (same weight policy), labelled by its file name.
    func load(weights: WeightPolicy, progress: Progress) throws -> [Checkpoint] {
        try against.map { path in
            progress.note("loading \(path) (against)")
            let url = URL(fileURLWithPath: path)
            return Checkpoint(loaded: try ModelLoader.load(url, weights: weights), label: url.lastPathComponent)
        }
    }

    func apply(to options: inout AnalysisOptions) {
        options.divergenceDB = divergenceDB
        options.pairTokenStride = pairStride
    }
}
