/// A bounds-checked little-endian cursor over a byte buffer; every read throws `FormatError`
/// (naming the file and the field being read) instead of running past the end.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    let file: String
    private(set) var offset: Int = 0

    init(bytes: UnsafeRawBufferPointer, file: String) {
        self.bytes = bytes
        self.file = file
    }

    var remaining: Int { bytes.count - offset }

    func truncated(_ field: String, needed: Int) -> FormatError {
        FormatError(file: file, field: field,
                    found: "end of file at byte \(bytes.count) (needed \(needed) bytes at offset \(offset))",
                    expected: "a complete \(field)")
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type, _ field: @autoclosure () -> String) throws -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size else { throw truncated(field(), needed: size) }
        let v = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += size
        return T(littleEndian: v)
    }

    mutating func readFloat(_ field: @autoclosure () -> String) throws -> Float {
        Float(bitPattern: try read(UInt32.self, field()))
    }

    mutating func readDouble(_ field: @autoclosure () -> String) throws -> Double {
        Double(bitPattern: try read(UInt64.self, field()))
    }

    /// A count stored as uint64, checked against `limit` before anything is allocated.
    mutating func readCount(_ field: @autoclosure () -> String, minBytesEach: Int, limit: Int = Int.max) throws -> Int {
        let raw = try read(UInt64.self, field())
        let room = minBytesEach > 0 ? remaining / minBytesEach : Int.max
        guard raw <= UInt64(min(limit, room)) else {
            throw FormatError(file: file, field: field(), found: "\(raw)",
                              expected: "at most \(min(limit, room)) (what the remaining \(remaining) bytes can hold)")
        }
        return Int(raw)
    }

    /// A GGUF string: uint64 length, then that many UTF-8 bytes (no terminator).
    mutating func readString(_ field: @autoclosure () -> String) throws -> String {
        let raw = try read(UInt64.self, "\(field()) length")
        guard raw <= UInt64(remaining) else {
            throw FormatError(file: file, field: "\(field()) length", found: "\(raw)",
                              expected: "at most \(remaining) (the bytes left in the file)")
        }
        let n = Int(raw)
        let s = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + n)]), as: UTF8.self)
        offset += n
        return s
    }

}
