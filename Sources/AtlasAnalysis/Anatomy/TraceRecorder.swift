import AtlasModels

/// Records, during one extra forward pass over the trace window, what the anatomy needs beyond
/// the mergeable statistics: the rows of the down projection's input and output at the
/// positions that carry massive activations (for origin tracing), the attention mass on the
/// sink positions per block and head, and a token × channel slice of one block output.
final class TraceRecorder: TapObserver {
    struct HeatmapRequest {
        var block: Int
        var tap: TapName
        var rows: Int
        var channels: [Int]
    }

    let positions: [Int]
    let sinkPositions: [Int]
    let heatmap: HeatmapRequest?
    let tokens: Int
    /// block → position → row of `ffn.down_in`.
    private(set) var downIn: [Int: [Int: [Float]]] = [:]
    /// block → per-head mean attention mass on `sinkPositions`.
    private(set) var sinkMass: [Int: [Double]] = [:]
    private(set) var heatmapValues: [[Float]]?

    init(positions: [Int], sinkPositions: [Int], heatmap: HeatmapRequest?, tokens: Int) {
        self.positions = positions
        self.sinkPositions = sinkPositions
        self.heatmap = heatmap
        self.tokens = tokens
    }

    func wants(block: Int, tap: TapName) -> Bool {
        switch tap {
        case .ffnDownIn: return !positions.isEmpty
        case .attnProbs: return !sinkPositions.isEmpty
        default: return heatmap.map { $0.block == block && $0.tap == tap } ?? false
        }
    }

    func observe(block: Int, tap: TapName, value: Matrix) {
        if tap == .ffnDownIn {
            var rows: [Int: [Float]] = [:]
            for p in positions where p < value.rows { rows[p] = value.row(p) }
            downIn[block] = rows
        }
        if tap == .attnProbs { sinkMass[block] = Self.sinkMass(value, tokens: tokens, sinks: sinkPositions) }
        if let h = heatmap, h.block == block, h.tap == tap {
            heatmapValues = (0..<Swift.min(h.rows, value.rows)).map { r in
                h.channels.map { c in Swift.abs(value[r, c]) }
            }
        }
    }

    /// Per head h: mean over query rows i of Σ_{j ∈ sinks} probs[h·T + i, P + j] (non-finite
    /// probabilities count as 0), where P = probs.cols − T keys of a cached prefix come first:
    /// sink positions are window positions, −P…−1 the prefix's.
    static func sinkMass(_ probs: Matrix, tokens T: Int, sinks: [Int]) -> [Double] {
        guard T > 0, probs.cols >= T, probs.rows % T == 0 else { return [] }
        let heads = probs.rows / T, P = probs.cols - T
        let columns = sinks.map { P + $0 }.filter { (0..<probs.cols).contains($0) }
        return (0..<heads).map { h in
            var total = 0.0
            for i in 0..<T {
                for j in columns {
                    let p = probs[h * T + i, j]
                    if p.isFinite { total += Double(p) }
                }
            }
            return total / Double(T)
        }
    }
}
