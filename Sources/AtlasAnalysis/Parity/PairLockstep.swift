import AtlasModels
import AtlasResults
import Foundation

/// A second checkpoint (B) of the analyzed model (A) in lockstep: per window, A's forward is
/// observed by `referenceObserver` (it can share that pass with the statistics and the schemes),
/// then `compare` runs B on the same tokens and measures every tap, the logits and, at the end,
/// the weights. Both stay in memory; A's sampled taps of one window are the only extra copy.
public final class PairLockstep {
    public let against: LoadedModel
    public let label: String
    let model: AnalyzedModel
    let tracker: TapParityTracker
    let divergenceDB: Double
    let notes: [String]
    private(set) var endToEnd = LockstepEndToEnd()

    /// Tap statistics on every 8th token by default, as the schemes' layer SQNRs.
    public static let defaultTokenStride = QuantLockstep.defaultTokenStride
    /// A tap diverges below 20 dB (|a − b| about a tenth of |a|).
    public static let defaultDivergenceDB = 20.0

    /// Checks that `against` can run beside `reference` (`PairCompatibility`); throws naming what differs.
    public init(reference: LoadedModel, against: LoadedModel, label: String,
                tokenStride: Int = PairLockstep.defaultTokenStride, divergenceDB: Double = PairLockstep.defaultDivergenceDB) throws {
        notes = try PairCompatibility.check(reference, against)
        self.against = against
        self.label = label
        model = try AnalyzedModel(against)
        var lens: (reference: (Matrix) -> Matrix, checkpoint: (Matrix) -> Matrix)?
        if let a = try AnalyzedModel(reference).decoder, let b = model.decoder { lens = ({ a.logits($0) }, { b.logits($0) }) }
        tracker = TapParityTracker(family: against.network.family, tokenStride: tokenStride, lens: lens)
        self.divergenceDB = divergenceDB
    }

    /// Call before A's forward of each window.
    public func beginWindow(_ index: Int, tokens: [Int32]) { tracker.beginWindow(index, tokens: tokens) }

    /// Observes A's forward of the current window.
    public var referenceObserver: TapObserver { tracker.referenceObserver }

    /// Runs B on the window whose A forward (observed by `referenceObserver`) gave `logits`.
    public func compare(tokens: [Int32], window: Int, referenceLogits logits: Matrix) throws(PerplexityError) {
        let other = model.pass(tokens: tokens, observer: tracker.checkpointObserver)
        if model.decoder != nil { try endToEnd.add(reference: logits, other: other, tokens: tokens, window: window) }
    }

    /// Everything measured; `reference` gives A's weights and its file's stored types.
    public func result(reference: LoadedModel, tokenText: (Int32) -> String) throws -> PairResult {
        let sites = reference.network.linearSites
        let linears = WeightParity.compare(reference.network, against.network,
                                           typesA: try StoredTensorTypes.read(reference.url, family: reference.network.family, sites: sites),
                                           typesB: try StoredTensorTypes.read(against.url, family: against.network.family, sites: sites))
        let taps = tracker.tapResults()
        let first = taps.first { $0.sqnrDB < divergenceDB }.map { TapLocation(block: $0.block, tap: $0.tap) }
        return PairResult(label: label, file: against.url.lastPathComponent, sha256: try FileHash.sha256(model: against.url),
                          format: against.format, windowCount: endToEnd.windowCount, tokenStride: tracker.tokenStride,
                          divergenceDB: divergenceDB, endToEnd: try endToEnd.result(), taps: taps,
                          blockOutputs: tracker.blockOutputs(), lens: tracker.lensResults(), linears: linears,
                          massive: tracker.massive(tokenText: tokenText), firstDivergence: first, notes: notes)
    }
}
