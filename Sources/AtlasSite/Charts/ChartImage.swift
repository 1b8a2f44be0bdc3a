import Foundation

/// A chart ready for a page: the PNG bytes, its pixel size (for the `width`/`height` attributes),
/// the alt text the caller supplied, and the tick positions so the template can place labels
/// with CSS. Labels, titles and legends are deliberately not drawn into the image: HTML text is
/// crisp at any zoom, searchable, selectable and translatable, and we need no font rendering.
public struct ChartImage: Sendable, Equatable {
    public var png: Data
    public var width: Int
    public var height: Int
    public var alt: String
    public var xTicks: [AxisTick]
    public var yTicks: [AxisTick]

    public init(png: Data, width: Int, height: Int, alt: String, xTicks: [AxisTick], yTicks: [AxisTick]) {
        self.png = png
        self.width = width
        self.height = height
        self.alt = alt
        self.xTicks = xTicks
        self.yTicks = yTicks
    }
}
