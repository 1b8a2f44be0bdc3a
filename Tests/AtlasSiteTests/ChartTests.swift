@testable import AtlasSite
import Foundation
import Testing

@Suite struct ColormapTests {
    @Test func viridisEndpointsMatchMatplotlib() {
        #expect(Colormap.viridis.color(at: 0).cssHex == "#440154")
        #expect(Colormap.viridis.color(at: 1).cssHex == "#fde725")
        #expect(Colormap.viridis.color(at: 0.5).cssHex == "#21918c") // matplotlib viridis(0.5)
        #expect(Colormap.viridis.entries.count == 256)
    }

    @Test func divergingMapIsBlueWhiteRed() {
        let map = Colormap.blueWhiteRed
        let low = map.color(at: 0), mid = map.color(at: 0.5), high = map.color(at: 1)
        #expect(low.blue > low.red)
        #expect(high.red > high.blue)
        #expect(mid.red > 240 && mid.green > 240 && mid.blue > 240)
    }

    @Test func lookupTruncatesLikeMatplotlib() {
        #expect(Colormap.index(for: 0) == 0)
        #expect(Colormap.index(for: 1) == 255)
        #expect(Colormap.index(for: 0.5) == 128)
        #expect(Colormap.index(for: 1.0 / 256 - 1e-12) == 0)
        #expect(Colormap.index(for: -3) == 0)
        #expect(Colormap.index(for: 7) == 255)
        #expect(Colormap.index(for: .nan) == 0)
    }
}

@Suite struct LogScaleTests {
    @Test func mapsDecadesLinearly() throws {
        let scale = LogColorScale(lower: 0.01, upper: 100)
        #expect(scale.fraction(0.01) == 0)
        #expect(scale.fraction(100) == 1)
        #expect(abs(try #require(scale.fraction(1)) - 0.5) < 1e-12)
        #expect(abs(try #require(scale.fraction(0.1)) - 0.25) < 1e-12)
        #expect(scale.fraction(0) == 0)
        #expect(scale.fraction(-5) == 0)
        #expect(scale.fraction(1e9) == 1)
        #expect(scale.fraction(.nan) == nil)
        #expect(abs(scale.value(at: 0.75) - 10) < 1e-9)
    }

    @Test func fitsPositiveFiniteValuesOnly() throws {
        let scale = try #require(LogColorScale(fitting: [0, -1, .nan, .infinity, 0.5, 40]))
        #expect(scale.lower == 0.5 && scale.upper == 40)
        #expect(LogColorScale(fitting: [0, -2, .nan]) == nil)
        let constant = try #require(LogColorScale(fitting: [3, 3]))
        #expect(constant.lower == 0.3 && constant.upper == 3)
    }
}

@Suite struct HeatmapTests {
    @Test func cellsAreIntegerPixelBlocksWithColormapColours() {
        // Three decades: 1, 10, 100, 1000 → t = 0, 1/3, 2/3, 1.
        let grid: [[Float]] = [[1, 10], [100, 1000], [0, .nan]]
        let scale = LogColorScale(lower: 1, upper: 1000)
        let heatmap = Heatmap(grid: grid, scale: scale, cellWidth: 3, cellHeight: 2)
        let raster = heatmap.raster()
        #expect(raster.width == 6 && raster.height == 6 && raster.format == .rgb)
        let viridis = Colormap.viridis
        func cell(_ row: Int, _ column: Int) -> Set<RGBColor> {
            var colours = Set<RGBColor>()
            for y in (row * 2)..<(row * 2 + 2) { for x in (column * 3)..<(column * 3 + 3) { colours.insert(raster.color(x: x, y: y)) } }
            return colours
        }
        #expect(cell(0, 0) == [viridis.entries[0]])
        #expect(cell(0, 1) == [viridis.entries[85]])  // Int(1/3 × 256) = 85
        #expect(cell(1, 0) == [viridis.entries[170]]) // Int(2/3 × 256) = 170
        #expect(cell(1, 1) == [viridis.entries[255]])
        #expect(cell(1, 1) == [RGBColor(hex: 0xFDE725)])
        #expect(cell(2, 0) == [viridis.entries[0]])   // zero: lowest colour
        #expect(cell(2, 1) == [heatmap.missingColor]) // NaN: missing colour
    }

