/// What a results file must satisfy before `render`, `merge` or `check` use it, checked on
/// decode (`ResultsCoding.decode`): sizes within `ResultsLimits`, every block index (`block`, `layer`,
/// `blocks`, `…Block`, anywhere in the file) inside the model's blocks, every grid of channel
/// values rectangular, and the taps' channel vectors of one tap name equally long (the rows of
/// one heatmap). A file that fails is a `ResultsError` naming the file and the field path.
public enum ResultsValidation {
    public static func check(_ result: RunResult, file: String) throws {
        func fail(_ field: String, _ found: String, _ expected: String) -> ResultsError {
            ResultsError(file: file, detail: "\(field): found \(found), expected \(expected)")
        }
        let model = result.model, limits = ResultsLimits.self
        guard (1...limits.maxBlocks).contains(model.blockCount) else {
            throw fail("model.blockCount", "\(model.blockCount)", "1…\(limits.maxBlocks) blocks (ResultsLimits.maxBlocks)")
        }
        for (name, value) in [("hiddenSize", model.hiddenSize), ("ffnSize", model.ffnSize), ("headCount", model.headCount),
                              ("kvHeadCount", model.kvHeadCount)] where !(0...limits.maxChannels).contains(value) {
            throw fail("model.\(name)", "\(value)", "0…\(limits.maxChannels) (ResultsLimits.maxChannels)")
        }
        if let problem = ResultsWalk(blocks: model.blockCount).problem(in: result) {
            throw fail(problem.field, problem.found, problem.expected)
        }
        var width: [String: (index: Int, count: Int)] = [:]
        for (i, tap) in result.taps.enumerated() {
            let count = tap.channelAbsmax.count
            if let kurtosis = tap.channelKurtosis, kurtosis.count != count {
                throw fail("taps[\(i)].channelKurtosis", "\(kurtosis.count) values", "\(count), one per channel of channelAbsmax")
            }
            guard count > 0 else { continue }
            if tap.tap == "ffn.resid", model.hiddenSize > 0, count != model.hiddenSize {
                throw fail("taps[\(i)].channelAbsmax", "\(count) channels", "model.hiddenSize \(model.hiddenSize) at the block output")
            }
            if let first = width[tap.tap], first.count != count {
                throw fail("taps[\(i)].channelAbsmax", "\(count) channels",
                           "\(first.count) like taps[\(first.index)] (the same tap \"\(tap.tap)\" in another block)")
            }
            width[tap.tap] = width[tap.tap] ?? (i, count)
        }
        for (i, pair) in (result.pairs ?? []).enumerated() {
            for (j, output) in pair.blockOutputs.enumerated() where model.hiddenSize > 0 && output.channelMaxAbsDelta.count != model.hiddenSize {
                throw fail("pairs[\(i)].blockOutputs[\(j)].channelMaxAbsDelta", "\(output.channelMaxAbsDelta.count) channels",
                           "model.hiddenSize \(model.hiddenSize) (one heatmap row per block)")
            }
            for (j, m) in pair.massive.enumerated() where m.atReference.count != m.reference.count {
                throw fail("pairs[\(i)].massive[\(j)].atReference", "\(m.atReference.count) values", "\(m.reference.count), one per reference entry")
            }
        }
    }
}

/// The documented bounds of a results file: far beyond every published model (the deepest
/// has 126 blocks, the widest a hidden size of 16,384 and an FFN of 53,248), small enough that
/// every page and chart of one model renders in seconds and bounded memory.
public enum ResultsLimits {
    /// Blocks of one model (`model.blockCount`).
    public static let maxBlocks = 1024
    /// Values in one per-channel vector (and rows or columns of one grid), and `hiddenSize`,
    /// `ffnSize` and the head counts.
    public static let maxChannels = 65_536
}

/// A walk over every stored value of a result (by reflection, so that a field added later is
/// covered too), reporting the first value that breaks the block or grid rules. Field paths are
/// put together only for the problem found (`Problem.under`), never on the way.
struct ResultsWalk {
    struct Problem {
        /// Path components, innermost last once complete: `["taps", "[3]", "block"]`.
        var path: [String], found: String, expected: String

        /// The same problem one level further out.
        func under(_ component: String) -> Problem {
            Problem(path: [component] + path, found: found, expected: expected)
        }

        var field: String {
            path.reduce("") { out, c in c.hasPrefix("[") || out.isEmpty ? out + c : out + "." + c }
        }
    }

