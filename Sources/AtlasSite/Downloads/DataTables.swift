import AtlasResults
import Foundation

/// One row of `taps.csv` / `taps.json`: a tap of a block as the layers page shows it, with full
/// precision and the largest activation.
struct TapRecord: Codable, Sendable {
    var block: Int
    var tap: String
    var yIndex: String?
    var elementCount: Int
    var maxAbs: Double
    var medianAbs: Double
    /// maxAbs / medianAbs; nil when the median is 0.
    var ratio: Double?
    var massiveCount: Int
    var nonFiniteCount: Int
    var top: LocatedActivation<Double>?

    init(_ tap: TapSummary) {
        block = tap.block
        self.tap = tap.tap
        yIndex = tap.yIndex
        elementCount = tap.elementCount
        maxAbs = tap.maxAbs
        medianAbs = tap.medianAbs
        ratio = tap.medianAbs > 0 ? tap.maxAbs / tap.medianAbs : nil
        massiveCount = tap.massiveCount
        nonFiniteCount = tap.nonFiniteCount
        top = tap.top.first
    }
}

/// The downloadable tables of one model, each as CSV and JSON from the same records, so the two
/// always agree. Pure.
enum DataTables {
    static let tapColumns: [(String, @Sendable (TapRecord) -> CSVTable.Cell)] = [
        ("block", { .integer($0.block) }), ("tap", { .text($0.tap) }), ("y_index", { $0.yIndex.map(CSVTable.Cell.text) ?? .empty }),
        ("element_count", { .integer($0.elementCount) }), ("max_abs", { .number($0.maxAbs) }),
        ("median_abs", { .number($0.medianAbs) }), ("ratio", { $0.ratio.map(CSVTable.Cell.number) ?? .empty }),
        ("massive_count", { .integer($0.massiveCount) }), ("non_finite_count", { .integer($0.nonFiniteCount) }),
        ("top_value", { $0.top.map { .number($0.value) } ?? .empty }), ("top_window", { $0.top.map { .integer($0.window) } ?? .empty }),
        ("top_position", { $0.top.map { .integer($0.position) } ?? .empty }), ("top_dim", { $0.top.map { .integer($0.dim) } ?? .empty }),
        ("top_token", { $0.top.map { .text($0.token) } ?? .empty }),
    ]

    static let massiveColumns: [(String, @Sendable (LocatedActivation<Double>) -> CSVTable.Cell)] = [
        ("layer", { $0.layer.map(CSVTable.Cell.integer) ?? .empty }), ("window", { .integer($0.window) }), ("position", { .integer($0.position) }),
        ("dim", { .integer($0.dim) }), ("value", { .number($0.value) }), ("token", { .text($0.token) }),
    ]

    /// Taps in block order, then in `RunResult.taps` order.
    static func tapRecords(_ result: RunResult) -> [TapRecord] {
        result.taps.enumerated().sorted { ($0.element.block, $0.offset) < ($1.element.block, $1.offset) }
            .map { TapRecord($0.element) }
    }

    static func csv<Row>(_ rows: [Row], columns: [(String, @Sendable (Row) -> CSVTable.Cell)]) -> Data {
        CSVTable(header: columns.map(\.0), rows: rows.map { row in columns.map { $0.1(row) } }).encoded()
    }

    /// Sorted keys, pretty-printed, non-finite numbers as the strings `nan`, `inf`, `-inf`
    /// (as in the results files).
    static func json<Value: Encodable>(_ value: Value) throws(SiteError) -> Data {
        do {
            return try ResultsJSON.encode(value)
        } catch {
            throw .encoding(name: "JSON download", detail: "\(error)")
        }
    }
}
