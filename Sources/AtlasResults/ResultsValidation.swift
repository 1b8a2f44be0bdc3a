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
/// covered too), reporting the first value that breaks the block or grid rules.
struct ResultsWalk {
    struct Problem {
        var field: String, found: String, expected: String
    }

    let blocks: Int

    func problem(in value: Any) -> Problem? { visit(value, path: "") }

    private func visit(_ value: Any, path: String) -> Problem? {
        // Channel vectors are the bulk of a file: checked by length, never walked.
        if let vector = value as? [Float] {
            return vector.count > ResultsLimits.maxChannels ? tooLong(path, vector.count) : nil
        }
        if let grid = value as? [[Float]] { return check(grid: grid, path: path) }
        if value is [Double] || value is [Double?] || value is String || value is [String] { return nil }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            return mirror.children.first.flatMap { visit($0.value, path: path) }
        case .collection, .set:
            for (i, child) in mirror.children.enumerated() {
                if let p = visit(child.value, path: "\(path)[\(i)]") { return p }
            }
        case .dictionary:
            for child in mirror.children {
                let pair = Array(Mirror(reflecting: child.value).children)
                guard pair.count == 2 else { continue }
                if let p = visit(pair[1].value, path: "\(path)[\(pair[0].value)]") { return p }
            }
        case .struct, .class, .enum:
            for child in mirror.children {
                let label = child.label ?? ""
                let field = path.isEmpty ? label : "\(path).\(label)"
                if label == "block" || label == "layer" || label.hasSuffix("Block") || label == "blocks" {
                    if let p = check(blockIndex: child.value, path: field) { return p }
                    continue
                }
                if let p = visit(child.value, path: field) { return p }
            }
        default:
            break
        }
        return nil
    }

    private func check(blockIndex value: Any, path: String) -> Problem? {
        let indices: [Int]
        switch value {
        case let i as Int: indices = [i]
        case let i as Int?: indices = i.map { [$0] } ?? []
        case let list as [Int]: indices = list
        default: return nil  // e.g. a per-block list of values: not an index
        }
        for (n, i) in indices.enumerated() where !(0..<blocks).contains(i) {
            return Problem(field: value is [Int] ? "\(path)[\(n)]" : path, found: "\(i)",
                           expected: "a block index in 0…\(blocks - 1) (model.blockCount \(blocks))")
        }
        return nil
    }

    private func check(grid: [[Float]], path: String) -> Problem? {
        if grid.count > ResultsLimits.maxChannels { return tooLong(path, grid.count) }
        guard let width = grid.first?.count else { return nil }
        for (r, row) in grid.enumerated() {
            if row.count > ResultsLimits.maxChannels { return tooLong("\(path)[\(r)]", row.count) }
            if row.count != width {
                return Problem(field: "\(path)[\(r)]", found: "\(row.count) values", expected: "\(width) like row 0 (a rectangular grid)")
            }
        }
        return nil
    }

    private func tooLong(_ path: String, _ count: Int) -> Problem {
        Problem(field: path, found: "\(count) values", expected: "at most \(ResultsLimits.maxChannels) (ResultsLimits.maxChannels)")
    }
}
