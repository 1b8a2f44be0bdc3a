import AtlasModels
import AtlasResults

/// Each block Linear's weight in B against A, one matrix at a time (a quantized weight is
/// dequantized for the comparison and dropped), with how each file stores it. Pure.
enum WeightParity {
    static func compare(_ a: any BlockModel, _ b: any BlockModel, typesA: [LinearSite: String],
                        typesB: [LinearSite: String]) -> [LinearParity] {
        a.linearSites.map { site in
            let x = a.linear(at: site).weights.matrix, y = b.linear(at: site).weights.matrix
            var energy = ErrorEnergy()
            x.data.withUnsafeBufferPointer { p in
                y.data.withUnsafeBufferPointer { q in
                    energy.add(reference: p.baseAddress!, approximation: q.baseAddress!, count: min(p.count, q.count))
                }
            }
            return LinearParity(block: site.block, linear: site.kind.rawValue, typeA: typesA[site] ?? "?",
                                typeB: typesB[site] ?? "?", weightSQNR: energy.copySQNR)
        }
    }
}
