/// A safetensors element type (the `dtype` strings of the safetensors format).
public enum SafetensorsDType: String, Sendable, CaseIterable {
    case f64 = "F64", f32 = "F32", f16 = "F16", bf16 = "BF16"
    case f8_e4m3 = "F8_E4M3", f8_e5m2 = "F8_E5M2"
    case i64 = "I64", i32 = "I32", i16 = "I16", i8 = "I8"
    case u64 = "U64", u32 = "U32", u16 = "U16", u8 = "U8"
    case bool = "BOOL"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .f64, .i64, .u64: return 8
        case .f32, .i32, .u32: return 4
        case .f16, .bf16, .i16, .u16: return 2
        case .f8_e4m3, .f8_e5m2, .i8, .u8, .bool: return 1
        }
    }

    /// Whether `floats` can read this type (converted to Float32).
    public var isFloat: Bool { self == .f64 || self == .f32 || self == .f16 || self == .bf16 }

    /// Whether `int64s` can read this type exactly.
    public var isInteger: Bool {
        switch self {
        case .i64, .i32, .i16, .i8, .u32, .u16, .u8, .bool: return true
        default: return false
        }
    }
}

/// One tensor of a safetensors file: its type, shape and where its bytes are.
public struct SafetensorsTensorInfo: Sendable, Equatable {
    public let name: String
    public let dtype: SafetensorsDType
    public let shape: [Int]
    /// Absolute byte range in the file (data section offset + `data_offsets`).
    public let byteRange: Range<Int>

    public init(name: String, dtype: SafetensorsDType, shape: [Int], byteRange: Range<Int>) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.byteRange = byteRange
    }

    /// Number of elements (1 for a scalar of shape []).
    public var elementCount: Int { shape.reduce(1, *) }
}
