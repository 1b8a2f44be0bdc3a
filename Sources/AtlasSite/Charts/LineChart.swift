import Foundation

/// One line of a `LineChart`: y values at x = 0, 1, 2, … (e.g. layer index).
public struct LineSeries: Sendable, Equatable {
    public var name: String
    public var values: [Double]
    public var color: RGBColor

    public init(name: String, values: [Double], color: RGBColor) {
        self.name = name
        self.values = values
        self.color = color
    }
}

/// How a chart's y axis maps values.
public enum AxisScale: Sendable, Equatable {
    case linear
    /// log10; points ≤ 0 or non-finite are left out (the line breaks there).
    case log
}

/// A line chart of up to about four series over an integer x axis, drawn anti-aliased onto a
/// transparent RGBA raster (so it sits on light and dark pages) with axes and tick marks but no
/// text: see `ChartImage` for why labels are HTML.
public struct LineChart: Sendable {
    /// Okabe–Ito colours: distinguishable with every common colour-vision deficiency.
    public static let palette: [RGBColor] = [0x0072B2, 0xD55E00, 0x009E73, 0xCC79A7].map(RGBColor.init(hex:))
    static let axisColor = RGBColor(hex: 0x8A8A8A)

    public var series: [LineSeries]
    public var yScale: AxisScale
    public var width: Int
    public var height: Int
    /// Pixels between the image edge and the plot area (tick marks live here).
    public var margin: Int = 8

    public init(series: [LineSeries], yScale: AxisScale, width: Int = 640, height: Int = 280) {
        self.series = series
        self.yScale = yScale
        self.width = width
        self.height = height
    }

    /// The plot area in pixels: x in [left, right], y in [top, bottom] (bottom is the x axis).
    var plotArea: (left: Double, right: Double, top: Double, bottom: Double) {
        (Double(margin), Double(width - margin - 1), Double(margin), Double(height - margin - 1))
    }

    var pointCount: Int { series.map(\.values.count).max() ?? 0 }

    /// The y tick values; the first and last are the ends of the y domain.
    public func yTickValues() -> [Double] {
        let usable = series.flatMap(\.values).filter { $0.isFinite && (yScale == .linear || $0 > 0) }
        guard let lo = usable.min(), let hi = usable.max() else { return yScale == .log ? [1, 10] : [0, 1] }
        switch yScale {
        case .linear: return AxisTicks.linear(lower: min(0, lo), upper: hi)
        case .log: return AxisTicks.decades(lower: lo, upper: hi)
        }
    }

    /// Pixel x of data index i.
    func pixelX(_ index: Int) -> Double {
        let area = plotArea
        guard pointCount > 1 else { return (area.left + area.right) / 2 }
        return area.left + Double(index) / Double(pointCount - 1) * (area.right - area.left)
    }

    /// Pixel y of a value, or nil if it cannot be shown on this scale.
    func pixelY(_ value: Double, domain: (Double, Double)) -> Double? {
        guard value.isFinite else { return nil }
        let t: Double
        switch yScale {
        case .linear: t = (value - domain.0) / (domain.1 - domain.0)
        case .log:
            guard value > 0 else { return nil }
            t = (log10(value) - log10(domain.0)) / (log10(domain.1) - log10(domain.0))
        }
        let area = plotArea
        return area.bottom - t * (area.bottom - area.top)
    }

