import AtlasModels

/// A scheme checked against one model: which Linears it quantizes, with which weight format
/// each, and which taps it rewrites. Made before any forward pass, so every impossible
/// combination is an error up front.
public struct QuantPlan: Sendable {
    public let scheme: QuantScheme
    /// The quantized Linears, in block then Linear order.
    public let sites: [LinearSite]
    /// The weight quantization of each site (a GGUF K-type may fall back per tensor).
    public let weightFormats: [LinearSite: WeightQuantization]
    /// Input taps of the selected Linears, per block: the taps whose values are fake-quantized
    /// when the scheme quantizes activations (a tap feeding several Linears, like attn.norm for
    /// q/k/v, is quantized when any of them is selected).
    public let inputTaps: [Int: Set<TapName>]
    let selected: Set<LinearSite>

    public static func make(_ scheme: QuantScheme, for model: any BlockModel) throws(QuantSchemeError) -> QuantPlan {
        let all = model.linearSites
        let names = all.map(\.tensorName)
        for pattern in scheme.include + scheme.exclude where !names.contains(where: { Glob.matches(pattern, $0) }) {
            throw QuantSchemeError(scheme: scheme.name, field: "pattern \(pattern)", found: "no matching tensor",
                                   expected: "a glob over tensor names such as \(names.prefix(3).joined(separator: ", ")) …")
        }
        if scheme.activations != nil, model.family.linearInputsAreResidual {
            throw QuantSchemeError(scheme: scheme.name, field: "activations", found: "\(model.architecture), whose Linear inputs are the residual stream",
                                   expected: "a weight-only or KV-cache scheme for this family")
        }
        let sites = all.filter { scheme.selects($0.tensorName) }
        guard !sites.isEmpty else {
            throw QuantSchemeError(scheme: scheme.name, field: "include/exclude", found: "no Linear selected", expected: "at least one")
        }
        var formats: [LinearSite: WeightQuantization] = [:]
        if let w = scheme.weights {
            for site in sites {
                formats[site] = try resolve(w, rowLength: model.linear(at: site).inFeatures, tensor: site.tensorName, scheme: scheme.name)
            }
        }
        var taps: [Int: Set<TapName>] = [:]
        for site in sites { taps[site.block, default: []].insert(model.inputTap(of: site)) }
        return QuantPlan(scheme: scheme, sites: sites, weightFormats: formats, inputTaps: taps, selected: Set(sites))
    }

    /// The format used for one tensor: GGUF types need whole blocks per row; K-types fall back
    /// as `llama-quantize` does (`GGMLType.stored(rowLength:)`: Q4_K → Q5_0, Q6_K → Q8_0) when
    /// the row is not a multiple of 256; a row that fits no quantized type is refused.
    static func resolve(_ w: WeightQuantization, rowLength: Int, tensor: String, scheme: String) throws(QuantSchemeError) -> WeightQuantization {
        guard case let .gguf(type) = w else { return w }
        guard let stored = type.stored(rowLength: rowLength), Quantize.supported.contains(stored) else {
            throw QuantSchemeError(scheme: scheme, field: "tensor \(tensor) row length", found: "\(rowLength)",
                                   expected: "a multiple of \(type.blockSize) for \(type.name)"
                                       + (type.llamaFallback.map { " (or \($0.blockSize) for its fallback \($0.name))" } ?? ""))
        }
        return .gguf(stored)
    }

    /// Whether the scheme rewrites `tap` of `block` in the forward pass (the KV cache of a block
    /// is quantized when its k, resp. v, Linear is selected).
    public func rewrites(block: Int, tap: TapName) -> Bool {
        if scheme.activations != nil, inputTaps[block]?.contains(tap) == true { return true }
        guard scheme.kvCache != nil else { return false }
        switch tap {
        case .attnK: return selected.contains(LinearSite(block: block, kind: .k))
        case .attnV: return selected.contains(LinearSite(block: block, kind: .v))
        default: return false
        }
    }

    /// The activation quantization applied at `tap` (KV cache for attn.k/attn.v, else activations).
    public func activationQuantization(for tap: TapName) -> ActivationQuantization? {
        tap == .attnK || tap == .attnV ? scheme.kvCache : scheme.activations
    }
}
