import AtlasResults

/// A heatmap of a 2-D grid of magnitudes (rows = layers, columns = channels) on a log colour
/// scale. Each cell is an integer block of pixels, so channels never blur together: wide grids
/// get one pixel per column and several per row. NaN cells and cells missing from short rows are
/// painted `missingColor`; zero and negative values get the scale's lowest colour. A grid wider
/// than `maxPixelColumns` is max-pooled into that many pixel columns (each shows the largest
/// value of its group of channels, so a single outlier channel stays visible): the image of one
/// heatmap is bounded whatever a results file holds.
public struct Heatmap: Sendable {
    /// The most pixel columns a heatmap draws before pooling channels (above every published
    /// hidden size but the largest; 10^6 channels once took 22 s and 246 MB to render).
    public static let maxPixelColumns = 8192
    public var grid: [[Float]]
    public var scale: LogColorScale
    public var colormap: Colormap
    public var cellWidth: Int
    public var cellHeight: Int
    public var missingColor: RGBColor = RGBColor(hex: 0x808080)

    /// A heatmap whose cell size fits the grid into about `targetWidth` × `targetHeight` pixels
    /// (at least 1 × 2 pixels per cell, rows at most 24 pixels tall).
    public init(grid: [[Float]], scale: LogColorScale, colormap: Colormap = .viridis,
                targetWidth: Int = 768, targetHeight: Int = 320) {
        let columns = grid.map(\.count).max() ?? 0
        self.grid = grid
        self.scale = scale
        self.colormap = colormap
        self.cellWidth = max(1, targetWidth / max(1, columns))
        self.cellHeight = min(24, max(2, targetHeight / max(1, grid.count)))
    }

    /// Explicit cell size.
    public init(grid: [[Float]], scale: LogColorScale, colormap: Colormap = .viridis, cellWidth: Int, cellHeight: Int) {
        precondition(cellWidth > 0 && cellHeight > 0, "cells need at least one pixel")
        self.grid = grid
        self.scale = scale
        self.colormap = colormap
        self.cellWidth = cellWidth
        self.cellHeight = cellHeight
    }

    public var rowCount: Int { grid.count }
    public var columnCount: Int { grid.map(\.count).max() ?? 0 }

    /// The colour of one value.
    public func color(for value: Float) -> RGBColor {
        guard let t = scale.fraction(Double(value)) else { return missingColor }
        return colormap.color(at: t)
    }

    /// Channels per pixel column: 1 up to `maxPixelColumns` channels, then enough to fit.
    public var pooling: Int { max(1, (columnCount + Self.maxPixelColumns - 1) / Self.maxPixelColumns) }

    /// Draws the grid: row r occupies pixel rows [r × cellHeight, (r+1) × cellHeight); column c
    /// shows the largest finite value of channels [c × pooling, (c+1) × pooling). Pure.
    public func raster() -> Raster {
        let group = pooling, columns = (columnCount + group - 1) / group
        var raster = Raster(width: columns * cellWidth, height: rowCount * cellHeight, format: .rgb)
        for (r, row) in grid.enumerated() {
            for c in 0..<columns {
                let cells = row[min(c * group, row.count)..<min((c + 1) * group, row.count)]
                let value = group == 1 ? cells.first : cells.filter { !$0.isNaN }.max() ?? cells.first
                raster.fill(x: c * cellWidth, y: r * cellHeight, width: cellWidth, height: cellHeight,
                            with: value.map { color(for: $0) } ?? missingColor)
            }
        }
        return raster
    }

    /// Column ticks at cell centres (x) and row ticks at cell centres (y), as image fractions.
    public func ticks(maxColumnTicks: Int = 9, maxRowTicks: Int = 12) -> (x: [AxisTick], y: [AxisTick]) {
        let columns = columnCount, rows = rowCount
        let x = AxisTicks.indices(count: columns, maxCount: maxColumnTicks).map {
            AxisTick(fraction: (Double($0) + 0.5) / Double(columns), value: Double($0), label: String($0))
        }
        let y = AxisTicks.indices(count: rows, maxCount: maxRowTicks).map {
            AxisTick(fraction: (Double($0) + 0.5) / Double(rows), value: Double($0), label: String($0))
        }
        return (x, y)
    }

    /// The rendered heatmap image.
    public func render(alt: String) throws(PNGError) -> ChartImage {
        let raster = raster()
        let ticks = ticks()
        return ChartImage(png: try PNGEncoder.encode(raster), width: raster.width, height: raster.height,
                          alt: alt, xTicks: ticks.x, yTicks: ticks.y)
    }
}

/// A horizontal colour bar for a `LogColorScale`: t = 0 at the left edge, 1 at the right; ticks
/// at the powers of ten inside the scale (plus both ends when fewer than two decades fit).
public struct ColorBar: Sendable {
    public var scale: LogColorScale
    public var colormap: Colormap
    public var width: Int
    public var height: Int

    public init(scale: LogColorScale, colormap: Colormap = .viridis, width: Int = 256, height: Int = 14) {
        self.scale = scale
        self.colormap = colormap
        self.width = width
        self.height = height
    }

    /// Pixel column x shows the colour at t = (x + 0.5) / width. Pure.
    public func raster() -> Raster {
        var raster = Raster(width: width, height: height, format: .rgb)
        for x in 0..<width {
            raster.fill(x: x, y: 0, width: 1, height: height,
                        with: colormap.color(at: (Double(x) + 0.5) / Double(width)))
        }
        return raster
    }

    public func ticks() -> [AxisTick] {
        var values = AxisTicks.decades(lower: scale.lower, upper: scale.upper, maxCount: 7)
            .filter { $0 >= scale.lower * (1 - 1e-9) && $0 <= scale.upper * (1 + 1e-9) }
        if values.count < 2 { values = [scale.lower, scale.upper] }
        return values.map { value in
            AxisTick(fraction: scale.fraction(value) ?? 0, value: value, label: NumberFormat.compact(value))
        }
    }

    public func render(alt: String) throws(PNGError) -> ChartImage {
        ChartImage(png: try PNGEncoder.encode(raster()), width: width, height: height, alt: alt,
                   xTicks: ticks(), yTicks: [])
    }
}
