internal import CPNG
import Foundation

/// libpng failed to encode an image; `message` is libpng's own text (e.g. "Invalid IHDR data").
public struct PNGError: Error, Equatable, CustomStringConvertible, Sendable {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { "PNG encoding failed: \(message)" }
}

/// Encodes a `Raster` as an 8-bit RGB or RGBA PNG with libpng's simplified API
/// (`png_image_write_to_memory`). The only file that imports CPNG: the classic libpng API
/// longjmps on error, which Swift cannot survive; the simplified API does its own setjmp and
/// reports failure as 0 plus `image.message`. No time or text chunks are written, so equal
/// rasters give equal bytes (for one libpng/zlib build).
public enum PNGEncoder {
    public static func encode(_ raster: Raster) throws(PNGError) -> Data {
        guard raster.width > 0, raster.height > 0 else {
            throw PNGError(message: "empty image (\(raster.width) × \(raster.height))")
        }
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(raster.width)
        image.height = UInt32(raster.height)
        // PNG_FORMAT_RGBA is a composite macro that does not import: RGB | FLAG_ALPHA.
        image.format = UInt32(raster.format == .rgb ? PNG_FORMAT_RGB : PNG_FORMAT_RGB | PNG_FORMAT_FLAG_ALPHA)
        defer { png_image_free(&image) }

        let stride = Int32(raster.rowStride)
        // One compression pass into a buffer of zlib's worst case (stored blocks) plus the PNG
        // framing; should libpng still ask for more, it reports the size and we write again.
        let raw = raster.rowStride * raster.height + raster.height
        var capacity = raw + raw / 1000 + 5 * (raw / 16_383 + 1) + 4_096
        for _ in 0..<2 {
            var size = png_alloc_size_t(capacity)
            var output = [UInt8](repeating: 0, count: capacity)
            let written = output.withUnsafeMutableBytes { buffer in
                raster.bytes.withUnsafeBytes { pixels in
                    png_image_write_to_memory(&image, buffer.baseAddress, &size, 0, pixels.baseAddress, stride, nil)
                }
            }
            if written != 0 { return Data(output.prefix(Int(size))) }
            guard Int(size) > capacity else { break }
            capacity = Int(size)
        }
        throw PNGError(message: message(of: &image))
    }

    /// `image.message` (a C char array) decoded up to its NUL.
    private static func message(of image: inout png_image) -> String {
        let text = withUnsafeBytes(of: &image.message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        return text.isEmpty ? "unknown libpng error" : text
    }
}
