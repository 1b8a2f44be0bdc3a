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
/// text: see `ChartImage` for why labels are HTML. With `drawsAxes` off and a small size it is a
/// sparkline; `fixedDomain` gives several charts one y scale so they can be compared.
public struct LineChart: Sendable {
    /// Okabe–Ito colours: distinguishable with every common colour-vision deficiency.
    public static let palette: [RGBColor] = [0x0072B2, 0xD55E00, 0x009E73, 0xCC79A7].map(RGBColor.init(hex:))
    static let axisColor = PlotFrame.axisColor

    public var series: [LineSeries]
    public var yScale: AxisScale
    public var width: Int
    public var height: Int
    /// Pixels between the image edge and the plot area (tick marks live here).
    public var margin: Int = 8
    /// The y range to show instead of the data's own (shared by charts that are compared).
    public var fixedDomain: ClosedRange<Double>?
    /// Axes, grid lines and tick marks; off for sparklines.
    public var drawsAxes = true
    /// Radius of the dot at each point (0: none).
    public var markerRadius = 2.5
    /// Half the line width.
    public var lineRadius = 1.0

    public init(series: [LineSeries], yScale: AxisScale, width: Int = 640, height: Int = 280) {
        self.series = series
        self.yScale = yScale
        self.width = width
        self.height = height
    }

    /// A sparkline: no axes, no markers, thin line, a 2-pixel margin.
    public static func sparkline(_ series: LineSeries, yScale: AxisScale, domain: ClosedRange<Double>?,
                                 width: Int = 120, height: Int = 32) -> LineChart {
        var chart = LineChart(series: [series], yScale: yScale, width: width, height: height)
        chart.margin = 2
        chart.fixedDomain = domain
        chart.drawsAxes = false
        chart.markerRadius = 0
        chart.lineRadius = 0.75
        return chart
    }

    var frame: PlotFrame { PlotFrame(width: width, height: height, margin: margin) }

    var pointCount: Int { series.map(\.values.count).max() ?? 0 }

    var axis: ValueAxis { ValueAxis(values: series.flatMap(\.values), scale: yScale, fixed: fixedDomain) }

    /// The y tick values; the first and last are the ends of the y domain.
    public func yTickValues() -> [Double] { axis.ticks }

    /// Pixel x of data index i.
    func pixelX(_ index: Int) -> Double {
        let frame = frame
        guard pointCount > 1 else { return (frame.left + frame.right) / 2 }
        return frame.left + Double(index) / Double(pointCount - 1) * (frame.right - frame.left)
    }

    /// Draws axes, faint grid lines, tick marks and the series. Pure.
    public func raster() -> Raster {
        var raster = Raster(width: width, height: height, format: .rgba, fill: RGBColor(hex: 0xFFFFFF), alpha: 0)
        let axis = axis, frame = frame
        if drawsAxes {
            frame.draw(on: &raster,
                       yRows: axis.ticks.compactMap { axis.fraction($0).map { Int(frame.y($0).rounded()) } },
                       xColumns: xTickIndices().map { Int(pixelX($0).rounded()) })
        }
        for line in series { draw(line, axis: axis, on: &raster) }
        return raster
    }

    func xTickIndices() -> [Int] { AxisTicks.indices(count: pointCount, maxCount: 13) }

    public func ticks() -> (x: [AxisTick], y: [AxisTick]) {
        guard drawsAxes else { return ([], []) }
        let x = xTickIndices().map {
            AxisTick(fraction: pixelX($0) / Double(width), value: Double($0), label: String($0))
        }
        return (x, axis.axisTicks(top: frame.top, bottom: frame.bottom, height: height))
    }

    public func render(alt: String) throws(PNGError) -> ChartImage {
        let ticks = ticks()
        return ChartImage(png: try PNGEncoder.encode(raster()), width: width, height: height, alt: alt,
                          xTicks: ticks.x, yTicks: ticks.y)
    }

    /// One series: the coverage of all its segments and point markers is max-combined first and
    /// blended once, so joints are not painted twice.
    private func draw(_ line: LineSeries, axis: ValueAxis, on raster: inout Raster) {
        var coverage = [Double](repeating: 0, count: width * height)
        let frame = frame
        let points: [(Double, Double)?] = line.values.indices.map { i in
            axis.fraction(line.values[i]).map { (pixelX(i), frame.y($0)) }
        }
        for i in points.indices {
            guard let p = points[i] else { continue }
            if i + 1 < points.count, let q = points[i + 1] {
                stamp(from: p, to: q, radius: lineRadius, into: &coverage)
            }
            // A lone point still shows as a dot when markers are off.
            let dot = markerRadius > 0 ? markerRadius : (points.count == 1 ? 1.5 : 0)
            if dot > 0 { stamp(from: p, to: p, radius: dot, into: &coverage) }
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
