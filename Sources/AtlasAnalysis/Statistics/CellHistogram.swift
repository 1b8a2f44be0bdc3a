import AtlasModels

/// What follows from one window's counts of |x| per *cell* (the top 16 bits of |x|: exponent
/// and 7 mantissa bits, `MedianScratch.countCells`), so that the window is scanned once for all
/// three:
/// - the exact `LogHistogram` counts: a cell lies inside one bin unless a bin edge cuts it (a cell
///   spans a factor of at most 1 + 2⁻⁷, less than any bin). The default edges are cell boundaries,
///   so only the zero cell (exact zeros beside the smallest subnormals) can be cut; when a cut cell
///   has members, the values are looked at again and those in cut cells compared with the edge;
/// - the exact median (one more pass over the members of one cell, `MedianScratch`);
/// - a median **estimate** without another pass: the cell holding the middle rank, interpolated
///   linearly by rank inside it, within 2⁻⁷ (0.8 %) of the exact median.
enum CellHistogram {
    /// Adds the window whose cells are `cells` (and whose values are `values`) to `h`, exactly
    /// as `h.accumulate` would.
    static func add(cells: [Int32], values: [Float], to h: inout LogHistogram) {
        let b = h.binning
        let nonFinite = b.slotCount - 1
        var slots = [Int](repeating: 0, count: b.slotCount)
        var cut = false
        for cell in 0..<MedianScratch.finiteCells where cells[cell] != 0 {
            slots[Int(b.table[cell])] += Int(cells[cell])
            cut = cut || b.cutEdge[cell] != 0
        }
        if cut {
            values.withUnsafeBufferPointer { src in
                b.cutEdge.withUnsafeBufferPointer { edge in
                    b.table.withUnsafeBufferPointer { table in
                        for v in src {
                            let bits = v.bitPattern & 0x7fff_ffff
                            let cell = Int(bits >> 16)
                            let e = edge[cell]
                            if e != 0 && bits >= e {
                                let s = Int(table[cell])
                                slots[s] -= 1
                                slots[s + 1] += 1
                            }
                        }
                    }
                }
            }
        }
        slots[nonFinite] = 0
        h.add(slots: slots)
    }

    /// The median |x| estimate described above from `cells`, or nil when no value is finite.
    static func medianEstimate(cells: inout [Int32]) -> Double? {
        cells.withUnsafeMutableBufferPointer { hi in
            var n = 0
            for c in 0..<MedianScratch.finiteCells { n += Int(hi[c]) }
            guard n > 0 else { return nil }
            func value(_ k: Int) -> Double {
                let (cell, rank) = MedianScratch.locate(hi, k)
                let lo = Double(Float(bitPattern: UInt32(cell) << 16))
                let up = Double(Float(bitPattern: UInt32(cell + 1) << 16))
                return lo + (up - lo) * (Double(rank) + 0.5) / Double(hi[cell])
            }
            return n % 2 == 1 ? value(n / 2) : (value(n / 2 - 1) + value(n / 2)) / 2
        }
    }
}
