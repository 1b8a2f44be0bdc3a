import AtlasModels

/// The logit-lens reading of one block output in two checkpoints: each row of A's and B's
/// residual stream goes through its own model's final norm and head (`DecoderModel.logits`), and
/// KL(p_A ‖ p_B) and top-1 agreement of the two distributions are summed (the terms of
/// `LogitComparison.compareRow`). On the last block this is the end-to-end KL of the same rows.
/// Pure; the rows are split over two tasks (`ParallelMap`).
struct LensDivergence: Sendable {
    private(set) var klSum = 0.0
    private(set) var agreeing = 0
    private(set) var positions = 0

    /// Adds the rows of two logits matrices of equal shape (row i of each read at the same token).
    mutating func add(reference f: Matrix, checkpoint q: Matrix) {
        precondition(f.rows == q.rows && f.cols == q.cols, "lens logit shapes differ")
        guard f.rows > 0, f.cols > 0 else { return }
        let middle = f.rows / 2, vocab = f.cols
        let halves = ParallelMap.run(2) { task in
            var part = LensDivergence()
            var expF = [Float](repeating: 0, count: vocab), expQ = expF
            f.data.withUnsafeBufferPointer { fp in
                q.data.withUnsafeBufferPointer { qp in
                    expF.withUnsafeMutableBufferPointer { ef in
                        expQ.withUnsafeMutableBufferPointer { eq in
                            for r in task == 0 ? 0..<middle : middle..<f.rows {
                                let row = LogitComparison.compareRow(fp.baseAddress! + r * vocab, qp.baseAddress! + r * vocab, vocab: vocab,
                                                                     expF: ef.baseAddress!, expQ: eq.baseAddress!)
                                part.klSum += row.kl
                                if row.agree { part.agreeing += 1 }
                                part.positions += 1
                            }
                        }
                    }
                }
            }
            return part
        }
        for part in halves {
            klSum += part.klSum
            agreeing += part.agreeing
            positions += part.positions
        }
    }

    var klMean: Double { positions > 0 ? klSum / Double(positions) : .nan }
    var top1Agreement: Double { positions > 0 ? Double(agreeing) / Double(positions) : .nan }
}
