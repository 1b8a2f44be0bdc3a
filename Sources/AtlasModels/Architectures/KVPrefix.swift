/// Keys and values of a fixed token prefix, per block, as every block's attention saw them
/// (after the per-head q/k norms and RoPE at positions 0..<count): a window run with the prefix
/// attends to these keys first and starts at position `count`, as a decoder with a KV cache does
/// (PrefixQuant, CushionCache). The prefix's own activations never pass through the window's
/// taps, so statistics, activation quantization and scoring see only the window's tokens.
public struct KVPrefix: Sendable, Equatable {
    /// The prefix tokens; empty for a calibrated bias that no single token sequence produced
    /// (`mean(of:)`).
    public let tokens: [Int32]
    /// Per block: keys `[count, kvHeads × headDim]`, rotated.
    public let keys: [Matrix]
    /// Per block: values `[count, kvHeads × headDim]`.
    public let values: [Matrix]

    public init(tokens: [Int32], keys: [Matrix], values: [Matrix]) {
        let count = keys.first?.rows ?? tokens.count
        precondition(keys.count == values.count && (tokens.isEmpty || tokens.count == count)
                     && zip(keys, values).allSatisfy { $0.rows == count && $1.rows == count })
        self.tokens = tokens
        self.keys = keys
        self.values = values
    }

    /// Number of prefix positions.
    public var count: Int { keys.first?.rows ?? tokens.count }

    /// The element-wise mean of prefixes of one length and shape (Sun et al.'s explicit attention
    /// bias k′, v′ per block and head, calibrated instead of trained): a prefix of no tokens.
    public static func mean(of prefixes: [KVPrefix]) -> KVPrefix? {
        guard let first = prefixes.first,
              prefixes.allSatisfy({ Self.shapes($0) == Self.shapes(first) })
        else { return nil }
        func average(_ matrices: [Matrix]) -> Matrix {
            var sum = [Double](repeating: 0, count: matrices[0].data.count)
            for m in matrices { for (i, x) in m.data.enumerated() { sum[i] += Double(x) } }
            return Matrix(rows: matrices[0].rows, cols: matrices[0].cols, data: sum.map { Float($0 / Double(matrices.count)) })
        }
        let blocks = first.keys.indices
        return KVPrefix(tokens: [], keys: blocks.map { b in average(prefixes.map { $0.keys[b] }) },
                        values: blocks.map { b in average(prefixes.map { $0.values[b] }) })
    }

    private static func shapes(_ p: KVPrefix) -> [[Int]] { (p.keys + p.values).map { [$0.rows, $0.cols] } }
}
