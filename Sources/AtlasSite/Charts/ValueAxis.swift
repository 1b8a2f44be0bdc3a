import AtlasResults
import Foundation

/// The value (y) axis of a line or bar chart: its tick values, whose first and last are the
/// ends of the domain, and the mapping of a value to a fraction of the plot height. Pure.
///
/// The domain comes from the data, or from `fixed` when several charts must share one scale
/// to be compared (e.g. the sparklines of the index). Linear domains start at 0 or below; log
/// domains run from a power of ten to a power of ten.
public struct ValueAxis: Sendable, Equatable {
    public let scale: AxisScale
    /// Tick values, ascending; `ticks.first` and `ticks.last` are the domain.
    public let ticks: [Double]

    /// The axis for `values` (non-finite values, and values ≤ 0 on a log scale, are ignored),
    /// or for the range `fixed` when given.
    public init(values: [Double], scale: AxisScale, fixed: ClosedRange<Double>? = nil) {
        self.scale = scale
        let usable = (fixed.map { [$0.lowerBound, $0.upperBound] } ?? values)
            .filter { $0.isFinite && (scale == .linear || $0 > 0) }
        guard let lo = usable.min(), let hi = usable.max() else {
            ticks = scale == .log ? [1, 10] : [0, 1]
            return
        }
        switch scale {
        case .linear: ticks = AxisTicks.linear(lower: min(0, lo), upper: hi)
        case .log: ticks = AxisTicks.decades(lower: lo, upper: hi)
        }
    }

    public var lower: Double { ticks.first! }
    public var upper: Double { ticks.last! }

    /// 0 at the bottom of the domain, 1 at the top (may fall outside for values outside the
    /// domain); nil when the value cannot be shown (non-finite, or ≤ 0 on a log scale).
    public func fraction(_ value: Double) -> Double? {
        guard value.isFinite else { return nil }
        switch scale {
        case .linear: return (value - lower) / (upper - lower)
        case .log:
            guard value > 0 else { return nil }
            return (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
        }
    }

    /// The tick labels (`NumberFormat.compact`) at their pixel rows, for a plot spanning pixel
    /// rows `top` (the domain's upper end) to `bottom` in an image `height` pixels tall.
    func axisTicks(top: Double, bottom: Double, height: Int) -> [AxisTick] {
        ticks.compactMap { value in
            fraction(value).map { t in
                AxisTick(fraction: (bottom - t * (bottom - top)) / Double(height), value: value,
                         label: NumberFormat.compact(value))
            }
        }
    }
}

/// The plot area of a chart in pixels (x in [left, right], y in [top, bottom]; bottom is the
/// x axis) and the frame every chart draws the same way: faint grid lines at the y ticks, tick
/// marks outside the axes, and the two axis lines.
struct PlotFrame: Sendable {
    static let axisColor = RGBColor(hex: 0x8A8A8A)

    var left: Double
    var right: Double
    var top: Double
    var bottom: Double

    /// A plot area inset by `margin` pixels from every edge of a width × height image.
    init(width: Int, height: Int, margin: Int) {
        left = Double(margin)
        right = Double(width - margin - 1)
        top = Double(margin)
        bottom = Double(height - margin - 1)
    }

    /// Pixel y of a fraction of the value axis (0 = bottom).
    func y(_ fraction: Double) -> Double { bottom - fraction * (bottom - top) }

    /// Grid lines and y tick marks at `yRows`, x tick marks at `xColumns`, then both axes.
    func draw(on raster: inout Raster, yRows: [Int], xColumns: [Int]) {
        let (l, b, r) = (Int(left), Int(bottom), Int(right))
        for row in yRows {
            for x in (l + 1)...r { raster.blend(x: x, y: row, color: Self.axisColor, coverage: 0.3) }
            for x in (l - 5)..<l { raster.set(x: x, y: row, to: Self.axisColor) }
        }
        for column in xColumns {
            for y in (b + 1)...(b + 5) { raster.set(x: column, y: y, to: Self.axisColor) }
        }
        for y in Int(top)...b { raster.set(x: l, y: y, to: Self.axisColor) }
        for x in l...r { raster.set(x: x, y: b, to: Self.axisColor) }
    }
}
