/// View models of the parity page (`parity.mustache`): one section per second checkpoint.
/// Every value is a display string.

/// `models/<slug>/parity.html`.
struct ParityPage: Sendable {
    var chrome: PageChrome
    var label: String
    var pairs: [PairSection]
}

/// One second checkpoint against the model.
struct PairSection: Sendable {
    var id: String
    var label: String
    var file: String
    var format: String
    var finding: String
    var windows: String
    var strideNote: String
    var perplexityA: String
    var perplexityB: String
    var kl: String
    var top1: String
    var deltaP: String
    var notes: [String]
    var lineChart: Figure?
    var legend: [LegendEntry]
    /// Each block's KL contribution (nil for encoders and older results) and its sentence.
    var klChart: Figure?
    var klFinding: String?
    var heatmap: Figure?
    var colorBar: Figure?
    var taps: [PairTapRow]
    var linears: [PairLinearRow]
    var massive: [PairMassiveRow]
}

/// The worst taps, lowest SQNR first.
struct PairTapRow: Sendable {
    var block: String
    var tap: String
    var sqnr: String
    var cosine: String
    var maxDelta: String
    var maxAbs: String
}

struct PairLinearRow: Sendable {
    var block: String
    var linear: String
    var typeA: String
    var typeB: String
    var sqnr: String
}

/// A's largest block-output activation of a block and B's value there.
struct PairMassiveRow: Sendable {
    var block: String
    var place: String
    var a: String
    var b: String
    var change: String
    var keptDims: String
}
