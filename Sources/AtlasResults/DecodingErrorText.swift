import Foundation

/// A `DecodingError` said the way a user can act on it: the field path in the file
/// (`taps[3].block`), what was found and what was expected, without Swift type names or
/// debug descriptions. Other errors pass through as their description.
public enum DecodingErrorText {
    /// `"<field path>: <found>, expected <what>"`, or `"not valid JSON"` for unparseable text.
    /// With `data`, valid JSON that Foundation still calls invalid (it does so, without a path,
    /// for a fraction or a huge number where an integer belongs) is said as such.
    public static func describe(_ error: any Error, data: Data? = nil) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): missing, expected a value"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): found null, expected \(expectation(for: type))"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): found another kind of value, expected \(expectation(for: type))"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                guard let data, (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil else {
                    return "not valid JSON"
                }
                return "found a number that does not fit its field (a fraction or an out-of-range value where an integer belongs)"
            }
            return "\(path(context.codingPath)): found an unreadable value, expected \(corruptedExpectation(context))"
        @unknown default:
            return "not readable"
        }
    }

    /// `a.b[2].c`; `(root)` for the top level.
    public static func path(_ keys: [any CodingKey]) -> String {
        var out = ""
        for key in keys {
            if let index = key.intValue, key.stringValue.hasPrefix("Index ") || key.stringValue == "\(index)" {
                out += "[\(index)]"
            } else {
                out += out.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return out.isEmpty ? "(root)" : MessageText.escaped(out)
    }

    /// Plain words for the types our files hold.
    static func expectation(for type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int32.Type, is Int64.Type, is UInt32.Type, is UInt64.Type, is UInt8.Type: return "an integer"
        case is Double.Type, is Float.Type: return "a number"
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        default:
            return String(describing: type).hasPrefix("Array<") ? "an array" : "an object"
        }
    }

    static func corruptedExpectation(_ context: DecodingError.Context) -> String {
        let text = context.debugDescription.lowercased()
        if text.contains("number") || text.contains("fit") { return "a number that fits its field" }
        return "a valid value"
    }
}
