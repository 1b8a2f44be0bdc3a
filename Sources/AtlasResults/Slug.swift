/// File-name-safe identifiers derived from labels: lowercase `[a-z0-9-]`, never empty.
public enum Slug {
    public static func make(_ label: String) -> String {
        var out = ""
        var lastDash = true
        for scalar in label.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                out.unicodeScalars.append(scalar)
                lastDash = false
            } else if !lastDash {
                out.append("-")
                lastDash = true
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "model" : out
    }

    /// Slugs for `labels` in order, made unique by suffixes `-2`, `-3`, … (deterministic).
    public static func unique(_ labels: [String]) -> [String] {
        var seen: [String: Int] = [:]
        var used = Set<String>()
        return labels.map { label in
            let base = make(label)
            var candidate = base
            var n = seen[base, default: 1]
            while used.contains(candidate) {
                n += 1
                candidate = "\(base)-\(n)"
            }
            seen[base] = n
            used.insert(candidate)
            return candidate
        }
    }
}