    @Test func wideGridsGetOnePixelPerChannelAndTallerRows() {
        let grid = Array(repeating: [Float](repeating: 1, count: 2048), count: 30)
        let heatmap = Heatmap(grid: grid, scale: LogColorScale(lower: 0.1, upper: 10))
        #expect(heatmap.cellWidth == 1)
        #expect(heatmap.cellHeight == 10)
        let narrow = Heatmap(grid: [[Float](repeating: 1, count: 64)], scale: LogColorScale(lower: 0.1, upper: 10))
        #expect(narrow.cellWidth == 12)
    }

    /// Wider than `maxPixelColumns`: channels are max-pooled, so the image stays bounded and a
    /// single outlier channel still shows in its pixel column.
    @Test func veryWideGridsArePooledKeepingTheOutlier() {
        var row = [Float](repeating: 0.1, count: 20_000)
        row[12_345] = 1000
        row[19_999] = .nan
        let heatmap = Heatmap(grid: [row, [Float](repeating: .nan, count: 20_000)], scale: LogColorScale(lower: 0.1, upper: 1000))
        #expect(heatmap.pooling == 3 && heatmap.columnCount == 20_000)
        let raster = heatmap.raster()
        #expect(raster.width == 6667)
        let high = Colormap.viridis.entries[255], low = Colormap.viridis.entries[0]
        #expect(raster.color(x: 12_345 / 3, y: 0) == high)
        #expect(raster.color(x: 12_345 / 3 - 1, y: 0) == low && raster.color(x: 6666, y: 0) == low)
        #expect(raster.color(x: 0, y: heatmap.cellHeight) == heatmap.missingColor)  // all NaN: missing
    }

    @Test func ticksSitAtCellCentres() {
        let heatmap = Heatmap(grid: Array(repeating: [Float](repeating: 1, count: 64), count: 4),
                              scale: LogColorScale(lower: 0.1, upper: 10), cellWidth: 2, cellHeight: 5)
        let ticks = heatmap.ticks()
        #expect(ticks.y.map(\.fraction) == [0.125, 0.375, 0.625, 0.875])
        #expect(ticks.y.map(\.label) == ["0", "1", "2", "3"])
        #expect(ticks.x.first?.fraction == 0.5 / 64)
        #expect(ticks.x.map(\.label).prefix(3) == ["0", "10", "20"])
    }

    @Test func colorBarRunsFromLowToHighWithDecadeTicks() {
        let bar = ColorBar(scale: LogColorScale(lower: 0.01, upper: 100), width: 256, height: 4)
        let raster = bar.raster()
        #expect(raster.color(x: 0, y: 0) == Colormap.viridis.entries[0])
        #expect(raster.color(x: 255, y: 3) == Colormap.viridis.entries[255])
        #expect(bar.ticks().map(\.label) == ["0.01", "0.1", "1", "10", "100"])
        let fractions = bar.ticks().map(\.fraction)
        #expect(zip(fractions, [0, 0.25, 0.5, 0.75, 1]).allSatisfy { abs($0 - $1) < 1e-12 })
    }
}

@Suite struct LineChartTests {
    @Test func drawsSeriesOnATransparentBackgroundWithAxes() {
        let chart = LineChart(series: [LineSeries(name: "max", values: [1, 10, 100, 1000], color: LineChart.palette[0])],
                              yScale: .log, width: 200, height: 100)
        let raster = chart.raster()
        #expect(raster.format == .rgba)
        #expect(raster.alpha(x: 100, y: 2) == 0)             // background is transparent
        #expect(raster.color(x: 8, y: 50) == LineChart.axisColor) // y axis
        // The first point (value 1 = bottom of the 1…1000 domain) sits at the plot's lower left corner.
        #expect(raster.color(x: 8, y: 91) == LineChart.palette[0])
        #expect(raster.color(x: 191, y: 8) == LineChart.palette[0]) // last point, top right
        let ticks = chart.ticks()
        #expect(ticks.y.map(\.label) == ["1", "10", "100", "1000"])
        #expect(ticks.y.first!.fraction == 91.0 / 100)
        #expect(ticks.y.last!.fraction == 8.0 / 100)
        #expect(ticks.x.map(\.label) == ["0", "1", "2", "3"])
    }

