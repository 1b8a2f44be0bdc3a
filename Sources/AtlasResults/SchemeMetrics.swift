import Foundation

/// The numeric fields of each quantization scheme's result, found by reflection through its JSON
/// encoding, so comparisons and history follow `SchemeResult` as its owner adds fields. Paths are
/// dotted (`perplexity.allPositions`, `layers[3].sqnrDB`); arrays of plain numbers (vectors) are
/// skipped. Pure.
public enum SchemeMetrics {
    /// scheme name → (field path → value), for every scheme in `schemes`.
    public static func numbers(_ schemes: [SchemeResult]) -> [String: [String: Double]] {
        let encoder = ResultsJSON.encoder(.line)
        var out: [String: [String: Double]] = [:]
        for scheme in schemes {
            guard let data = try? encoder.encode(scheme),
                  let value = try? JSONDecoder().decode(JSONValue.self, from: data) else { continue }
            var fields: [String: Double] = [:]
            value.flatten(path: "", into: &fields)
            out[scheme.name] = fields
        }
        return out
    }

    /// The lowercase words of a field path: `layers[3].sqnrDB` → [layers, 3, sqnr, db].
    public static func words(_ path: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previous: Character?
        for c in path {
            if !(c.isLetter || c.isNumber) {
                if !current.isEmpty { words.append(current) }
                current = ""
            } else {
                if c.isUppercase, let p = previous, p.isLowercase || p.isNumber, !current.isEmpty {
                    words.append(current)
                    current = ""
                }
                current.append(c)
            }
            previous = c
        }
        if !current.isEmpty { words.append(current) }
        return words.map { $0.lowercased() }
    }

    /// Whether a field path names a metric: one of its words is in `names`, and it is not a
    /// count (`scoredTokens…`, `…Count`).
    public static func path(_ path: String, names: Set<String>) -> Bool {
        let w = words(path)
        guard !w.contains(where: { ["count", "tokens", "scored", "bits", "group"].contains($0) }) else { return false }
        return w.contains { names.contains($0) }
    }
}

/// Any JSON value, decoded strictly (a number is never a Bool), for `SchemeMetrics`.
enum JSONValue: Decodable {
    case number(Double), other, array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let n = try? c.decode(Double.self) {
            self = .number(n)
        } else if let o = try? c.decode([String: JSONValue].self) {
            self = .object(o)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .other
        }
    }

    func flatten(path: String, into fields: inout [String: Double]) {
        switch self {
        case .number(let n): fields[path] = n
        case .object(let o):
            for (k, v) in o { v.flatten(path: path.isEmpty ? k : "\(path).\(k)", into: &fields) }
        case .array(let a):
            // Arrays of objects (per-layer records) are walked; plain vectors are not metrics.
            guard a.contains(where: { if case .object = $0 { true } else { false } }) else { return }
            for (i, v) in a.enumerated() { v.flatten(path: "\(path)[\(i)]", into: &fields) }
        case .other: break
        }
    }
}
