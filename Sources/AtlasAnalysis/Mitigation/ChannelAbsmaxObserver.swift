import AtlasModels
import Foundation

/// Per-block, per-tap running channel absmax (max over tokens of |x_j|) over calibration
/// forwards: the activation statistic SmoothQuant and the mitigations calibrate on.
public final class ChannelAbsmaxObserver: TapObserver, @unchecked Sendable {
    public let taps: Set<TapName>
    /// `absmax[tap]![block]` — one value per channel.
    public private(set) var absmax: [TapName: [Int: [Float]]] = [:]
    private let lock = NSLock()

    public init(taps: Set<TapName>) { self.taps = taps }

    public func wants(block: Int, tap: TapName) -> Bool { taps.contains(tap) }

    public func observe(block: Int, tap: TapName, value: Matrix) {
        var m = [Float](repeating: 0, count: value.cols)
        value.data.withUnsafeBufferPointer { x in
            for r in 0..<value.rows {
                let row = r * value.cols
                for c in 0..<value.cols { m[c] = max(m[c], abs(x[row + c])) }
            }
        }
        lock.lock(); defer { lock.unlock() }
        let old = absmax[tap, default: [:]][block]
        absmax[tap, default: [:]][block] = old.map { zip($0, m).map { max($0, $1) } } ?? m
    }

    /// Runs `model` over `windows` and returns the observer holding the absmax of `taps`.
    public static func calibrate(_ model: AnalyzedModel, taps: Set<TapName>, windows: [[Int32]]) -> ChannelAbsmaxObserver {
        let observer = ChannelAbsmaxObserver(taps: taps)
        for window in windows { _ = model.pass(tokens: window, observer: observer) }
        return observer
    }
}

/// The weight edits that fold a per-input-channel scale out of a norm and into the Linears
/// reading it; shared by SmoothQuant, gamma folding and the rotation.
enum ChannelScaling {
    /// `W[:, j] *= s[j]` on a `[out, in]` weight.
    static func scaleColumns(_ linear: Linear, by s: [Float]) -> Linear {
        var w = linear.weight
        precondition(w.cols == s.count)
        w.data.withUnsafeMutableBufferPointer { p in
            for r in 0..<w.rows { for c in 0..<w.cols { p[r * w.cols + c] *= s[c] } }
        }
        return Linear(weight: w, bias: linear.bias)
    }

    /// The Linears reading the output of `role`'s norm in block `block` (q k v, or gate up).
    static func readers(of role: NormRole, in model: some BlockModel, block: Int) -> [(LinearKind, Linear)] {
        model.family.readers(of: role).map { ($0, model.linear(at: LinearSite(block: block, kind: $0))) }
    }

    /// Moves a per-channel factor from `role`'s norm in block `block` into the Linears reading
    /// it: the gamma becomes `gamma` (the old one divided by `s`), their columns `W[:, j] *= s[j]`.
    /// Exact in float for a norm without beta.
    static func fold(_ s: [Float], gamma: [Float], role: NormRole, block: Int, in model: inout some BlockModel) {
        for (kind, linear) in readers(of: role, in: model, block: block) {
            model.blocks[block][linear: kind] = scaleColumns(linear, by: s)
        }
        model.blocks[block][norm: role].gamma = gamma
    }

    /// Per input column, max |W[:, j]| over several Linears that read the same input.
    static func columnAbsmax(_ linears: [Linear]) -> [Float] {
        var m = [Float](repeating: 0, count: linears[0].inFeatures)
        for l in linears {
            let w = l.weight, cols = w.cols
            w.data.withUnsafeBufferPointer { p in
                for r in 0..<w.rows { for c in 0..<cols { m[c] = max(m[c], abs(p[r * cols + c])) } }
            }
        }
        return m
    }
}
