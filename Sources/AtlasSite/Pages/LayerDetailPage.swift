import AtlasResults

/// `layers.mustache`: every observed tap of every block of one model.
struct LayersPage: Sendable {
    var chrome: PageChrome
    var label: String
    var tapCount: String
    var blockLinks: [NavLink]
    var heatmap: Figure?
    var colorBar: Figure?
    var rows: [TapDetailRow]
}

/// One tap of one block. `rowId` is set on the first row of each block (jump target).
struct TapDetailRow: Sendable {
    var rowId: String?
    var block: String
    var tap: String
    var yIndex: String
    var maxAbs: String
    var medianAbs: String
    var ratio: String
    var massiveCount: String
    var nonFiniteCount: String
    var elementCount: String
    var topValue: String
    var topToken: String
    var topPosition: String
}

/// Per-layer detail (`models/<slug>/layers.html`): a heatmap of max |x| by tap and block on
/// the colour scale shared by every model, and one sortable table of all taps of all blocks in
/// `RunResult.taps` order (block, then tap order), with jump links to each block.
struct LayerDetailPage: ModelSitePage {
    static let pageName = "layers"
    let name = LayerDetailPage.pageName
    let title = "Layers and taps"
    let templates = ["layers", "figure"]

    func applies(to model: SiteModel) -> Bool { true }

    func render(_ model: SiteModel, in context: SiteContext, into output: inout SiteOutput) throws(SiteError) {
        let path = model.pagePath(name)
        let prefix = context.linker.idPrefix(for: path)
        var heatmap: Figure?, colorBar: Figure?
        if let scale = context.scales.tapMax, !model.tapNames.isEmpty {
            heatmap = try context.figure(try Self.tapHeatmap(model, scale: scale), at: model.imagePath("tap-heatmap"),
                                         on: path, into: &output)
            if let bar = context.scales.tapMaxBar {
                colorBar = try context.figure(bar, at: SharedScales.tapMaxBarPath, on: path, into: &output)
            }
        }
        var seen = Set<Int>()
        let rows = model.result.taps.enumerated().sorted { ($0.element.block, $0.offset) < ($1.element.block, $1.offset) }
            .map { Self.row($0.element, id: seen.insert($0.element.block).inserted ? "\(prefix)block-\($0.element.block)" : nil) }
        let page = LayersPage(
            chrome: context.chrome(for: path, title: "\(model.label): layers and taps", model: model),
            label: model.label, tapCount: NumberFormat.integer(rows.count),
            blockLinks: model.blocks.map {
                NavLink(label: String($0), href: context.href(to: path, fragment: "block-\($0)", from: path), current: nil)
            },
            heatmap: heatmap, colorBar: colorBar, rows: rows)
        try output.add(page: context.render(page, template: "layers", path: path, title: page.chrome.pageTitle))
    }

    static func row(_ tap: TapSummary, id: String?) -> TapDetailRow {
        let top = tap.top.first
        return TapDetailRow(
            rowId: id, block: String(tap.block), tap: tap.tap, yIndex: tap.yIndex ?? "",
            maxAbs: NumberFormat.significant(tap.maxAbs), medianAbs: NumberFormat.significant(tap.medianAbs),
            ratio: tap.medianAbs > 0 ? NumberFormat.significant(tap.maxAbs / tap.medianAbs) : "—",
            massiveCount: NumberFormat.integer(tap.massiveCount), nonFiniteCount: NumberFormat.integer(tap.nonFiniteCount),
            elementCount: NumberFormat.integer(tap.elementCount),
            topValue: top.map { NumberFormat.significant($0.value) } ?? "—",
            topToken: top.map { ModelPageBuilder.displayToken($0.token) } ?? "",
            topPosition: top.map { "w\($0.window) p\($0.position) d\($0.dim)" } ?? "—")
    }

    /// Rows = taps (labelled by name and y-index), columns = blocks; log colour of max |x|.
    static func tapHeatmap(_ model: SiteModel, scale: LogColorScale) throws(SiteError) -> ChartImage {
        let heatmap = Heatmap(grid: model.tapMaxGrid(), scale: scale, targetWidth: 640, targetHeight: 340)
        let yIndex = Dictionary(model.result.taps.map { ($0.tap, $0.yIndex) }, uniquingKeysWith: { a, _ in a })
        let blocks = model.blocks
        do {
            var image = try heatmap.render(alt: "Heatmap of \(model.label): max |x| of each tap (rows, in forward order from the top) in each block (columns, block \(blocks.first ?? 0) at the left), log colour scale from \(SharedScales.range(scale)), shared by all models; grey = not observed.")
            let ticks = heatmap.ticks(maxColumnTicks: 16, maxRowTicks: model.tapNames.count)
            image.yTicks = ticks.y.map { tick in
                let name = model.tapNames[Int(tick.value)]
                var labelled = tick
                labelled.label = (yIndex[name] ?? nil).map { "\(name) (\($0))" } ?? name
                return labelled
            }
            image.xTicks = ticks.x.map { tick in
                var labelled = tick
                labelled.label = String(blocks[Int(tick.value)])
                return labelled
            }
            return image
        } catch {
            throw .chart(name: "\(model.slug) tap heatmap", detail: error.description)
        }
    }
}
