/// Typed reads of GGUF metadata that fail with a `FormatError` naming the file and the key.
struct GGUFMetadataReader {
    let metadata: [String: GGUFValue]
    let file: String

    /// The elements of the array at `key`, each converted by `element` (nil: wrong type).
    func array<T>(_ key: String, _ expected: String, _ element: (GGUFValue) -> T?) throws -> [T] {
        guard let value = metadata[key] else {
            throw FormatError(file: file, field: key, found: "missing", expected: expected)
        }
        guard let values = value.array else {
            throw FormatError(file: file, field: key, found: value.description, expected: expected)
        }
        var out: [T] = []
        out.reserveCapacity(values.count)
        for (i, v) in values.enumerated() {
            guard let x = element(v) else {
                throw FormatError(file: file, field: "\(key)[\(i)]", found: "\(v)", expected: expected)
            }
            out.append(x)
        }
        return out
    }

    /// The value at `key` converted by `convert`, nil when the key is absent.
    func optional<T>(_ key: String, _ expected: String, _ convert: (GGUFValue) -> T?) throws -> T? {
        guard let value = metadata[key] else { return nil }
        guard let x = convert(value) else {
            throw FormatError(file: file, field: key, found: value.description, expected: expected)
        }
        return x
    }
}
