import Foundation

/// The one JSON configuration of every file the tool writes or reads back (results, cache,
/// history, partial shards, cache keys, site downloads, `--json` reports): sorted keys, no
/// escaped slashes, non-finite numbers as the strings `inf`, `-inf`, `nan`. Equal values give
/// equal bytes.
public enum ResultsJSON {
    /// Pretty-printed (results files, downloads) or one line (history lines, cache keys).
    public enum Layout: Sendable { case pretty, line }

    public static func encoder(_ layout: Layout = .pretty) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = layout == .pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
                                                     : [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    public static func encode<Value: Encodable>(_ value: Value, _ layout: Layout = .pretty) throws -> Data {
        try encoder(layout).encode(value)
    }

    public static func decode<Value: Decodable>(_ type: Value.Type, from data: Data) throws -> Value {
        try decoder().decode(type, from: data)
    }

    /// Decodes `data` read from `file`; a failure is a `ResultsError` naming the file, the field
    /// path and what was expected (`DecodingErrorText`), e.g. "not a results file: taps[0].block:
    /// missing, expected a value".
    public static func decode<Value: Decodable>(_ type: Value.Type, from data: Data, file: String, what: String) throws -> Value {
        do {
            return try decoder().decode(type, from: data)
        } catch {
            throw ResultsError(file: file, detail: "not \(what): \(DecodingErrorText.describe(error, data: data))")
        }
    }
}

/// Reads and writes `RunResult` files (`ResultsJSON`, one line: a results file is data for the
/// site, `check` and scripts, its per-channel vectors packed — `PackedFloats`), checking the
/// schema version.
public enum ResultsCoding {
    public static func encode(_ result: RunResult) throws -> Data {
        try ResultsJSON.encode(result, .line)
    }

    public static func decode(_ data: Data, file: String) throws -> RunResult {
        let result = try ResultsJSON.decode(RunResult.self, from: data, file: file, what: "a results file")
        guard result.schemaVersion == RunResult.currentSchemaVersion else {
            throw ResultsError(file: file, detail: "schemaVersion: found \(result.schemaVersion), expected \(RunResult.currentSchemaVersion)")
        }
        try ResultsValidation.check(result, file: file)
        return result
    }
}

/// A results file that cannot be read (its text escaped to one line, `MessageText`).
public struct ResultsError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var detail: String
    public init(file: String, detail: String) {
        self.file = file
        self.detail = detail
    }
    public var description: String { MessageText.escaped("\(file): \(detail)") }
}
