import Foundation

/// A GGUF model file (versions 2 and 3), memory-mapped: metadata and tensor infos are parsed
/// and validated at open, tensor data is read from the map on demand (never copied whole).
public final class GGUFFile: @unchecked Sendable {
    public let url: URL
    public let version: UInt32
    public let metadata: [String: GGUFValue]
    /// Metadata keys in file order.
    public let metadataKeys: [String]
    /// Tensor infos in file order.
    public let tensors: [GGUFTensorInfo]
    /// `general.alignment` (default 32).
    public let alignment: Int
    /// Absolute offset of the tensor data section.
    public let dataOffset: Int

    let map: MappedFile
    private let index: [String: Int]

    /// Opens and validates `url`; throws `FormatError` (file, field, found, expected) on bad input.
    public init(url: URL) throws {
        self.url = url
        map = try MappedFile(url: url)
        let header = try GGUFParser.parse(map.bytes, file: url.path)
        version = header.version
        metadata = header.metadata
        metadataKeys = header.metadataKeys
        tensors = header.tensors
        alignment = header.alignment
        dataOffset = header.dataOffset
        index = Dictionary(uniqueKeysWithValues: header.tensors.enumerated().map { ($1.name, $0) })
    }

    /// The size of the file in bytes.
    public var fileSize: Int { map.count }

    public func tensorInfo(_ name: String) -> GGUFTensorInfo? {
        index[name].map { tensors[$0] }
    }

    /// Metadata value for `key` (convenience for `metadata[key]`).
    public subscript(key: String) -> GGUFValue? { metadata[key] }
}
