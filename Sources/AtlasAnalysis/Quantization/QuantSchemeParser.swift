import AtlasModels
import Foundation

/// Reads a scheme from its name or a custom spec.
///
/// **Names** (case-insensitive):
/// - `W<b>A<a>[-g<G>][-static]`: b-bit symmetric integer weights, per output channel or, with
///   `-g<G>`, per group of G input channels; `A16` keeps activations float, otherwise a-bit
///   symmetric integer activations per token (dynamic) or, with `-static`, per tensor with one
///   scale per Linear input (and for k and v) calibrated on the calibration windows and fixed at
///   evaluation, as integer kernels on hardware want. E.g. `W8A8`, `W8A16`, `W4A16`,
///   `W4A16-g128`, `W4A8`, `W6A6`, `W4A4`, `W8A8-static`, `W4A8-static`.
/// - `FP8` / `FP8-E5M2`: FP8 weights per output channel and FP8 activations per token.
/// - A GGUF type `Q8_0`, `Q4_0`, `Q4_1`, `Q5_0`, `Q5_1`, `Q4_K`, `Q6_K`: weights only.
///
/// **Custom spec**: `;`-separated `key=value` parts, e.g.
/// `name=mine; w=int4,asym,g64,clip0.9; a=int8,tensor; kv=fp8e4m3,token; exclude=blk.0.*`.
/// - `w=` format (`int<2…8>`, `fp8e4m3`, `fp8e5m2`, a GGUF type, `float`) then options
///   `sym`|`asym` (default sym), `tensor`|`channel`|`g<G>` (default channel), `clip<r>` (0 < r ≤ 1).
/// - `a=` and `kv=`: format then `sym`|`asym`, `tensor` (static) | `token` (default), `clip<r>`.
/// - `include=` / `exclude=`: comma-separated glob patterns over `blk.<i>.<linear>`.
/// - `name=`: the short name (default: the spec itself).
public enum QuantSchemeParser {
    public static let ggufTypes: [String: GGMLType] = Dictionary(
        uniqueKeysWithValues: Quantize.supported.map { ($0.name, $0) })

    public static func parse(_ spec: String) throws(QuantSchemeError) -> QuantScheme {
        let text = spec.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw QuantSchemeError(scheme: spec, field: "scheme", found: "an empty spec", expected: "a name such as W8A8 or a spec such as w=int4,g128") }
        if !text.contains("=") { return try named(text) }
        var scheme = QuantScheme(name: text, weights: nil)
        for part in text.split(separator: ";") {
            let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2, !kv[1].isEmpty else {
                throw QuantSchemeError(scheme: spec, field: String(part), found: "no value", expected: "key=value")
            }
            let (key, value) = (kv[0].lowercased(), kv[1])
            switch key {
            case "name": scheme.name = value
            case "w": scheme.weights = try weights(value, spec: spec)
            case "a": scheme.activations = try activations(value, spec: spec, field: "a")
            case "kv": scheme.kvCache = try activations(value, spec: spec, field: "kv")
            case "include": scheme.include += value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            case "exclude": scheme.exclude += value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            default:
                throw QuantSchemeError(scheme: spec, field: key, found: "an unknown key", expected: "one of name, w, a, kv, include, exclude")
            }
        }
        guard scheme.weights != nil || scheme.activations != nil || scheme.kvCache != nil else {
            throw QuantSchemeError(scheme: spec, field: "w/a/kv", found: "nothing quantized", expected: "at least one of w=, a=, kv=")
        }
        return scheme
    }

    static func named(_ text: String) throws(QuantSchemeError) -> QuantScheme {
        let upper = text.uppercased()
        if let type = ggufTypes[upper] { return QuantScheme(name: upper, weights: .gguf(type)) }
        if upper.hasPrefix("Q") || upper.hasPrefix("IQ") || upper.hasPrefix("TQ") {
            throw QuantSchemeError(scheme: text, field: "GGUF type", found: upper,
                                   expected: "one of \(Quantize.supported.map(\.name).joined(separator: ", "))")
        }
        if upper == "FP8" || upper == "FP8-E4M3" || upper == "FP8-E5M2" {
            let f: FP8Format = upper.hasSuffix("E5M2") ? .e5m2 : .e4m3
            return QuantScheme(name: upper, weights: .uniform(format: .fp8(f), granularity: .perChannel, clip: 1),
                               activations: ActivationQuantization(format: .fp8(f), granularity: .perToken))
        }
        // W<b>A<a>[-g<G>][-static]
        let isStatic = upper.hasSuffix("-STATIC")
        let pieces = (isStatic ? String(upper.dropLast("-STATIC".count)) : upper).split(separator: "-", maxSplits: 1)
        let head = pieces.first ?? ""  // "-static" alone leaves nothing
        guard head.hasPrefix("W"), let aIndex = head.firstIndex(of: "A"),
              let w = Int(head[head.index(after: head.startIndex)..<aIndex]),
              let a = Int(head[head.index(after: aIndex)...]) else {
            throw QuantSchemeError(scheme: text, field: "name", found: text,
                                   expected: "W<bits>A<bits>[-g<G>][-static], FP8, FP8-E5M2, a GGUF type (\(Quantize.supported.map(\.name).joined(separator: ", "))) or a key=value spec")
        }
        var granularity = WeightGranularity.perChannel
        if pieces.count == 2 {
            guard pieces[1].hasPrefix("G"), let g = Int(pieces[1].dropFirst()) else {
                throw QuantSchemeError(scheme: text, field: "group", found: String(pieces[1]), expected: "g<G>, e.g. -g128")
            }
            granularity = try group(g, spec: text)
        }
        try checkBits(w, spec: text, field: "weight bits")
        if isStatic && a == 16 {
            throw QuantSchemeError(scheme: text, field: "-static", found: "A16 (float activations)", expected: "quantized activations, e.g. W8A8-static")
        }
        var scheme = QuantScheme(name: "W\(w)A\(a)" + (pieces.count == 2 ? "-g\(pieces[1].dropFirst())" : "") + (isStatic ? "-static" : ""),
                                 weights: .uniform(format: .integer(bits: w, symmetric: true), granularity: granularity, clip: 1))
        if a != 16 {
            try checkBits(a, spec: text, field: "activation bits")
            scheme.activations = ActivationQuantization(format: .integer(bits: a, symmetric: true), granularity: isStatic ? .perTensor : .perToken)
        }
        return scheme
    }

    static func checkBits(_ bits: Int, spec: String, field: String) throws(QuantSchemeError) {
        guard (2...8).contains(bits) else {
            throw QuantSchemeError(scheme: spec, field: field, found: "\(bits)", expected: "an integer width from 2 to 8 (16 for float activations in W<b>A16)")
        }
    }

    static func group(_ g: Int, spec: String) throws(QuantSchemeError) -> WeightGranularity {
        guard g >= 1 else { throw QuantSchemeError(scheme: spec, field: "group size", found: "\(g)", expected: "at least 1") }
        return .perGroup(g)
    }
}
