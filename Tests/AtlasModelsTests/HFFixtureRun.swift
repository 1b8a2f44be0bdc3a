import AtlasModels
import AtlasTestSupport
import Foundation

/// Runs a fixture model from its HF folder on both reference sequences and gives, for every
/// tensor name of its expected.safetensors, our value for each sequence.
struct HFFixtureRun {
    static let T = 24
    let expected: SafetensorsFile
    let network: any BlockModel
    /// name → [sequence 0 value, sequence 1 value]
    private(set) var values: [String: [[Float]]] = [:]

    init(folder: URL, expected: URL) throws {
        self.expected = try SafetensorsFile(url: expected)
        network = try HFFolderLoader.network(at: folder)
        let ids = try self.expected.int64s("input_ids").map { Int32($0) }
        for b in 0..<2 {
            let tokens = Array(ids[(b * Self.T)..<((b + 1) * Self.T)])
            let recorder = TapRecorder()
            var outputs: [String: Matrix] = [:]
            if let encoder = network as? BertModel {
                let hidden = encoder.hiddenStates(tokens: tokens, keyMask: [Bool](repeating: true, count: Self.T), observer: recorder)
                outputs["hidden.\(network.blockCount)"] = hidden
                if let pooled = encoder.pooled(hidden) { outputs["pooler_output"] = Matrix(rows: 1, cols: pooled.count, data: pooled) }
                for l in 1..<network.blockCount { outputs["hidden.\(l)"] = recorder[l - 1, .ffnPostNorm] }
            } else {
                let decoder = network as! any DecoderModel
                outputs["logits"] = decoder.forward(tokens: tokens, observer: recorder)
                let last = recorder[network.blockCount - 1, .ffnResid]!
                outputs["hidden.\(network.blockCount).pre_final_norm"] = last
                outputs["hidden.\(network.blockCount)"] = decoder.finalNorm(last)
                for l in 1..<network.blockCount { outputs["hidden.\(l)"] = recorder[l - 1, .ffnResid] }
            }
            outputs["hidden.0"] = recorder[0, .attnIn]
            for (key, value) in recorder.values {
                let parts = key.split(separator: ".", maxSplits: 1)
                outputs["layer\(parts[0]).\(parts[1])"] = value
            }
            if let llama = network as? LlamaModel, let rope = llama.blocks[1].attention.rope {
                let tables = rope.tables(positions: Self.T)
                outputs["rope.cos"] = tables.cos
                outputs["rope.sin"] = tables.sin
                var q = recorder[1, .attnQ]!, k = recorder[1, .attnK]!
                rope.apply(&q, heads: llama.config.headCount, tables: tables)
                rope.apply(&k, heads: llama.config.kvHeadCount, tables: tables)
                outputs["layer1.attn.q_rope"] = Self.headsFirst(q, heads: llama.config.headCount)
                outputs["layer1.attn.k_rope"] = Self.headsFirst(k, heads: llama.config.kvHeadCount)
            }
            for (name, m) in outputs { values[name, default: []].append(m.data) }
        }
    }

    /// `[T, heads × hd]` → `[heads × T, hd]` (HF's `[heads, T, head_dim]` layout).
    static func headsFirst(_ x: Matrix, heads: Int) -> Matrix {
        let hd = x.cols / heads
        var out = Matrix(zeros: heads * x.rows, hd)
        for h in 0..<heads { for t in 0..<x.rows { for i in 0..<hd { out[h * x.rows + t, i] = x[t, h * hd + i] } } }
        return out
    }

    /// Inputs of the reference run (not outputs).
    static let inputs: Set<String> = ["input_ids", "attention_mask", "token_type_ids"]

    /// Error of `name` against the reference: max relative error per sequence (probabilities:
    /// absolute), the larger of the two; nil when we produce no such tensor.
    func error(_ name: String) throws -> Double? {
        guard let ours = values[name], ours.count == 2 else { return nil }
        let all = try expected.floats(name)
        // rope tables are shared by both sequences.
        let perSequence = name.hasPrefix("rope.") ? all.count : all.count / 2
        return (0..<2).map { b in
            let start = name.hasPrefix("rope.") ? 0 : b * perSequence
            let reference = Array(all[start..<(start + perSequence)])
            return name.hasSuffix("attn.probs") ? Closeness.maxAbsoluteError(ours[b], reference: reference)
                : Closeness.maxRelativeError(ours[b], reference: reference)
        }.max()!
    }
}

extension HFFixtureRun {
    /// The error of every reference tensor but the inputs (nil: the tensor is not produced),
    /// by name.
    func referenceErrors() throws -> [(name: String, error: Double?)] {
        try expected.tensorNames.filter { !Self.inputs.contains($0) }.map { ($0, try error($0)) }
    }
}
