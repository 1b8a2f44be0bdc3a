/// A 256-entry colour lookup table mapping t ∈ [0, 1] to a colour, looked up the way matplotlib
/// does (`index = min(255, Int(t × 256))`), so our pixels equal matplotlib's for the same t.
/// The tables are exact matplotlib 3.6.3 values (see ColormapTables.swift for how they were made).
public struct Colormap: Sendable, Equatable {
    public let name: String
    /// Exactly 256 entries, t = 0 first.
    public let entries: [RGBColor]

    public init(name: String, entries: [RGBColor]) {
        precondition(entries.count == 256, "a colormap has 256 entries")
        self.name = name
        self.entries = entries
    }

    /// matplotlib `viridis`: sequential, perceptually uniform, readable in grey and by the
    /// colour-blind. Used for magnitudes (heatmaps of |x|).
    public static let viridis = Colormap(name: "viridis", entries: viridisTable.map(RGBColor.init(hex:)))

    /// matplotlib `RdBu_r`: diverging blue → white → red, colour-blind safe. For signed values
    /// centred on zero (map −m…m to 0…1).
    public static let blueWhiteRed = Colormap(name: "RdBu_r", entries: rdBuRTable.map(RGBColor.init(hex:)))

    /// The colour for t; t is clamped to [0, 1] and NaN maps to t = 0.
    public func color(at t: Double) -> RGBColor {
        entries[Self.index(for: t)]
    }

    /// The table index for t (matplotlib's truncating lookup).
    public static func index(for t: Double) -> Int {
        guard t.isFinite || t == .infinity else { return 0 }
        let clamped = min(1, max(0, t))
        return min(255, Int(clamped * 256))
    }
}
