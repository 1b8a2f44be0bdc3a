import Foundation

/// A tiny PNG chunk reader for tests: checks the signature and every chunk CRC, and reads IHDR.
/// It does not inflate IDAT; pixel checks are done on the raster before encoding.
struct PNGFile {
    struct Chunk {
        var type: String
        var data: [UInt8]
    }

    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    var chunks: [Chunk] = []
    var width = 0
    var height = 0
    var bitDepth = 0
    var colorType = 0

    init(_ data: Data) throws {
        let bytes = [UInt8](data)
        guard bytes.starts(with: Self.signature) else { throw Invalid(description: "bad signature") }
        var offset = 8
        while offset < bytes.count {
            guard offset + 12 <= bytes.count else { throw Invalid(description: "truncated chunk header at \(offset)") }
            let length = Int(Self.bigEndian(bytes, offset))
            let end = offset + 8 + length
            guard end + 4 <= bytes.count else { throw Invalid(description: "truncated chunk at \(offset)") }
            let typeAndData = Array(bytes[(offset + 4)..<end])
            let stored = Self.bigEndian(bytes, end)
            guard Self.crc32(typeAndData) == stored else {
                throw Invalid(description: "CRC mismatch in chunk at \(offset)")
            }
            chunks.append(Chunk(type: String(decoding: typeAndData.prefix(4), as: UTF8.self),
                                data: Array(typeAndData.dropFirst(4))))
            offset = end + 4
        }
        guard let header = chunks.first, header.type == "IHDR", header.data.count == 13 else {
            throw Invalid(description: "first chunk is not IHDR")
        }
        guard chunks.last?.type == "IEND" else { throw Invalid(description: "no IEND") }
        width = Int(Self.bigEndian(header.data, 0))
        height = Int(Self.bigEndian(header.data, 4))
        bitDepth = Int(header.data[8])
        colorType = Int(header.data[9])
    }

    static func bigEndian(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        (UInt32(bytes[at]) << 24) | (UInt32(bytes[at + 1]) << 16) | (UInt32(bytes[at + 2]) << 8) | UInt32(bytes[at + 3])
    }

    /// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320) as PNG uses it.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return crc ^ 0xFFFF_FFFF
    }
}
