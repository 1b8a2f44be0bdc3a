import Foundation

/// Writes a GGUF v3 file as gguf-py's `GGUFWriter` does: header (magic, version 3, tensor count,
/// metadata count), the metadata key/values in order, the tensor infos (name, n_dims, ne with the
/// row length first, ggml type, offset relative to the data section), zero padding to
/// `general.alignment` (default 32), then each tensor's data padded to the alignment. Block
/// types are quantized tensor by tensor as they are written.
public enum GGUFWriter {
    public static let version: UInt32 = 3

    /// The alignment `metadata` asks for (`general.alignment`, a power of two), default 32.
    public static func alignment(_ metadata: [(key: String, value: GGUFValue)], file: String) throws -> Int {
        guard let value = metadata.first(where: { $0.key == "general.alignment" })?.value else { return GGUFParser.defaultAlignment }
        guard let a = value.int, a > 0, a <= 1 << 30, a & (a - 1) == 0 else {
            throw FormatError(file: file, field: "metadata 'general.alignment'", found: "\(value)", expected: "a power of two integer")
        }
        return a
    }

    /// Writes `tensors` (shapes outermost first; written as ggml `ne`, reversed) with `metadata`.
    public static func write(metadata: [(key: String, value: GGUFValue)], tensors: [ExportTensor], to url: URL) throws {
        let path = url.path
        let alignment = try alignment(metadata, file: path)
        var keys = Set<String>()
        for (key, _) in metadata where !keys.insert(key).inserted {
            throw FormatError(file: path, field: "metadata '\(key)'", found: "a duplicate key", expected: "unique keys")
        }
        var names = Set<String>()
        for t in tensors where !names.insert(t.name).inserted || t.shape.count > GGUFParser.maxDims {
            throw FormatError(file: path, field: "tensor '\(t.name)'", found: "a duplicate name or \(t.shape.count) dims",
                              expected: "unique names, at most \(GGUFParser.maxDims) dims")
        }
        for t in tensors { try t.checkBlocks(file: path) }
        var head = Data()
        func put<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { head.append(contentsOf: $0) } }
        put(GGUFParser.magic)
        put(version)
        put(UInt64(tensors.count))
        put(UInt64(metadata.count))
        for (key, value) in metadata {
            GGUFValue.encodeString(key, into: &head)
            put(value.valueType.rawValue)
            value.encode(into: &head)
        }
        var offset = 0
        for t in tensors {
            GGUFValue.encodeString(t.name, into: &head)
            put(UInt32(t.shape.count))
            for ne in t.shape.reversed() { put(UInt64(ne)) }
            put(t.dtype.ggmlType.rawValue)
            put(UInt64(offset))
            offset += (t.byteCount + alignment - 1) / alignment * alignment
        }
        let file = try OutputFile(url)
        try file.write(head)
        try file.pad(to: alignment)
        for t in tensors {
            try file.write(try t.encoded(file: path))
            try file.pad(to: alignment)
        }
        try file.close()
    }
}
