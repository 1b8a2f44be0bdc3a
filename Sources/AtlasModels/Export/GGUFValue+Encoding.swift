import Foundation

/// The binary form of metadata values, as gguf-py's `GGUFWriter._pack_val` writes them:
/// little-endian scalars, strings as u64 length + UTF-8 bytes, bools as one byte, arrays as
/// element type (u32) + count (u64) + the elements without type tags.
extension GGUFValue {
    /// The type tag written before the value.
    public var valueType: GGUFValueType {
        switch self {
        case .uint8: .uint8
        case .int8: .int8
        case .uint16: .uint16
        case .int16: .int16
        case .uint32: .uint32
        case .int32: .int32
        case .uint64: .uint64
        case .int64: .int64
        case .float32: .float32
        case .float64: .float64
        case .bool: .bool
        case .string: .string
        case .array: .array
        }
    }

    /// Appends the value (without its type tag) to `out`.
    func encode(into out: inout Data) {
        func put<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        switch self {
        case .uint8(let v): put(v)
        case .int8(let v): put(v)
        case .uint16(let v): put(v)
        case .int16(let v): put(v)
        case .uint32(let v): put(v)
        case .int32(let v): put(v)
        case .uint64(let v): put(v)
        case .int64(let v): put(v)
        case .float32(let v): put(v.bitPattern)
        case .float64(let v): put(v.bitPattern)
        case .bool(let v): put(UInt8(v ? 1 : 0))
        case .string(let s): GGUFValue.encodeString(s, into: &out)
        case .array(let elementType, let values):
            put(elementType.rawValue)
            put(UInt64(values.count))
            for v in values { v.encode(into: &out) }
        }
    }

    static func encodeString(_ s: String, into out: inout Data) {
        let bytes = Array(s.utf8)
        withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: bytes)
    }
}
