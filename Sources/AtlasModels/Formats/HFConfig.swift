import Foundation

/// A Hugging Face `config.json`, read with typed look-ups that fail with a `FormatError` naming
/// config.json, the key, what was found and what was expected. Keys may be dotted paths into
/// nested objects (`rope_parameters.rope_theta`).
public struct HFConfig: @unchecked Sendable {
    public static let fileName = "config.json"
    public let url: URL
    let root: [String: Any]

    public init(directory: URL) throws {
        url = directory.appendingPathComponent(Self.fileName)
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw FormatError(file: url.path, field: "(file)", found: "no readable file",
                              expected: "a Hugging Face config.json beside the weights")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw FormatError(file: url.path, field: "(root)", found: "malformed JSON or not an object", expected: "a JSON object")
        }
        root = object
    }

    /// The raw value at a dotted key path; nil when absent or JSON null.
    func value(_ key: String) -> Any? {
        var current: Any? = root
        for part in key.split(separator: ".") {
            current = (current as? [String: Any])?[String(part)]
        }
        return current is NSNull ? nil : current
    }

    func fail(_ key: String, _ expected: String) -> FormatError {
        FormatError(file: url.path, field: key, found: value(key).map(TokenizerJSON.describe) ?? "nothing", expected: expected)
    }

    public func has(_ key: String) -> Bool { value(key) != nil }

    /// A positive integer (counts and sizes).
    public func int(_ key: String, default fallback: Int? = nil) throws -> Int {
        guard let v = value(key) else {
            if let fallback { return fallback }
            throw fail(key, "a positive integer")
        }
        guard !TokenizerJSON.isJSONBool(v), let n = v as? NSNumber, let i = Int(exactly: n.doubleValue),
              i > 0, i < 1 << 31 else { throw fail(key, "a positive integer") }
        return i
    }

    /// A finite number; the first of `keys` present wins (new and old spellings of one setting).
    public func double(_ keys: [String], default fallback: Double? = nil) throws -> Double {
        guard let key = keys.first(where: has) else {
            if let fallback { return fallback }
            throw fail(keys[0], "a number")
        }
        guard let n = value(key) as? NSNumber, !TokenizerJSON.isJSONBool(value(key)), n.doubleValue.isFinite else {
            throw fail(key, "a finite number")
        }
        return n.doubleValue
    }

    /// A finite number above zero (RoPE bases, norm epsilons, scales); the first of `keys` present wins.
    public func positiveDouble(_ keys: [String], default fallback: Double) throws -> Double {
        try FormatError.positive(try double(keys, default: fallback), file: url.path, field: keys.first(where: has) ?? keys[0])
    }

    public func bool(_ key: String, default fallback: Bool) throws -> Bool {
        guard let v = value(key) else { return fallback }
        guard TokenizerJSON.isJSONBool(v), let b = v as? Bool else { throw fail(key, "true or false") }
        return b
    }

    public func string(_ key: String) throws -> String {
        guard let s = value(key) as? String else { throw fail(key, "a string") }
        return s
    }

    public func optionalString(_ key: String) throws -> String? {
        has(key) ? try string(key) : nil
    }

    /// `architectures` (a list of class names), empty when absent.
    public func architectures() throws -> [String] {
        guard let v = value("architectures") else { return [] }
        guard let list = v as? [String] else { throw fail("architectures", "a list of class names") }
        return list
    }

    /// The weight dtype the checkpoint declares (`dtype`, or `torch_dtype` in older files).
    public func dtype() throws -> String? {
        try optionalString(has("dtype") ? "dtype" : "torch_dtype")
    }

    /// An activation name (`hidden_act` / `activation_function`) as an `Activation`.
    public func activation(_ key: String) throws -> Activation {
        let name = try string(key)
        guard let a = Activation(configName: name) else {
            throw fail(key, "one of \(Activation.supportedConfigNames.joined(separator: ", "))")
        }
        return a
    }

    /// Requires `key` (when present) to equal `expected`: a setting this implementation does not model.
    public func require(_ key: String, equals expected: Bool, default fallback: Bool) throws {
        guard try bool(key, default: fallback) == expected else { throw fail(key, "\(expected) (the only setting supported)") }
    }
}
