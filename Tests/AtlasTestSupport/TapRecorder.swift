import AtlasModels

/// Records every tap value of a forward pass, keyed `"<block>.<tap>"` (tests only).
public final class TapRecorder: TapObserver {
    public private(set) var values: [String: Matrix] = [:]
    private let blocks: Set<Int>?

    public init(blocks: Set<Int>? = nil) { self.blocks = blocks }

    public func wants(block: Int, tap: TapName) -> Bool { blocks?.contains(block) ?? true }

    public func observe(block: Int, tap: TapName, value: Matrix) {
        values["\(block).\(tap.rawValue)"] = value
    }

    public subscript(block: Int, tap: TapName) -> Matrix? { values["\(block).\(tap.rawValue)"] }
}

/// Comparison the fixtures README prescribes: max |a − b| relative to max |reference|.
public enum Closeness {
    public static func maxRelativeError(_ a: [Float], reference b: [Float]) -> Double {
        precondition(a.count == b.count, "size \(a.count) vs reference \(b.count)")
        var maxDiff = 0.0, maxRef = 0.0
        for i in 0..<a.count {
            maxDiff = max(maxDiff, abs(Double(a[i]) - Double(b[i])))
            maxRef = max(maxRef, abs(Double(b[i])))
        }
        return maxRef == 0 ? maxDiff : maxDiff / maxRef
    }

    public static func maxAbsoluteError(_ a: [Float], reference b: [Float]) -> Double {
        precondition(a.count == b.count)
        var m = 0.0
        for i in 0..<a.count { m = max(m, abs(Double(a[i]) - Double(b[i]))) }
        return m
    }
}
