import AtlasModels

/// How the weights of a Linear are grouped for their quantization ranges.
public enum WeightGranularity: Sendable, Hashable {
    /// One range for the whole [out, in] matrix.
    case perTensor
    /// One range per output channel (row).
    case perChannel
    /// One range per G consecutive input channels of a row; a row that G does not divide ends
    /// with a shorter group.
    case perGroup(Int)

    public var label: String {
        switch self {
        case .perTensor: return "per-tensor"
        case .perChannel: return "per-channel"
        case let .perGroup(g): return "group \(g)"
        }
    }
}

/// How activations are grouped for their quantization ranges.
public enum ActivationGranularity: String, Sendable, Hashable {
    /// One range per tap of each block, fixed before the evaluation from the calibration
    /// windows (static: min and max over every token of every calibration window).
    case perTensor
    /// One range per token row, computed on the fly (dynamic).
    case perToken

    public var label: String { self == .perTensor ? "per-tensor (static)" : "per-token (dynamic)" }
}

/// Weight quantization of a scheme: a uniform grid or a GGUF block type.
public enum WeightQuantization: Sendable, Hashable {
    case uniform(format: ElementFormat, granularity: WeightGranularity, clip: Float)
    /// Quantized with `Quantize` and read back with `Dequantize`. K-types fall back as
    /// llama.cpp's `llama-quantize` does for rows that are not a multiple of 256 (Q4_K → Q5_0,
    /// Q6_K → Q8_0).
    case gguf(GGMLType)

    public var label: String {
        switch self {
        case let .uniform(format, granularity, clip):
            return "\(format.label) \(granularity.label)" + (clip == 1 ? "" : " clip \(clip)")
        case let .gguf(type): return "GGUF \(type.name) blocks"
        }
    }
}

/// Activation (or KV-cache) quantization of a scheme.
public struct ActivationQuantization: Sendable, Hashable {
    public var format: ElementFormat
    public var granularity: ActivationGranularity
    public var clip: Float

    public init(format: ElementFormat, granularity: ActivationGranularity, clip: Float = 1) {
        self.format = format
        self.granularity = granularity
        self.clip = clip
    }

    public var label: String { "\(format.label) \(granularity.label)" + (clip == 1 ? "" : " clip \(clip)") }
}

/// A simulated quantization scheme with every parameter explicit. Rounding is always to
/// nearest, ties to even (GGUF types follow ggml's own rounding). By default every Linear of
/// every block is quantized; embeddings, the head and the norms stay float. `include` /
/// `exclude` are glob patterns (`*` any run, `?` one character) over tensor names
/// `blk.<block>.<linear>` (e.g. `blk.*.down`, `blk.0.*`): a Linear is quantized when it matches
/// some include pattern (none given: all) and no exclude pattern.
public struct QuantScheme: Sendable, Hashable {
    public var name: String
    public var weights: WeightQuantization?
    /// Fake quantization of the Linears' inputs (taps attn.norm, attn.ctx, ffn.norm, ffn.down_in).
    public var activations: ActivationQuantization?
    /// Fake quantization of the attention keys and values (taps attn.k, attn.v; keys before RoPE).
    public var kvCache: ActivationQuantization?
    public var include: [String]
    public var exclude: [String]

    public init(name: String, weights: WeightQuantization?, activations: ActivationQuantization? = nil,
                kvCache: ActivationQuantization? = nil, include: [String] = [], exclude: [String] = []) {
        self.name = name
        self.weights = weights
        self.activations = activations
        self.kvCache = kvCache
        self.include = include
        self.exclude = exclude
    }

    /// Every parameter in words, e.g. `weights: int4 sym group 128; activations: float`.
    public var description: String {
        var parts = ["weights: \(weights?.label ?? "float")", "activations: \(activations?.label ?? "float")"]
        if let kvCache { parts.append("kv cache: \(kvCache.label)") }
        if !include.isEmpty { parts.append("include \(include.joined(separator: ", "))") }
        if !exclude.isEmpty { parts.append("exclude \(exclude.joined(separator: ", "))") }
        parts.append("round to nearest, ties to even")
        return parts.joined(separator: "; ")
    }

    /// Whether the Linear named `tensor` (`blk.<i>.<linear>`) is quantized by this scheme.
    public func selects(_ tensor: String) -> Bool {
        (include.isEmpty || include.contains { Glob.matches($0, tensor) }) && !exclude.contains { Glob.matches($0, tensor) }
    }
}

/// Glob matching with `*` and `?` over whole strings.
enum Glob {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.unicodeScalars), t = Array(text.unicodeScalars)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count && (p[pi] == "?" || p[pi] == t[ti]) {
                pi += 1; ti += 1
            } else if pi < p.count && p[pi] == "*" {
                star = pi; mark = ti; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; ti = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
