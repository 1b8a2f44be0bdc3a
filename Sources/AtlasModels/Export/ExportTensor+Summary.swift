/// One line saying which stored type the tensors of an export took, e.g. "211 tensors: 30 Q4_K,
/// 150 Q5_0 (fallback: row length 576 not a multiple of 256), 31 F32 (1-D)".
extension ExportTensor {
    /// Counts per type: the requested type, the fallbacks, then the 1-D tensors' type; a type
    /// other than `requested` says why its tensors have it.
    public static func typeSummary(_ tensors: [ExportTensor], requested: ExportDType) -> String {
        let groups = Dictionary(grouping: tensors, by: \.dtype)
        let others = ExportDType.allCases.filter { $0 != requested }
        let holdsMatrices = { (type: ExportDType) in groups[type]?.contains { $0.shape.count >= 2 } == true }
        let order = [requested] + others.filter(holdsMatrices) + others.filter { !holdsMatrices($0) }
        let parts = order.compactMap { type -> String? in
            guard let group = groups[type] else { return nil }
            let lengths = Set(group.filter { $0.shape.count >= 2 }.map(\.rowLength)).sorted()
            let why: String
            if type == requested {
                why = ""
            } else if lengths.isEmpty {
                why = " (1-D)"
            } else {
                why = " (fallback: row length\(lengths.count > 1 ? "s" : "") \(lengths.map(String.init).joined(separator: ", ")) "
                    + "not a multiple of \(requested.ggmlType.blockSize))"
            }
            return "\(group.count) \(type.rawValue)\(why)"
        }
        return "\(tensors.count) tensors: " + parts.joined(separator: ", ")
    }
}
