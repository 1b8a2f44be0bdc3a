import Foundation

/// Writes a `.safetensors` file the way the reference implementation (`safetensors.serialize`)
/// lays it out: a little-endian u64 header length N, N bytes of JSON (`__metadata__` of strings,
/// then per tensor `dtype`, `shape`, `data_offsets` relative to the data section), padded with
/// spaces so the data section starts at a multiple of 8, then the tensors' bytes back to back.
public enum SafetensorsWriter {
    /// The header bytes (length prefix included) for `tensors` stored in order; `file` names the
    /// target in errors.
    public static func header(_ tensors: [ExportTensor], metadata: [String: String], file: String = "<safetensors>") throws -> Data {
        var root: [String: Any] = [:]
        if !metadata.isEmpty { root["__metadata__"] = metadata }
        var offset = 0
        for t in tensors {
            guard !t.dtype.isQuantized else {
                throw FormatError(file: file, field: "tensor '\(t.name)' dtype", found: t.dtype.rawValue, expected: "F32 or F16 (block types are GGUF only)")
            }
            guard root[t.name] == nil, t.name != "__metadata__" else {
                throw FormatError(file: file, field: "tensor name", found: "'\(t.name)' twice or reserved",
                                  expected: "unique tensor names other than __metadata__")
            }
            root[t.name] = ["dtype": t.dtype.rawValue, "shape": t.shape, "data_offsets": [offset, offset + t.byteCount]] as [String: Any]
            offset += t.byteCount
        }
        var json = try JSONSerialization.data(withJSONObject: root, options: [.sortedKeys, .withoutEscapingSlashes])
        let padding = (8 - json.count % 8) % 8
        json.append(contentsOf: [UInt8](repeating: UInt8(ascii: " "), count: padding))
        var out = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(json)
        return out
    }

    /// Writes `tensors` to `url` (replacing it), streaming one tensor at a time.
    public static func write(_ tensors: [ExportTensor], metadata: [String: String], to url: URL) throws {
        let file = try OutputFile(url)
        try file.write(try header(tensors, metadata: metadata, file: url.path))
        for t in tensors { try file.write(try t.encoded(file: url.path)) }
        try file.close()
    }
}

/// A file being written: created empty, appended to, closed; errors name the file.
final class OutputFile {
    let url: URL
    private let handle: FileHandle
    private(set) var offset = 0

    init(_ url: URL) throws {
        self.url = url
        guard FileManager.default.createFile(atPath: url.path, contents: nil),
              let handle = FileHandle(forWritingAtPath: url.path) else {
            throw FormatError(file: url.path, field: "file", found: "not creatable", expected: "a writable location")
        }
        self.handle = handle
    }

    func write(_ data: Data) throws {
        do { try handle.write(contentsOf: data) } catch {
            throw FormatError(file: url.path, field: "write at byte \(offset)", found: "\(error.localizedDescription)",
                              expected: "room to write \(data.count) bytes")
        }
        offset += data.count
    }

    /// Zero bytes up to the next multiple of `alignment`.
    func pad(to alignment: Int) throws {
        let n = (alignment - offset % alignment) % alignment
        if n > 0 { try write(Data(count: n)) }
    }

    func close() throws {
        do { try handle.synchronize(); try handle.close() } catch {
            throw FormatError(file: url.path, field: "close", found: "\(error.localizedDescription)", expected: "a flushed file")
        }
    }
}
