import AtlasModels
import AtlasResults

/// Per-Linear SQNR of a scheme, accumulated over windows, measured on every `tokenStride`-th
/// token (rows 0, s, 2s, … of each window):
///
/// - **local**: during the float pass, the float input of a selected Linear (quantized as the
///   scheme quantizes that tap) times the quantized weight (+ bias) against the float output;
/// - **accumulated**: the Linear's output in the quantized pass against the float pass
///   (every Linear, selected or not).
///
/// Use `floatObserver` on the float forward of a window, then `quantizedObserver` on the
/// quantized forward of the same window.
public final class LinearErrorTracker {
    let plan: QuantPlan
    let quantized: any BlockModel
    let intervention: FakeQuantIntervention
    let tokenStride: Int
    let sites: [LinearSite]
    private var selected: Set<LinearSite>
    private var local: [LinearSite: ErrorEnergy] = [:]
    private var accumulated: [LinearSite: ErrorEnergy] = [:]
    /// Sampled float outputs of the current window, for the quantized pass.
    private var reference: [LinearSite: Matrix] = [:]
    /// Sampled (and quantized as the scheme says) float inputs of the current block.
    private var inputs: [TapName: Matrix] = [:]
    /// Per block: the Linear whose output each tap carries, and the input taps to record.
    private let outputSites: [Int: [TapName: LinearSite]]
    private let inputTapsWanted: [Int: Set<TapName>]

    public init(plan: QuantPlan, float model: any BlockModel, quantized: any BlockModel,
                intervention: FakeQuantIntervention, tokenStride: Int) {
        precondition(tokenStride >= 1)
        self.plan = plan
        self.quantized = quantized
        self.intervention = intervention
        self.tokenStride = tokenStride
        let all = model.linearSites
        self.sites = all
        self.selected = Set(plan.sites)
        var outputs: [Int: [TapName: LinearSite]] = [:]
        for site in all { outputs[site.block, default: [:]][model.outputTap(of: site)] = site }
        self.outputSites = outputs
        var taps: [Int: Set<TapName>] = [:]
        for site in plan.sites { taps[site.block, default: []].insert(quantized.inputTap(of: site)) }
        self.inputTapsWanted = taps
    }

    public lazy var floatObserver: TapObserver = FloatSide(self)
    public lazy var quantizedObserver: TapObserver = QuantizedSide(self)

    /// One entry per Linear of the model, in block then Linear order.
    public func results() -> [LinearError] {
        sites.map { site in
            LinearError(block: site.block, linear: site.kind.rawValue,
                        localSQNR: selected.contains(site) ? (local[site] ?? ErrorEnergy()).sqnr : nil,
                        accumulatedSQNR: (accumulated[site] ?? ErrorEnergy()).sqnr)
        }
    }

    func sample(_ m: Matrix) -> Matrix {
        if tokenStride == 1 { return m }
        let rows = (m.rows + tokenStride - 1) / tokenStride
        var out = Matrix(zeros: rows, m.cols)
        m.data.withUnsafeBufferPointer { src in
            out.data.withUnsafeMutableBufferPointer { dst in
                for r in 0..<rows {
                    (dst.baseAddress! + r * m.cols).update(from: src.baseAddress! + r * tokenStride * m.cols, count: m.cols)
                }
            }
        }
        return out
    }

    @inline(__always)
    func site(block: Int, outputTap: TapName) -> LinearSite? { outputSites[block]?[outputTap] }

    final class FloatSide: TapObserver {
        unowned let t: LinearErrorTracker
        init(_ t: LinearErrorTracker) { self.t = t }

        func wants(block: Int, tap: TapName) -> Bool {
            t.inputTapsWanted[block]?.contains(tap) == true || t.site(block: block, outputTap: tap) != nil
        }

        func observe(block: Int, tap: TapName, value: Matrix) {
            if t.inputTapsWanted[block]?.contains(tap) == true {
                var x = t.sample(value)
                if t.plan.rewrites(block: block, tap: tap), tap != .attnK, tap != .attnV,
                   let q = t.plan.activationQuantization(for: tap) {
                    t.intervention.quantize(&x, q, block: block, tap: tap)
                }
                t.inputs[tap] = x
            }
            guard let site = t.site(block: block, outputTap: tap) else { return }
            let y = t.sample(value)
            t.reference[site] = y
            guard t.selected.contains(site), let x = t.inputs[t.quantized.inputTap(of: site)] else { return }
            let yHat = t.quantized.linear(at: site)(x)
            y.data.withUnsafeBufferPointer { a in
                yHat.data.withUnsafeBufferPointer { b in
                    t.local[site, default: ErrorEnergy()].add(reference: a.baseAddress!, approximation: b.baseAddress!, count: a.count)
                }
            }
        }
    }

    final class QuantizedSide: TapObserver {
        unowned let t: LinearErrorTracker
        init(_ t: LinearErrorTracker) { self.t = t }

        func wants(block: Int, tap: TapName) -> Bool { t.site(block: block, outputTap: tap) != nil }

        func observe(block: Int, tap: TapName, value: Matrix) {
            guard let site = t.site(block: block, outputTap: tap), let y = t.reference.removeValue(forKey: site) else { return }
            let yHat = t.sample(value)
            y.data.withUnsafeBufferPointer { a in
                yHat.data.withUnsafeBufferPointer { b in
                    t.accumulated[site, default: ErrorEnergy()].add(reference: a.baseAddress!, approximation: b.baseAddress!, count: a.count)
                }
            }
        }
    }
}
