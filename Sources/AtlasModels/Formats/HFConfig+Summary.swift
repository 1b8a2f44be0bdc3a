import Foundation

extension HFConfig {
    /// Every top-level key of config.json with a one-line value, sorted by key (what `inspect`
    /// prints): strings quoted and cut at 60 characters, arrays as their first four items and
    /// their count, objects as their keys. Pure.
    public var summary: [(key: String, value: String)] {
        root.keys.sorted().map { ($0, Self.short(root[$0])) }
    }

    static func short(_ v: Any?) -> String {
        switch v {
        case nil, is NSNull: return "null"
        case let s as String: return s.count > 60 ? "\"\(s.prefix(60))…\"" : "\"\(s)\""
        case let b where TokenizerJSON.isJSONBool(b): return (b as? Bool ?? (b as? NSNumber)?.boolValue ?? false) ? "true" : "false"
        case let n as NSNumber: return n.description
        case let a as [Any]:
            let head = a.prefix(4).map(short).joined(separator: ", ")
            return a.count > 4 ? "[\(head), … (\(a.count) items)]" : "[\(head)]"
        case let o as [String: Any]:
            let keys = o.keys.sorted()
            return "{" + keys.prefix(6).joined(separator: ", ") + (keys.count > 6 ? ", … (\(keys.count) keys)" : "") + "}"
        default: return "\(v!)"
        }
    }
}
