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
        // First call: nil buffer asks for the size (PNG_IMAGE_PNG_SIZE_MAX does not import).
        var size: png_alloc_size_t = 0
        let sized = raster.bytes.withUnsafeBytes { pixels in
            png_image_write_to_memory(&image, nil, &size, 0, pixels.baseAddress, stride, nil)
        }
        guard sized != 0, size > 0 else { throw PNGError(message: message(of: &image)) }

        var output = [UInt8](repeating: 0, count: Int(size))
        let written = output.withUnsafeMutableBytes { buffer in
            raster.bytes.withUnsafeBytes { pixels in
                png_image_write_to_memory(&image, buffer.baseAddress, &size, 0, pixels.baseAddress, stride, nil)
            }
        }
        guard written != 0 else { throw PNGError(message: message(of: &image)) }
        return Data(output.prefix(Int(size)))
    }

    /// `image.message` (a C char array) decoded up to its NUL.
    private static func message(of image: inout png_image) -> String {
        let text = withUnsafeBytes(of: &image.message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        return text.isEmpty ? "unknown libpng error" : text
    }
}