    @Test func logScaleSkipsNonPositivePoints() {
        let chart = LineChart(series: [LineSeries(name: "a", values: [0, -1, 5, 50], color: LineChart.palette[1])],
                              yScale: .log, width: 120, height: 60)
        #expect(chart.yTickValues() == [1, 10, 100])
        _ = chart.raster() // must not trap
    }

    @Test func linearTicksAreNiceNumbers() {
        #expect(AxisTicks.linear(lower: 0, upper: 0.93, count: 5) == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(AxisTicks.linear(lower: -3, upper: 7, count: 5) == [-4, -2, 0, 2, 4, 6, 8])
        #expect(AxisTicks.decades(lower: 0.03, upper: 2000) == [0.01, 0.1, 1, 10, 100, 1000, 10000])
        #expect(AxisTicks.indices(count: 30, maxCount: 12) == [0, 5, 10, 15, 20, 25])
    }
}

@Suite struct PNGTests {
    @Test func rgbRasterEncodesToAValidPNG() throws {
        var raster = Raster(width: 5, height: 3, format: .rgb)
        raster.set(x: 1, y: 1, to: RGBColor(hex: 0x440154))
        let data = try PNGEncoder.encode(raster)
        let png = try PNGFile(data)
        #expect(png.width == 5 && png.height == 3 && png.bitDepth == 8 && png.colorType == 2)
        #expect(png.chunks.contains { $0.type == "IDAT" })
        #expect(!png.chunks.contains { $0.type == "tIME" || $0.type == "tEXt" })
        #expect(try PNGEncoder.encode(raster) == data) // deterministic
    }

    @Test func rgbaRasterHasColourType6() throws {
        let png = try PNGFile(try PNGEncoder.encode(Raster(width: 2, height: 7, format: .rgba, alpha: 0)))
        #expect(png.width == 2 && png.height == 7 && png.bitDepth == 8 && png.colorType == 6)
    }

    @Test func corruptedBytesFailTheCRCCheck() throws {
        var data = try PNGEncoder.encode(Raster(width: 4, height: 4, format: .rgb))
        data[20] ^= 0xFF // inside IHDR
        #expect(throws: PNGFile.Invalid.self) { try PNGFile(data) }
    }

    @Test func emptyImageIsATypedError() {
        #expect(throws: PNGError.self) { try PNGEncoder.encode(Raster(width: 0, height: 3, format: .rgb)) }
    }

    @Test func libpngMessagesComeBackAsPNGError() {
        // Over libpng's default user limit of 1,000,000 columns: libpng itself rejects it.
        do {
            _ = try PNGEncoder.encode(Raster(width: 1_000_001, height: 1, format: .rgb))
            Issue.record("expected an error")
        } catch {
            #expect(!error.message.isEmpty)
        }
    }
}

@Suite struct BarChartTests {
    @Test func barsRiseFromZeroOnALinearScale() {
        let chart = BarChart(values: [0, 5, 10], yScale: .linear, color: LineChart.palette[2], width: 130, height: 60)
        let raster = chart.raster()
        #expect(chart.yTickValues == [0, 2, 4, 6, 8, 10])
        // Slots are 38 px wide from x = 8; bar 2 (value 10) fills to the top of the plot.
        #expect(raster.color(x: Int(chart.centreX(2)), y: 9) == LineChart.palette[2])
        #expect(raster.color(x: Int(chart.centreX(1)), y: 40) == LineChart.palette[2])
        #expect(raster.alpha(x: Int(chart.centreX(1)), y: 20) < 255)  // value 5 stops halfway
        #expect(raster.alpha(x: Int(chart.centreX(0)), y: 40) == 0)   // zero: no bar
        #expect(chart.ticks().x.map(\.label) == ["0", "1", "2"])
        #expect(chart.ticks().y.first?.label == "0")
    }

