/// File-name-safe identifiers for results files and model pages: lowercase `[a-z0-9-]` only. Pure.
public enum Slug {
    /// `label` lowercased; every run of other characters becomes one `-`; no leading or trailing
    /// `-`; `model` if nothing is left. Only ASCII letters and digits survive, so a slug is never
    /// a scheme, a path component like `..`, or anything needing escaping.
    public static func make(_ label: String) -> String {
        var slug = ""
        var pendingDash = false
        for scalar in label.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                if pendingDash && !slug.isEmpty { slug.append("-") }
                pendingDash = false
                slug.unicodeScalars.append(scalar)
            } else {
                pendingDash = true
            }
        }
        return slug.isEmpty ? "model" : slug
    }

    /// Slugs for `labels` in order, unique: a repeat gets `-2`, `-3`, … (the first unused).
    /// Deterministic for a given order of labels.
    public static func unique(_ labels: [String]) -> [String] {
        var used = Set<String>()
        var result: [String] = []
        let bases = labels.map(make)
        let baseSet = Set(bases)
        for base in bases {
            var candidate = base
            var counter = 2
            while used.contains(candidate) || (candidate != base && baseSet.contains(candidate)) {
                candidate = "\(base)-\(counter)"
                counter += 1
            }
            used.insert(candidate)
            result.append(candidate)
        }
        return result
    }
}
