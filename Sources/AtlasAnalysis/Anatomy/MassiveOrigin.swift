import AtlasModels
import AtlasResults
import Foundation

/// Builds the story of every massive dimension from the block-output hits (`ffn.resid`), the
/// hits at every other observed tap, the trace window's recorded down-projection inputs and
/// the weights: first block, first tap, persistence, timeline, carrying tokens and the
/// down-projection terms (FFN channel × weight entry) that make the spike.
struct MassiveOrigin {
    let accumulators: [TapKey: TapAccumulator]
    let family: FFNFamily
    let blockCount: Int
    let tokenText: (Int32) -> String
    /// Terms kept per origin.
    static let contributionCount = 4
    /// Carrier positions listed per token.
    static let positionCount = 8

    /// Every block-output massive hit with its block.
    var outputHits: [(block: Int, hit: LocatedValue<Float>)] {
        accumulators.filter { $0.key.tap == .ffnResid }.sorted { $0.key < $1.key }
            .flatMap { entry in entry.value.massive.map { (entry.key.block, $0) } }
    }

    /// The window with the most block-output hits (the lowest on ties), or 0.
    func traceWindow() -> Int {
        var counts: [Int: Int] = [:]
        for (_, h) in outputHits { counts[h.window, default: 0] += 1 }
        return counts.max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key ?? 0
    }

    /// Positions of the trace window that carry a block-output massive activation, ascending.
    func carrierPositions(window: Int) -> [Int] {
        Set(outputHits.filter { $0.hit.window == window }.map(\.hit.position)).sorted()
    }

    func dimensions(traceWindow: Int, downIn: [Int: [Int: [Float]]], weights: (any BlockModel)?) -> [MassiveDimension] {
        let hits = outputHits
        let dims = Set(hits.map(\.hit.dim)).sorted()
        return dims.map { d in
            let mine = hits.filter { $0.hit.dim == d }
            let blocks = Set(mine.map(\.block)).sorted()
            let first = blocks[0]
            func carriersAt(_ b: Int) -> Set<Pair> {
                Set(mine.filter { $0.block == b }.map { Pair(window: $0.hit.window, position: $0.hit.position) })
            }
            let firstTap = self.firstTap(block: first, carriers: carriersAt(first))
            let peak = mine.max { (abs($0.hit.value), $1.block) < (abs($1.hit.value), $0.block) }!
            let timeline = (0..<blockCount).map { b -> Double in
                guard let acc = accumulators[TapKey(block: b, tap: .ffnResid)], d < acc.moments.channels else { return .nan }
                return Double(acc.moments.absmax[d])
            }
            let (birth, growth) = Self.birth(blocks: blocks, timeline: timeline)
            let birthTap = self.firstTap(block: birth, carriers: carriersAt(birth))
            var origin: OriginTrace?
            let fromFFN: Set<TapName> = [.ffnGate, .ffnUp, .ffnAct, .ffnDownIn, .ffnDownOut, .ffnResid]
            if let weights, fromFFN.contains(birthTap),
               let spike = mine.filter({ $0.block == birth && $0.hit.window == traceWindow }).map(\.hit).first,
               let row = downIn[birth]?[spike.position] {
                origin = trace(block: birth, dim: d, spike: spike, input: row, weights: weights)
            }
            return MassiveDimension(
                dim: d, firstBlock: first, firstTap: firstTap.rawValue, firstTapYIndex: family.yIndex(firstTap),
                birthBlock: birth, growth: growth, birthTap: birthTap.rawValue, birthTapYIndex: family.yIndex(birthTap),
                blocks: blocks, peak: Double(peak.hit.value), peakBlock: peak.block, timeline: timeline,
                hitCount: mine.count, tokens: self.carriers(mine.map(\.hit)), origin: origin)
        }
    }

    private struct Pair: Hashable { var window: Int; var position: Int }

    /// Among `blocks`, the one whose max |x| grows most over the previous block output (the
    /// earliest on ties; the first block's predecessor counts as 1).
    static func birth(blocks: [Int], timeline: [Double]) -> (block: Int, growth: Double) {
        func growth(_ b: Int) -> Double {
            let before = b > 0 && timeline[b - 1].isFinite && timeline[b - 1] > 0 ? timeline[b - 1] : 1
            return timeline[b].isFinite ? timeline[b] / before : 0
        }
        let best = blocks.max { (growth($0), -$0) < (growth($1), -$1) }!
        return (best, growth(best))
    }

