import AtlasModels
import Foundation

/// The `w=`, `a=` and `kv=` values of a custom scheme spec.
extension QuantSchemeParser {
    /// A comma-separated option list: its format (first item) and the flags after it.
    struct Options {
        var format: String
        var symmetric: Bool?
        var granularity: String?
        var clip: Float = 1
    }

    static func options(_ value: String, spec: String, field: String) throws(QuantSchemeError) -> Options {
        let items = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var o = Options(format: items.first ?? "")
        for item in items.dropFirst() {
            switch item {
            case "sym": o.symmetric = true
            case "asym": o.symmetric = false
            case "tensor", "channel", "token": o.granularity = item
            case _ where item.hasPrefix("clip"):
                guard let r = Float(item.dropFirst(4)), r > 0, r <= 1 else {
                    throw QuantSchemeError(scheme: spec, field: "\(field) clip ratio", found: item, expected: "clip<r> with 0 < r ≤ 1, e.g. clip0.9")
                }
                o.clip = r
            case _ where item.hasPrefix("g") && Int(item.dropFirst()) != nil:
                o.granularity = item
            default:
                throw QuantSchemeError(scheme: spec, field: field, found: "option '\(item)'",
                                       expected: "sym, asym, tensor, channel, g<G>, token or clip<r>")
            }
        }
        return o
    }

    /// The element format named `name` (`int<b>`, `fp8e4m3`, `fp8e5m2`), nil for `float`/`none`.
    static func element(_ name: String, symmetric: Bool?, spec: String, field: String) throws(QuantSchemeError) -> ElementFormat? {
        if name == "float" || name == "none" || name == "f32" { return nil }
        if name.hasPrefix("int"), let bits = Int(name.dropFirst(3)) {
            try checkBits(bits, spec: spec, field: "\(field) bits")
            return .integer(bits: bits, symmetric: symmetric ?? true)
        }
        if name.hasPrefix("fp8"), let f = FP8Format(rawValue: String(name.dropFirst(3))) {
            guard symmetric != false else {
                throw QuantSchemeError(scheme: spec, field: field, found: "asym with \(name)", expected: "FP8 formats are symmetric")
            }
            return .fp8(f)
        }
        throw QuantSchemeError(scheme: spec, field: "\(field) format", found: name,
                               expected: "int<2…8>, fp8e4m3, fp8e5m2 or float" + (field == "w" ? " or a GGUF type" : ""))
    }

    static func weights(_ value: String, spec: String) throws(QuantSchemeError) -> WeightQuantization? {
        let o = try options(value, spec: spec, field: "w")
        let upper = o.format.uppercased()
        if upper.hasPrefix("Q") || upper.hasPrefix("IQ") {
            guard let type = ggufTypes[upper] else {
                throw QuantSchemeError(scheme: spec, field: "w GGUF type", found: upper,
                                       expected: "one of \(Quantize.supported.map(\.name).joined(separator: ", "))")
            }
            guard o.symmetric == nil, o.granularity == nil, o.clip == 1 else {
                throw QuantSchemeError(scheme: spec, field: "w", found: "options after \(upper)", expected: "a GGUF type alone (its block layout fixes every parameter)")
            }
            return .gguf(type)
        }
        guard let format = try element(o.format, symmetric: o.symmetric, spec: spec, field: "w") else { return nil }
        let granularity: WeightGranularity
        switch o.granularity {
        case nil, "channel": granularity = .perChannel
        case "tensor": granularity = .perTensor
        case let g? where g.hasPrefix("g"): granularity = try group(Int(g.dropFirst())!, spec: spec)
        case let g?:
            throw QuantSchemeError(scheme: spec, field: "w granularity", found: g, expected: "tensor, channel or g<G>")
        }
        return .uniform(format: format, granularity: granularity, clip: o.clip)
    }

    static func activations(_ value: String, spec: String, field: String) throws(QuantSchemeError) -> ActivationQuantization? {
        let o = try options(value, spec: spec, field: field)
        guard let format = try element(o.format, symmetric: o.symmetric, spec: spec, field: field) else { return nil }
        let granularity: ActivationGranularity
        switch o.granularity {
        case nil, "token": granularity = .perToken
        case "tensor": granularity = .perTensor
        case let g?:
            throw QuantSchemeError(scheme: spec, field: "\(field) granularity", found: g, expected: "token (dynamic) or tensor (static)")
        }
        return ActivationQuantization(format: format, granularity: granularity, clip: o.clip)
    }
}
