/// llama.cpp's stored type for a tensor whose rows do not split into whole blocks of the type
/// asked for (llama-quant.cpp `tensor_type_fallback`, which `llama-quantize` applies with
/// `--pure` too): K- and IQ-types fall back to a 32-element type, and to F16 when even that
/// does not divide the row.
extension GGMLType {
    /// The type llama.cpp substitutes for `self` on rows that are not a multiple of its block
    /// size; nil where it defines none (it stops with "no tensor type fallback is defined").
    public var llamaFallback: GGMLType? {
        switch self {
        case .iq1_S, .iq1_M, .iq2_XXS, .iq2_XS, .iq2_S, .iq3_XXS, .iq3_S, .iq4_XS: return .iq4_NL
        case .q2_K, .q3_K, .tq1_0, .tq2_0: return .q4_0
        case .q4_K: return .q5_0
        case .q5_K: return .q5_1
        case .q6_K: return .q8_0
        default: return nil
        }
    }

    /// The type a tensor with rows of `rowLength` values is stored as when `self` is asked for:
    /// `self` when the rows hold whole blocks, else `llamaFallback`, or F16 when the fallback's
    /// blocks do not fit either; nil when llama.cpp has no fallback and refuses the tensor.
    public func stored(rowLength: Int) -> GGMLType? {
        guard rowLength % blockSize != 0 else { return self }
        guard let fallback = llamaFallback else { return nil }
        return rowLength % fallback.blockSize == 0 ? fallback : .f16
    }
}
