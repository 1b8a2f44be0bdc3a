/// The channel layout of a `Raster`: 8 bits per channel, interleaved.
public enum PixelFormat: Sendable, Equatable {
    case rgb
    case rgba

    /// Bytes per pixel.
    public var channelCount: Int { self == .rgb ? 3 : 4 }
}

/// A width × height pixel buffer, rows top to bottom, 8-bit channels interleaved.
/// Charts draw into it; `PNGEncoder` turns it into bytes. Pure value: no I/O.
public struct Raster: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let format: PixelFormat
    /// `height` rows of `width × format.channelCount` bytes.
    public private(set) var bytes: [UInt8]

    /// A raster filled with `fill` (alpha 255 for RGBA unless `alpha` says otherwise).
    public init(width: Int, height: Int, format: PixelFormat, fill: RGBColor = RGBColor(hex: 0xFFFFFF), alpha: UInt8 = 255) {
        precondition(width >= 0 && height >= 0, "negative raster size")
        self.width = width
        self.height = height
        self.format = format
        let pixel: [UInt8] = format == .rgb ? [fill.red, fill.green, fill.blue]
                                            : [fill.red, fill.green, fill.blue, alpha]
        let count = width * height * pixel.count
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            for offset in stride(from: 0, to: count, by: pixel.count) {
                for (channel, value) in pixel.enumerated() { buffer[offset + channel] = value }
            }
            initialized = count
        }
        self.bytes = bytes
    }

    /// Bytes per row.
    public var rowStride: Int { width * format.channelCount }

    /// The colour at (x, y), ignoring alpha.
    public func color(x: Int, y: Int) -> RGBColor {
        let offset = y * rowStride + x * format.channelCount
        return RGBColor(red: bytes[offset], green: bytes[offset + 1], blue: bytes[offset + 2])
    }

    /// The alpha at (x, y): 255 for RGB rasters.
    public func alpha(x: Int, y: Int) -> UInt8 {
        format == .rgb ? 255 : bytes[y * rowStride + x * 4 + 3]
    }

    /// Sets one pixel (opaque). Out-of-bounds coordinates are ignored.
    public mutating func set(x: Int, y: Int, to color: RGBColor) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let offset = y * rowStride + x * format.channelCount
        bytes[offset] = color.red
        bytes[offset + 1] = color.green
        bytes[offset + 2] = color.blue
        if format == .rgba { bytes[offset + 3] = 255 }
    }

    /// Fills the rectangle [x, x+w) × [y, y+h), clipped to the raster.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, with color: RGBColor) {
        let x0 = max(0, x), y0 = max(0, y)
        let x1 = min(width, x + w), y1 = min(height, y + h)
        guard x0 < x1, y0 < y1 else { return }
        for row in y0..<y1 {
            for column in x0..<x1 { set(x: column, y: row, to: color) }
        }
    }

    /// Paints `color` over pixel (x, y) with coverage in [0, 1] ("source over" compositing,
    /// straight alpha). Used for anti-aliased lines.
    public mutating func blend(x: Int, y: Int, color: RGBColor, coverage: Double) {
        guard x >= 0, y >= 0, x < width, y < height, coverage > 0 else { return }
        let a = min(1, coverage)
        let offset = y * rowStride + x * format.channelCount
        let dstAlpha = format == .rgba ? Double(bytes[offset + 3]) / 255 : 1
        let outAlpha = a + dstAlpha * (1 - a)
        func mix(_ source: UInt8, _ destination: UInt8) -> UInt8 {
            guard outAlpha > 0 else { return 0 }
            let value = (Double(source) * a + Double(destination) * dstAlpha * (1 - a)) / outAlpha
            return UInt8(max(0, min(255, value.rounded())))
        }
        bytes[offset] = mix(color.red, bytes[offset])
        bytes[offset + 1] = mix(color.green, bytes[offset + 1])
        bytes[offset + 2] = mix(color.blue, bytes[offset + 2])
        if format == .rgba { bytes[offset + 3] = UInt8((outAlpha * 255).rounded()) }
    }
}
