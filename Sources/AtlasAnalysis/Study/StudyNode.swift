import Yams

/// A node of the study file's YAML tree with its key path and line, and typed readers that turn
/// every mismatch into one `StudyError` naming the file, the line, the key, found and expected.
struct StudyNode {
    let node: Node
    /// Dotted key path from the root, e.g. `datasets[0].windows`.
    let key: String
    let file: String

    var line: Int? { node.mark?.line }

    func error(found: String, expected: String) -> StudyError {
        StudyError(file: file, line: line, key: key, found: found, expected: expected)
    }

    /// What a node is, for "found …" messages.
    var shape: String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let s):
            if node.null != nil { return "nothing" }
            return "'\(s.string)'"
        }
    }

    /// The mapping's entries by key; an unknown key is an error at that key's line.
    func mapping(allowed: [String]) throws(StudyError) -> [String: StudyNode] {
        guard case .mapping(let m) = node else { throw error(found: shape, expected: "a mapping with keys \(allowed.joined(separator: ", "))") }
        var out: [String: StudyNode] = [:]
        for (k, v) in m {
            let name = k.string ?? "?"
            let path = key.isEmpty ? name : "\(key).\(name)"
            guard allowed.contains(name) else {
                throw StudyError(file: file, line: k.mark?.line, key: path, found: "an unknown key",
                                 expected: "one of \(allowed.joined(separator: ", "))")
            }
            out[name] = StudyNode(node: v, key: path, file: file)
        }
        return out
    }

    /// The list's elements, keyed `key[i]`.
    func list() throws(StudyError) -> [StudyNode] {
        guard case .sequence(let s) = node else { throw error(found: shape, expected: "a list") }
        return s.enumerated().map { StudyNode(node: $1, key: "\(key)[\($0)]", file: file) }
    }

    func string() throws(StudyError) -> String {
        guard case .scalar(let s) = node, shape != "nothing" else { throw error(found: shape, expected: "a string") }
        return s.string
    }

    func int(atLeast minimum: Int) throws(StudyError) -> Int {
        guard case .scalar = node, let v = node.int else { throw error(found: shape, expected: "an integer") }
        guard v >= minimum else { throw error(found: "\(v)", expected: "an integer of at least \(minimum)") }
        return v
    }

    func double(atLeast minimum: Double, exclusive: Bool = false) throws(StudyError) -> Double {
        guard case .scalar = node, let v = node.float, v.isFinite else { throw error(found: shape, expected: "a number") }
        guard exclusive ? v > minimum : v >= minimum else {
            throw error(found: "\(v)", expected: "a number \(exclusive ? "above" : "of at least") \(minimum)")
        }
        return v
    }

    func choice<T: RawRepresentable & CaseIterable>(_: T.Type) throws(StudyError) -> T where T.RawValue == String {
        let all = T.allCases.map(\.rawValue).joined(separator: ", ")
        guard case .scalar(let s) = node, let v = T(rawValue: s.string) else { throw error(found: shape, expected: "one of \(all)") }
        return v
    }
}

extension Dictionary where Key == String, Value == StudyNode {
    /// A required entry; its absence is an error at the parent mapping's line.
    func required(_ name: String, in parent: StudyNode, expected: String) throws(StudyError) -> StudyNode {
        guard let v = self[name] else {
            let path = parent.key.isEmpty ? name : "\(parent.key).\(name)"
            throw StudyError(file: parent.file, line: parent.line, key: path, found: "nothing", expected: expected)
        }
        return v
    }
}
