import AtlasResults

/// One results file as the site sees it: the result, its unique slug, its site paths and the
/// views of its taps that several pages share. Built once per render.
struct SiteModel: Sendable {
    let published: PublishedResult
    let slug: String
    /// Block-output taps (`ffn.resid`) in block order, one per block.
    let blockOutputs: [TapSummary]
    /// Tap names in the order they first appear in `result.taps` (block order, then tap order).
    let tapNames: [String]

    init(_ published: PublishedResult, slug: String) {
        self.published = published
        self.slug = slug
        let result = published.result
        self.blockOutputs = ModelPageBuilder.blockOutputs(of: result)
        var seen = Set<String>()
        self.tapNames = result.taps.map(\.tap).filter { seen.insert($0).inserted }
    }

    var result: RunResult { published.result }
    var label: String { result.model.label }

    /// The blocks that have at least one tap, ascending.
    var blocks: [Int] { Array(Set(result.taps.map(\.block))).sorted() }

    /// `models/<slug>/<name>.html`.
    func pagePath(_ name: String) -> String { "models/\(slug)/\(name).html" }
    /// `images/<slug>/<name>.png`.
    func imagePath(_ name: String) -> String { "images/\(slug)/\(name).png" }
    /// `data/<slug>/<file>` (downloads).
    func dataPath(_ file: String) -> String { "data/\(slug)/\(file)" }

    /// max |x| of every (tap, block): rows follow `tapNames`, columns `blocks`; NaN where a tap
    /// was not observed in a block (painted as missing). The first summary of a pair wins.
    func tapMaxGrid() -> [[Float]] {
        let blocks = blocks
        let column = Dictionary(uniqueKeysWithValues: blocks.enumerated().map { ($1, $0) })
        let row = Dictionary(uniqueKeysWithValues: tapNames.enumerated().map { ($1, $0) })
        var grid = Array(repeating: [Float](repeating: .nan, count: blocks.count), count: tapNames.count)
        var filled = Set<[Int]>()
        for tap in result.taps {
            let r = row[tap.tap]!, c = column[tap.block]!
            if filled.insert([r, c]).inserted { grid[r][c] = Float(tap.maxAbs) }
        }
        return grid
    }
}

/// Scales shared by every model's charts of one kind, so images that are compared side by side
/// use one colour (or y) scale, and the colour bar is drawn once for all of them.
struct SharedScales: Sendable {
    static let blockOutputBarPath = "images/shared/block-output-colorbar.png"
    static let tapMaxBarPath = "images/shared/tap-max-colorbar.png"

    /// Per-channel max |x| of the block outputs, over every model.
    let blockOutput: LogColorScale?
    let blockOutputBar: ChartImage?
    /// Per-tap max |x|, over every tap of every model.
    let tapMax: LogColorScale?
    let tapMaxBar: ChartImage?
    /// The y range of the index sparklines (block-output max |x| of every model).
    let sparkline: ClosedRange<Double>?

    init(models: [SiteModel]) throws(SiteError) {
        blockOutput = LogColorScale(fitting: models.lazy.flatMap(\.blockOutputs).flatMap(\.channelAbsmax))
        tapMax = LogColorScale(fitting: models.lazy.flatMap(\.result.taps).map { Float($0.maxAbs) })
        let maxima = models.flatMap(\.blockOutputs).map(\.maxAbs).filter { $0.isFinite && $0 > 0 }
        sparkline = maxima.min().flatMap { lo in maxima.max().map { lo...$0 } }
        blockOutputBar = try Self.bar(blockOutput, of: "block-output heatmaps")
        tapMaxBar = try Self.bar(tapMax, of: "tap heatmaps")
    }

    static func bar(_ scale: LogColorScale?, of charts: String) throws(SiteError) -> ChartImage? {
        guard let scale else { return nil }
        do {
            return try ColorBar(scale: scale).render(alt: "Colour scale of the \(charts): viridis, logarithmic, \(range(scale)).")
        } catch {
            throw .chart(name: "colour bar of the \(charts)", detail: error.description)
        }
    }

    static func range(_ scale: LogColorScale) -> String {
        "\(NumberFormat.compact(scale.lower)) to \(NumberFormat.compact(scale.upper))"
    }
}
