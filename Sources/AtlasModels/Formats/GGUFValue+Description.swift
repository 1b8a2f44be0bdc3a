/// A GGUF value as an error message quotes it: its type in gguf-py's words and its value
/// (`uint32 5`, `string "llama"`, `array of 320 uint32`), never Swift's type names. Strings are
/// shortened to 64 characters; control characters are escaped by the message (`MessageText`).
extension GGUFValue: CustomStringConvertible {
    public var description: String {
        switch self {
        case .uint8(let v): return "uint8 \(v)"
        case .int8(let v): return "int8 \(v)"
        case .uint16(let v): return "uint16 \(v)"
        case .int16(let v): return "int16 \(v)"
        case .uint32(let v): return "uint32 \(v)"
        case .int32(let v): return "int32 \(v)"
        case .uint64(let v): return "uint64 \(v)"
        case .int64(let v): return "int64 \(v)"
        case .float32(let v): return "float32 \(v)"
        case .float64(let v): return "float64 \(v)"
        case .bool(let v): return "bool \(v)"
        case .string(let s): return "string \"\(s.count > 64 ? String(s.prefix(64)) + "…" : s)\""
        case .array(let type, let values): return "array of \(values.count) \(type)"
        }
    }
}
