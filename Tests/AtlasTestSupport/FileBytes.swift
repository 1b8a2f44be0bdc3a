import Foundation

/// Byte edits of model files for hostile-input tests: little-endian integers at byte offsets,
/// and where a string or a GGUF metadata value sits.
extension Data {
    public mutating func put<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        Swift.withUnsafeBytes(of: value.littleEndian) { replaceSubrange(offset..<(offset + MemoryLayout<T>.size), with: $0) }
    }

    public func read<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
        var v: T = 0
        _ = Swift.withUnsafeMutableBytes(of: &v) { copyBytes(to: $0, from: offset..<(offset + MemoryLayout<T>.size)) }
        return T(littleEndian: v)
    }

    /// Offset of the first occurrence of `string`'s UTF-8 bytes.
    public func offset(of string: String) -> Int? {
        range(of: Data(string.utf8)).map { $0.lowerBound - startIndex }
    }
}

/// Where things are in a GGUF file's bytes.
public enum GGUFBytes {
    public struct KeyNotFound: Error { public let key: String }

    /// Offset of the value type field of metadata key `key` (the key follows its uint64 length;
    /// the value follows the 4-byte type).
    public static func valueTypeOffset(_ data: Data, key: String) throws -> Int {
        var pattern = Data()
        Swift.withUnsafeBytes(of: UInt64(key.utf8.count).littleEndian) { pattern.append(contentsOf: $0) }
        pattern.append(contentsOf: key.utf8)
        guard let range = data.range(of: pattern) else { throw KeyNotFound(key: key) }
        return range.upperBound - data.startIndex
    }
}
