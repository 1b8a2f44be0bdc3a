import Foundation

/// A `[Float]` stored in results files as one base64 string of little-endian IEEE-754 binary32
/// values: lossless (NaN and ±infinity included) at 5⅓ characters a value, where a JSON number
/// array took 12–20 (and a pretty-printed one a line each). Per-channel vectors are most of a
/// results file. Decoding also accepts a plain array of numbers (files written before).
@propertyWrapper
public struct PackedFloats: Codable, Sendable, Equatable {
    public var wrappedValue: [Float]

    public init(wrappedValue: [Float]) { self.wrappedValue = wrappedValue }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let text = try? c.decode(String.self) {
            wrappedValue = try Self.unpack(text, codingPath: decoder.codingPath)
        } else {
            wrappedValue = try c.decode([Float].self)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(Self.pack(wrappedValue))
    }

    public static func pack(_ values: [Float]) -> String {
        var bytes = Data(capacity: values.count * 4)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        return bytes.base64EncodedString()
    }

    static func unpack(_ text: String, codingPath: [CodingKey]) throws -> [Float] {
        guard let bytes = Data(base64Encoded: text), bytes.count % 4 == 0 else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath,
                debugDescription: "expected base64 of little-endian float32 values (a multiple of 4 bytes)"))
        }
        return bytes.withUnsafeBytes { raw in
            (0..<(raw.count / 4)).map { i -> Float in
                let bits: UInt32 = raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)
                return Float(bitPattern: UInt32(littleEndian: bits))
            }
        }
    }
}

/// An optional `[Float]` stored like `PackedFloats`; a missing key or null reads as nil.
@propertyWrapper
public struct PackedOptionalFloats: Codable, Sendable, Equatable {
    public var wrappedValue: [Float]?

    public init(wrappedValue: [Float]?) { self.wrappedValue = wrappedValue }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        wrappedValue = c.decodeNil() ? nil : try PackedFloats(from: decoder).wrappedValue
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        if let wrappedValue { try c.encode(PackedFloats.pack(wrappedValue)) } else { try c.encodeNil() }
    }
}

extension KeyedDecodingContainer {
    /// A missing key is nil (what a plain optional property does).
    public func decode(_ type: PackedOptionalFloats.Type, forKey key: Key) throws -> PackedOptionalFloats {
        try decodeIfPresent(type, forKey: key) ?? PackedOptionalFloats(wrappedValue: nil)
    }
}

extension KeyedEncodingContainer {
    /// nil is left out (what a plain optional property does).
    public mutating func encode(_ value: PackedOptionalFloats, forKey key: Key) throws {
        if value.wrappedValue != nil { try encodeIfPresent(value, forKey: key) }
    }
}