    let blocks: Int

    func problem(in value: Any) -> Problem? { visit(value) }

    private func visit(_ value: Any) -> Problem? {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            return mirror.children.first.flatMap { visit($0.value) }
        case .collection, .set:
            if let checked = visitKnownArray(value) { return checked }
            for (i, child) in mirror.children.enumerated() {
                if let p = visit(child.value) { return p.under("[\(i)]") }
            }
        case .dictionary:
            for child in mirror.children {
                let pair = Array(Mirror(reflecting: child.value).children)
                guard pair.count == 2 else { continue }
                if let p = visit(pair[1].value) { return p.under("[\(pair[0].value)]") }
            }
        case .struct, .class, .enum:
            for child in mirror.children {
                let label = child.label ?? ""
                let isBlockIndex = label == "block" || label == "layer" || label.hasSuffix("Block") || label == "blocks"
                if let p = isBlockIndex ? check(blockIndex: child.value) : visit(child.value) { return p.under(label) }
            }
        default:
            break  // numbers, strings, booleans
        }
        return nil
    }

    /// Arrays checked without walking their elements one by one: `.some(problem or nil)`;
    /// nil for any other array (walked by reflection).
    private func visitKnownArray(_ value: Any) -> Problem?? {
        // Channel vectors are the bulk of a file: checked by length, never walked.
        if let vector = value as? [Float] { return .some(check(vector: vector)) }
        if let grid = value as? [[Float]] { return .some(check(grid: grid)) }
        // Located activations are most of the records (tens of thousands of massive ones and every
        // tap's top list): their one block index, `layer`, is read directly.
        if let list = value as? [LocatedActivation<Double>] { return .some(check(located: list.lazy.map(\.layer))) }
        if let list = value as? [LocatedActivation<String>] { return .some(check(located: list.lazy.map(\.layer))) }
        if let taps = value as? [TapSummary] { return .some(check(taps: taps)) }
        if value is [Double] || value is [Double?] || value is [Int] || value is [Bool] || value is [String] { return .some(nil) }
        return nil
    }

    /// The taps, the other bulk of a file, by their fields: `block`, the `top` activations and
    /// the channel vectors (a field added to `TapSummary` must be added here).
    private func check(taps: [TapSummary]) -> Problem? {
        for (i, tap) in taps.enumerated() {
            let problem = check(blockIndex: tap.block)?.under("block") ?? check(located: tap.top.lazy.map(\.layer))?.under("top")
                ?? check(vector: tap.channelAbsmax)?.under("channelAbsmax")
                ?? tap.channelKurtosis.flatMap(check(vector:))?.under("channelKurtosis")
            if let problem { return problem.under("[\(i)]") }
        }
        return nil
    }

    private func check(located layers: some Collection<Int?>) -> Problem? {
        for (i, layer) in layers.enumerated() {
            if let layer, let p = check(blockIndex: layer) { return p.under("layer").under("[\(i)]") }
        }
        return nil
    }

    private func check(blockIndex value: Any) -> Problem? {
        let indices: [Int]
        switch value {
        case let i as Int: indices = [i]
        case let i as Int?: indices = i.map { [$0] } ?? []
        case let list as [Int]: indices = list
        default: return nil  // e.g. a per-block list of values: not an index
        }
        for (n, i) in indices.enumerated() where !(0..<blocks).contains(i) {
            return Problem(path: value is [Int] ? ["[\(n)]"] : [], found: "\(i)",
                           expected: "a block index in 0…\(blocks - 1) (model.blockCount \(blocks))")
        }
        return nil
    }

    private func check(vector: [Float]) -> Problem? {
        vector.count > ResultsLimits.maxChannels ? tooLong(vector.count) : nil
    }

    private func check(grid: [[Float]]) -> Problem? {
        if grid.count > ResultsLimits.maxChannels { return tooLong(grid.count) }
        guard let width = grid.first?.count else { return nil }
        for (r, row) in grid.enumerated() {
            if let p = check(vector: row) { return p.under("[\(r)]") }
            if row.count != width {
                return Problem(path: ["[\(r)]"], found: "\(row.count) values", expected: "\(width) like row 0 (a rectangular grid)")
            }
        }
        return nil
    }

    private func tooLong(_ count: Int) -> Problem {
        Problem(path: [], found: "\(count) values", expected: "at most \(ResultsLimits.maxChannels) (ResultsLimits.maxChannels)")
    }
}
