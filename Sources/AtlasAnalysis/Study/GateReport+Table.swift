import Foundation

extension GateReport {
    /// A plain-text table of the regressions (or one line saying there were none). Pure.
    public func table() -> String {
        guard !regressions.isEmpty else {
            return "no regressions: \(comparisons) comparisons over \(compared.count) results"
                + (added.isEmpty ? "" : " (new, not compared: \(added.joined(separator: ", ")))") + "\n"
        }
        let header = ["results", "metric", "where", "baseline", "current", "change", "limit"]
        let rows = regressions.map { r in
            [r.results, r.metric, r.location, Self.number(r.baseline), Self.number(r.current),
             Self.change(r.change, unit: r.unit), Self.change(r.limit, unit: r.unit)]
        }
        let widths = header.indices.map { i in ([header] + rows).map { $0[i].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        var out = line(header) + "\n" + line(widths.map { String(repeating: "-", count: $0) }) + "\n"
        for row in rows { out += line(row) + "\n" }
        out += "\(regressions.count) regression(s) in \(comparisons) comparisons over \(compared.count) results\n"
        return out
    }

    static func number(_ v: Double?) -> String {
        guard let v else { return "-" }
        return String(format: "%.6g", v)
    }

    static func change(_ v: Double?, unit: String) -> String {
        guard let v else { return "-" }
        switch unit {
        case "relative": return v.isFinite ? String(format: "%+.2f%%", v * 100) : "+inf"
        case "dims", "file": return String(format: "%.0f", v)
        default: return String(format: "%+.4g", v) + " " + unit
        }
    }
}
