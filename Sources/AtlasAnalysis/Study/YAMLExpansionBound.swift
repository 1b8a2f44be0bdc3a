import CYaml

/// Measures what a YAML text becomes once its aliases are expanded, from libyaml's event stream
/// alone, before `Yams.compose` builds (and hashes, to find duplicate keys) the node tree. An
/// alias costs the whole size of the node it names, so "billion laughs" nesting (nine aliases
/// of nine aliases of …) is seen in linear time, as is nesting deep enough to exhaust the
/// composer's recursion. A study file has a few hundred nodes; the limits are far above that.
///
/// CYaml is Yams' own copy of libyaml (a target of the Yams package, so no second parser).
enum YAMLExpansionBound {
    /// Nodes after alias expansion that a study file may have.
    static let maxNodes = 100_000
    /// Nesting depth of sequences and mappings.
    static let maxDepth = 64

    /// Why a text was refused: what was found, at which 1-based line.
    struct Excess: Error, Equatable {
        var line: Int
        var found: String
        var expected: String
    }

    /// Throws `Excess` when the expanded text is too large or too deep. Syntax errors are not
    /// reported here (the event stream just stops); `Yams.compose` reports them with their line.
    static func check(_ yaml: String) throws(Excess) {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return }
        defer { yaml_parser_delete(&parser) }
        var bytes = Array(yaml.utf8)
        try bytes.withUnsafeMutableBufferPointer { (buffer) throws(Excess) in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var walk = Walk()
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { return }
                try walk.take(event)
            }
        }
    }

    /// The running sizes: one open collection per nesting level, the finished anchors' sizes.
    private struct Walk {
        /// Size so far of each open collection (itself included) and its anchor.
        var open: [(size: Int, anchor: String?)] = []
        var anchors: [String: Int] = [:]
        var total = 0

        mutating func take(_ event: yaml_event_t) throws(Excess) {
            let line = Int(event.start_mark.line) + 1
            switch event.type {
            case YAML_SCALAR_EVENT:
                try count(1, line: line)
                finish(1, anchor: name(event.data.scalar.anchor))
            case YAML_ALIAS_EVENT:
                // An alias to an unknown (or still open) anchor is Yams' error to report.
                let size = name(event.data.alias.anchor).flatMap { anchors[$0] } ?? 1
                try count(size, line: line)
                finish(size, anchor: nil)
            case YAML_SEQUENCE_START_EVENT:
                try push(anchor: name(event.data.sequence_start.anchor), line: line)
            case YAML_MAPPING_START_EVENT:
                try push(anchor: name(event.data.mapping_start.anchor), line: line)
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let done = open.popLast() else { return }
                finish(done.size, anchor: done.anchor)
            default:
                break
            }
        }

        mutating func push(anchor: String?, line: Int) throws(Excess) {
            guard open.count < maxDepth else {
                throw Excess(line: line, found: "sequences or mappings nested more than \(maxDepth) deep",
                             expected: "at most \(maxDepth) levels")
            }
            try count(1, line: line)
            open.append((1, anchor))
        }

        /// `nodes` more nodes in the expanded text (never more than `maxNodes` + 1 at once: a
        /// node's size is only known once the total so far was within the bound).
        mutating func count(_ nodes: Int, line: Int) throws(Excess) {
            total += nodes
            try bound(line: line)
        }

        /// A finished node of `size` nodes: counted in its parent, remembered under its anchor.
        mutating func finish(_ size: Int, anchor: String?) {
            if let anchor { anchors[anchor] = size }
            if !open.isEmpty { open[open.count - 1].size += size }
        }

        func bound(line: Int) throws(Excess) {
            guard total <= YAMLExpansionBound.maxNodes else {
                throw Excess(line: line, found: "more than \(maxNodes) nodes once its aliases are expanded",
                             expected: "a study file of at most \(maxNodes) nodes (aliases count as what they name)")
            }
        }

        func name(_ anchor: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            anchor.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
        }
    }
}
