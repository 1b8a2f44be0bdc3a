import Foundation

/// A bar chart of one value per integer x (e.g. massive activations per layer), drawn onto a
/// transparent RGBA raster with the same frame, tick marks and HTML labels as `LineChart`.
/// On a log scale, bars of values ≤ 0 (or non-finite) are left out and the bars rise from the
/// bottom of the domain; on a linear scale they rise from 0, or hang down from it when
/// negative. Pure apart from PNG encoding.
public struct BarChart: Sendable {
    public var values: [Double]
    public var yScale: AxisScale
    public var color: RGBColor
    public var width: Int
    public var height: Int
    /// Pixels between the image edge and the plot area (tick marks live here).
    public var margin: Int = 8
    /// Fraction of each slot the bar fills (the rest is the gap between bars).
    public var barFraction = 0.7

    public init(values: [Double], yScale: AxisScale, color: RGBColor = LineChart.palette[0],
                width: Int = 640, height: Int = 200) {
        self.values = values
        self.yScale = yScale
        self.color = color
        self.width = width
        self.height = height
    }

    /// `.log` when the positive values span more than two decades, else `.linear`.
    public static func scale(for values: [Double]) -> AxisScale {
        let positive = values.filter { $0.isFinite && $0 > 0 }
        guard let lo = positive.min(), let hi = positive.max() else { return .linear }
        return hi / lo > 100 ? .log : .linear
    }

    var frame: PlotFrame { PlotFrame(width: width, height: height, margin: margin) }
    var axis: ValueAxis { ValueAxis(values: values, scale: yScale) }

    /// The y tick values; the first and last are the ends of the y domain.
    public var yTickValues: [Double] { axis.ticks }

    /// The pixel span of slot i: the plot width split into `values.count` equal slots.
    func slot(_ index: Int) -> (left: Double, right: Double) {
        let frame = frame
        let slotWidth = (frame.right - frame.left) / Double(max(1, values.count))
        return (frame.left + Double(index) * slotWidth, frame.left + Double(index + 1) * slotWidth)
    }

    func centreX(_ index: Int) -> Double {
        let s = slot(index)
        return (s.left + s.right) / 2
    }

    func xTickIndices() -> [Int] { AxisTicks.indices(count: values.count, maxCount: 13) }

    /// Frame, then each bar as a filled rectangle from the baseline to its value, clipped to
    /// the plot area.
    public func raster() -> Raster {
        var raster = Raster(width: width, height: height, format: .rgba, fill: RGBColor(hex: 0xFFFFFF), alpha: 0)
        let axis = axis, frame = frame
        frame.draw(on: &raster,
                   yRows: axis.ticks.compactMap { axis.fraction($0).map { Int(frame.y($0).rounded()) } },
                   xColumns: xTickIndices().map { Int(centreX($0).rounded()) })
        let base = yScale == .linear ? (axis.fraction(0) ?? 0) : 0
        for (index, value) in values.enumerated() {
            guard let t = axis.fraction(value), t != base else { continue }
            let s = slot(index)
            let inset = (s.right - s.left) * (1 - barFraction) / 2
            let x0 = Int((s.left + inset).rounded()), x1 = max(x0 + 1, Int((s.right - inset).rounded()))
            // Negative values (linear scale only) hang down from 0; the axis line stays visible.
            let top = Int(frame.y(min(1, max(t, base))).rounded()) + (t < base ? 1 : 0)
            let bottom = Int(frame.y(max(0, min(t, base))).rounded())
            raster.fill(x: x0, y: top, width: x1 - x0, height: bottom - top, with: color)
        }
        return raster
    }

    public func ticks() -> (x: [AxisTick], y: [AxisTick]) {
        let x = xTickIndices().map {
            AxisTick(fraction: centreX($0) / Double(width), value: Double($0), label: String($0))
        }
        return (x, axis.axisTicks(top: frame.top, bottom: frame.bottom, height: height))
    }

    public func render(alt: String) throws(PNGError) -> ChartImage {
        let ticks = ticks()
        return ChartImage(png: try PNGEncoder.encode(raster()), width: width, height: height, alt: alt,
                          xTicks: ticks.x, yTicks: ticks.y)
    }
}