    @Test func negativeBarsHangDownFromZero() {
        let chart = BarChart(values: [-5, 10, .nan], yScale: .linear, color: LineChart.palette[2], width: 130, height: 68)
        let raster = chart.raster()
        #expect(chart.yTickValues.first! <= -5 && chart.yTickValues.last! >= 10)
        let zero = Int(chart.frame.y(chart.axis.fraction(0)!).rounded())
        let x0 = Int(chart.centreX(0)), x1 = Int(chart.centreX(1))
        #expect(raster.color(x: x0, y: zero + 3) == LineChart.palette[2])   // below 0: the negative bar
        #expect(raster.alpha(x: x0, y: zero - 3) == 0)                      // nothing above 0
        #expect(raster.color(x: x1, y: zero - 3) == LineChart.palette[2])
        #expect(raster.alpha(x: x1, y: zero + 3) == 0)
        #expect(raster.alpha(x: Int(chart.centreX(2)), y: zero + 3) == 0)   // NaN: no bar
    }

    @Test func logScaleIsChosenWhenCountsSpanDecadesAndSkipsZeros() {
        #expect(BarChart.scale(for: [0, 1, 2, 50]) == .linear)
        #expect(BarChart.scale(for: [0, 1, 2, 500]) == .log)
        let chart = BarChart(values: [0, 1, 1000], yScale: .log, width: 100, height: 50)
        #expect(chart.yTickValues == [1, 10, 100, 1000])
        let raster = chart.raster()
        #expect(raster.alpha(x: Int(chart.centreX(0)), y: 35) == 0)
        #expect(raster.alpha(x: Int(chart.centreX(1)), y: 35) == 0) // value 1 = bottom of the domain
        #expect(raster.color(x: Int(chart.centreX(2)), y: 20) == LineChart.palette[0])
    }

    @Test func pngBytesAreDeterministic() throws {
        let chart = BarChart(values: [3, 1, 4, 1, 5], yScale: .linear)
        #expect(try chart.render(alt: "a").png == (try chart.render(alt: "a").png))
    }
}

@Suite struct SparklineTests {
    @Test func sharedDomainGivesEqualValuesEqualHeightsAcrossCharts() {
        let a = LineChart.sparkline(LineSeries(name: "a", values: [10, 10], color: LineChart.palette[0]), yScale: .log, domain: 1...1000)
        let b = LineChart.sparkline(LineSeries(name: "b", values: [10, 900], color: LineChart.palette[0]), yScale: .log, domain: 1...1000)
        #expect(a.yTickValues() == [1, 10, 100, 1000] && b.yTickValues() == a.yTickValues())
        let ra = a.raster(), rb = b.raster()
        // Value 10 is one third up the 2…29 plot rows: row 20 in both.
        #expect(ra.alpha(x: 3, y: 20) > 0 && rb.alpha(x: 3, y: 20) > 0)
        #expect(a.ticks().x.isEmpty && a.ticks().y.isEmpty)
        #expect(ra.alpha(x: 2, y: 2) == 0) // no axes
    }

    @Test func valueAxisMapsDecades() throws {
        let axis = ValueAxis(values: [0.5, 40, .nan, -1], scale: .log)
        #expect(axis.ticks == [0.1, 1, 10, 100])
        #expect(abs(try #require(axis.fraction(10)) - 2.0 / 3) < 1e-12)
        #expect(axis.fraction(0) == nil && axis.fraction(.infinity) == nil)
        #expect(ValueAxis(values: [], scale: .linear).ticks == [0, 1])
    }
}
