import AtlasModels
import Testing

@Suite struct LlamaPermutationTests {
    static func rowsMatrix(_ rows: Int, cols: Int = 3) -> Matrix {
        Matrix(rows: rows, cols: cols, data: (0..<(rows * cols)).map { Float($0 / cols) * 10 + Float($0 % cols) })
    }

    static func rowIDs(_ m: Matrix) -> [Int] { (0..<m.rows).map { Int(m[$0, 0] / 10) } }

    @Test func handMadeCases() {
        // One head, d = 4: gguf[2j+s] = hf[s*2+j].
        #expect(Self.rowIDs(LlamaPermutation.permuteRows(Self.rowsMatrix(4), heads: 1)) == [0, 2, 1, 3])
        #expect(Self.rowIDs(LlamaPermutation.unpermuteRows(Self.rowsMatrix(4), heads: 1)) == [0, 2, 1, 3])
        // Two heads, d = 6: gguf = [hf0, hf3, hf1, hf4, hf2, hf5] per head.
        #expect(Self.rowIDs(LlamaPermutation.permuteRows(Self.rowsMatrix(12), heads: 2))
                == [0, 3, 1, 4, 2, 5, 6, 9, 7, 10, 8, 11])
        // Un-permuting: hf[s*3+j] = gguf[2j+s].
        #expect(Self.rowIDs(LlamaPermutation.unpermuteRows(Self.rowsMatrix(6), heads: 1)) == [0, 2, 4, 1, 3, 5])
        // Whole rows move (columns stay together).
        let p = LlamaPermutation.permuteRows(Self.rowsMatrix(4), heads: 1)
        #expect(p.row(1) == [20, 21, 22])
    }

    @Test(arguments: [(64, 4), (32, 2), (576, 9), (192, 3), (2, 1)])
    func permuteThenUnpermuteIsIdentity(rows: Int, heads: Int) {
        var rng = SystemRandomNumberGenerator()
        let m = Matrix(rows: rows, cols: 5, data: (0..<(rows * 5)).map { _ in Float.random(in: -1...1, using: &rng) })
        let p = LlamaPermutation.permuteRows(m, heads: heads)
        #expect(LlamaPermutation.unpermuteRows(p, heads: heads) == m)
        #expect(LlamaPermutation.permuteRows(LlamaPermutation.unpermuteRows(m, heads: heads), heads: heads) == m)
        if rows / heads > 2 { #expect(p != m) }
    }

    @Test func validity() {
        #expect(LlamaPermutation.isValid(rows: 64, heads: 4))
        #expect(!LlamaPermutation.isValid(rows: 64, heads: 3))
        #expect(!LlamaPermutation.isValid(rows: 12, heads: 4))   // head_dim 3 is odd
        #expect(!LlamaPermutation.isValid(rows: 12, heads: 0))
    }
}
