import AtlasModels
import AtlasTestSupport
import Foundation
import Testing

/// Expects `body` to throw a `FormatError` whose `file` is `url.path` and whose field mentions `field`
/// (any field when `field` is empty).
func expectFormatError(_ url: URL, field: String, sourceLocation: SourceLocation = #_sourceLocation,
                       _ body: () throws -> Void) {
    do {
        try body()
        Issue.record("expected a FormatError about '\(field)' for \(url.lastPathComponent), got success", sourceLocation: sourceLocation)
    } catch let error as FormatError {
        #expect(error.file == url.path, "\(error)", sourceLocation: sourceLocation)
        #expect(field.isEmpty || error.field.contains(field), "\(error)", sourceLocation: sourceLocation)
        #expect(!error.found.isEmpty && !error.expected.isEmpty, "\(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected a FormatError, got \(error)", sourceLocation: sourceLocation)
    }
}

/// Byte offsets of the fields of one GGUF tensor info, found by the tensor's name.
struct TensorInfoFields {
    let nameLength: Int, nDims: Int, ne: Int, type: Int, offset: Int

    init(_ data: Data, name: String) throws {
        // The name is preceded by its uint64 length; the exact byte pattern length+name is unique.
        var pattern = Data()
        withUnsafeBytes(of: UInt64(name.utf8.count).littleEndian) { pattern.append(contentsOf: $0) }
        pattern.append(contentsOf: name.utf8)
        let start = try #require(data.range(of: pattern)).lowerBound
        nameLength = start
        nDims = start + 8 + name.utf8.count
        let n = Int(data.read(UInt32.self, at: nDims))
        ne = nDims + 4
        type = ne + 8 * n
        offset = type + 4
    }
}

/// Writes `data` to `name` in a fresh temporary directory.
func writeTemp(_ data: Data, name: String, in dir: URL) throws -> URL {
    let url = dir.appendingPathComponent(name)
    try data.write(to: url)
    return url
}