    /// The first observed tap of `block` (forward order) with a massive entry at a carrier
    /// (window, position); attention probabilities are skipped (their rows are head × query).
    private func firstTap(block: Int, carriers: Set<Pair>) -> TapName {
        for tap in TapName.allCases.sorted() where tap != .attnProbs {
            guard let acc = accumulators[TapKey(block: block, tap: tap)] else { continue }
            if acc.massive.contains(where: { carriers.contains(Pair(window: $0.window, position: $0.position)) }) { return tap }
        }
        return .ffnResid
    }

    /// y7[p, dim] = Σ_c y6[p, c] · W[dim, c] + b[dim], its largest terms first.
    func trace(block: Int, dim: Int, spike: LocatedValue<Float>, input: [Float], weights: any BlockModel) -> OriginTrace {
        let down = weights.downProjection(block: block)
        let w = down.weight
        precondition(w.cols == input.count, "down projection has \(w.cols) inputs, the recorded row \(input.count)")
        var terms: [(channel: Int, input: Double, weight: Double, product: Double)] = []
        var output = Double(down.bias?[dim] ?? 0)
        for c in 0..<w.cols {
            let x = Double(input[c]), wt = Double(w[dim, c])
            let p = x * wt
            guard p.isFinite else { continue }  // a non-finite input is reported elsewhere, never ranked
            output += p
            terms.append((c, x, wt, p))
        }
        var squares = 0.0
        for v in w.data { squares += Double(v) * Double(v) }
        let top = terms.sorted { (abs($0.product), -$0.channel) > (abs($1.product), -$1.channel) }.prefix(Self.contributionCount)
        return OriginTrace(
            block: block, inputTap: TapName.ffnDownIn.rawValue, inputYIndex: family.yIndex(.ffnDownIn),
            outputTap: TapName.ffnDownOut.rawValue, outputYIndex: family.yIndex(.ffnDownOut),
            window: spike.window, position: spike.position, token: tokenText(spike.token), outputValue: output,
            weightRMS: w.count > 0 ? (squares / Double(w.count)).squareRoot() : 0,
            contributions: top.map {
                WeightContribution(channel: $0.channel, row: dim, column: $0.channel, input: $0.input, weight: $0.weight,
                                   product: $0.product, share: output != 0 ? $0.product / output : 0)
            })
    }

    /// Carrying tokens grouped by (text, kind), most hits first.
    func carriers(_ hits: [LocatedValue<Float>]) -> [CarrierToken] {
        var groups: [String: (token: String, kind: String, count: Int, positions: Set<Int>)] = [:]
        for h in hits {
            let text = tokenText(h.token)
            let kind = TokenKind.classify(text, position: h.position)
            let key = kind + "\u{0}" + text
            var g = groups[key] ?? (text, kind, 0, [])
            g.count += 1
            g.positions.insert(h.position)
            groups[key] = g
        }
        return groups.values.sorted { ($0.count, $1.token, $1.kind) > ($1.count, $0.token, $0.kind) }.map {
            CarrierToken(token: $0.token, kind: $0.kind, count: $0.count,
                         positions: Array($0.positions.sorted().prefix(Self.positionCount)))
        }
    }
}

/// The kind of a carrying token, as the study groups them.
enum TokenKind {
    static func classify(_ text: String, position: Int) -> String {
        if position == 0 { return "first token" }
        if text.hasPrefix("<") && text.hasSuffix(">") && text.count > 2 { return "special" }
        if !text.isEmpty && text.allSatisfy(\.isNewline) { return "newline" }
        if text.contains(where: \.isNewline) && text.allSatisfy(\.isWhitespace) { return "newline" }
        if !text.isEmpty && text.allSatisfy(\.isWhitespace) { return "whitespace" }
        let stripped = text.trimmingCharacters(in: .whitespaces)
        if !stripped.isEmpty && stripped.allSatisfy({ $0.isPunctuation || $0.isSymbol }) { return "delimiter" }
        return "word"
    }
}