    /// Draws axes, faint grid lines, tick marks and the series. Pure.
    public func raster() -> Raster {
        var raster = Raster(width: width, height: height, format: .rgba, fill: RGBColor(hex: 0xFFFFFF), alpha: 0)
        let area = plotArea
        let yValues = yTickValues()
        let domain = (yValues.first!, yValues.last!)
        let (left, bottom) = (Int(area.left), Int(area.bottom))
        for tick in yValues {
            guard let y = pixelY(tick, domain: domain) else { continue }
            let row = Int(y.rounded())
            for x in (left + 1)...Int(area.right) { raster.blend(x: x, y: row, color: Self.axisColor, coverage: 0.3) }
            for x in (left - 5)..<left { raster.set(x: x, y: row, to: Self.axisColor) }
        }
        for index in xTickIndices() {
            let column = Int(pixelX(index).rounded())
            for y in (bottom + 1)...(bottom + 5) { raster.set(x: column, y: y, to: Self.axisColor) }
        }
        for y in Int(area.top)...bottom { raster.set(x: left, y: y, to: Self.axisColor) }
        for x in left...Int(area.right) { raster.set(x: x, y: bottom, to: Self.axisColor) }
        for line in series { draw(line, domain: domain, on: &raster) }
        return raster
    }

    func xTickIndices() -> [Int] { AxisTicks.indices(count: pointCount, maxCount: 13) }

    public func ticks() -> (x: [AxisTick], y: [AxisTick]) {
        let yValues = yTickValues()
        let domain = (yValues.first!, yValues.last!)
        let x = xTickIndices().map {
            AxisTick(fraction: pixelX($0) / Double(width), value: Double($0), label: String($0))
        }
        let y = yValues.compactMap { value in
            pixelY(value, domain: domain).map {
                AxisTick(fraction: $0 / Double(height), value: value, label: NumberFormat.compact(value))
            }
        }
        return (x, y)
    }

    public func render(alt: String) throws(PNGError) -> ChartImage {
        let ticks = ticks()
        return ChartImage(png: try PNGEncoder.encode(raster()), width: width, height: height, alt: alt,
                          xTicks: ticks.x, yTicks: ticks.y)
    }

    /// One series: the coverage of all its segments and point markers is max-combined first and
    /// blended once, so joints are not painted twice.
    private func draw(_ line: LineSeries, domain: (Double, Double), on raster: inout Raster) {
        var coverage = [Double](repeating: 0, count: width * height)
        let points: [(Double, Double)?] = line.values.indices.map { i in
            pixelY(line.values[i], domain: domain).map { (pixelX(i), $0) }
        }
        for i in points.indices {
            guard let p = points[i] else { continue }
            if i + 1 < points.count, let q = points[i + 1] {
                stamp(from: p, to: q, radius: 1.0, into: &coverage)
            }
            stamp(from: p, to: p, radius: 2.5, into: &coverage)
        }
        for y in 0..<height {
            for x in 0..<width where coverage[y * width + x] > 0 {
                raster.blend(x: x, y: y, color: line.color, coverage: coverage[y * width + x])
            }
        }
    }

    /// Anti-aliased capsule from p to q: coverage = clamp(radius + 0.5 − distance, 0, 1).
    private func stamp(from p: (Double, Double), to q: (Double, Double), radius: Double, into coverage: inout [Double]) {
        let reach = radius + 1
        let x0 = max(0, Int((min(p.0, q.0) - reach).rounded(.down)))
        let x1 = min(width - 1, Int((max(p.0, q.0) + reach).rounded(.up)))
        let y0 = max(0, Int((min(p.1, q.1) - reach).rounded(.down)))
        let y1 = min(height - 1, Int((max(p.1, q.1) + reach).rounded(.up)))
        guard x0 <= x1, y0 <= y1 else { return }
        let dx = q.0 - p.0, dy = q.1 - p.1
        let lengthSquared = dx * dx + dy * dy
        for y in y0...y1 {
            for x in x0...x1 {
                let px = Double(x), py = Double(y)
                let t = lengthSquared > 0 ? min(1, max(0, ((px - p.0) * dx + (py - p.1) * dy) / lengthSquared)) : 0
                let ex = px - (p.0 + t * dx), ey = py - (p.1 + t * dy)
                let value = min(1, max(0, radius + 0.5 - (ex * ex + ey * ey).squareRoot()))
                let index = y * width + x
                if value > coverage[index] { coverage[index] = value }
            }
        }
    }
}
