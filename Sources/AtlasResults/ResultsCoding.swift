import Foundation

/// Reads and writes `RunResult` files deterministically (sorted keys, fixed float formatting).
public enum ResultsCoding {
    public static func encode(_ result: RunResult) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(result)
    }

    public static func decode(_ data: Data, file: String) throws -> RunResult {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let result: RunResult
        do {
            result = try decoder.decode(RunResult.self, from: data)
        } catch {
            throw ResultsError(file: file, detail: "not a results file (\(error))")
        }
        guard result.schemaVersion == RunResult.currentSchemaVersion else {
            throw ResultsError(file: file, detail: "schemaVersion: found \(result.schemaVersion), expected \(RunResult.currentSchemaVersion)")
        }
        return result
    }
}

/// A results file that cannot be read.
public struct ResultsError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var detail: String
    public init(file: String, detail: String) {
        self.file = file
        self.detail = detail
    }
    public var description: String { "\(file): \(detail)" }
}
