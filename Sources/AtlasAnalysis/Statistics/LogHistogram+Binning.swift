extension LogHistogram {
    /// Branch-free binning of |x| by its bit pattern.
    ///
    /// Slots: 0 zero, 1 underflow, 2 ..< 2+n the n bins, 2+n overflow, 3+n non-finite. The top 16
    /// bits of |x| (exponent and 7 mantissa bits) index `table`, the slot of the smallest value of
    /// that cell. A cell spans a factor of at most 1 + 2⁻⁷, less than one bin (≤ 64 per decade is a
    /// factor ≥ 1.036), so it contains at most one slot boundary, and one comparison with the
    /// slot's upper bound (`upper`) finishes the job exactly.
    final class Binning: Sendable {
        static let zeroSlot = 0
        static let underflowSlot = 1
        static let firstBinSlot = 2

        let edges: [Float]
        let table: [UInt16]
        let upper: [Float]
        let slotCount: Int
        /// Per cell: the bit pattern of the slot edge that cuts it, 0 when none does (see `CellHistogram`).
        let cutEdge: [UInt32]

        init(edges: [Float]) {
            self.edges = edges
            let n = edges.count - 1
            slotCount = n + 4
            var up = [Float](repeating: 0, count: slotCount)
            up[0] = .leastNonzeroMagnitude
            up[1] = edges[0]
            for i in 0..<n { up[2 + i] = edges[i + 1] }
            up[2 + n] = .infinity      // overflow: only +inf (non-finite) reaches it, and those cells map below
            up[3 + n] = .nan           // non-finite: comparisons are false
            upper = up
            var t = [UInt16](repeating: 0, count: 1 << 15)
            for cell in 0..<(1 << 15) {
                let low = Float(bitPattern: UInt32(cell) << 16)
                let slot: Int
                if !low.isFinite { slot = 3 + n }
                else if low == 0 { slot = 0 }
                else if low < edges[0] { slot = 1 }
                else if low >= edges[n] { slot = 2 + n }
                else { slot = 2 + (edges.lastIndex { $0 <= low }!) }
                t[cell] = UInt16(slot)
            }
            table = t
            var cuts = [UInt32](repeating: 0, count: 1 << 15)
            for slot in 0..<(slotCount - 1) where up[slot].isFinite {
                let bits = up[slot].bitPattern
                if bits & 0xffff != 0 { cuts[Int(bits >> 16)] = bits }
            }
            cutEdge = cuts
        }

        /// Slot counts of every value of `values`. Four interleaved copies of the counters keep
        /// runs of equal slots from waiting on each other's stores.
        func count(_ values: [Float]) -> [Int] {
            let n = slotCount
            let nonFinite = n - 1
            var lanes = [Int32](repeating: 0, count: 4 * n)
            values.withUnsafeBufferPointer { src in
                table.withUnsafeBufferPointer { tab in
                    upper.withUnsafeBufferPointer { up in
                        lanes.withUnsafeMutableBufferPointer { out in
                            @inline(__always) func slot(_ v: Float) -> Int {
                                let bits = v.bitPattern & 0x7fff_ffff
                                let s = Int(tab[Int(bits >> 16)])
                                // Values of a non-finite cell stay there (upper is NaN).
                                return s &+ (Float(bitPattern: bits) >= up[s] && s != nonFinite ? 1 : 0)
                            }
                            let count = src.count
                            var i = 0
                            while i + 4 <= count {
                                out[slot(src[i])] &+= 1
                                out[n &+ slot(src[i + 1])] &+= 1
                                out[2 &* n &+ slot(src[i + 2])] &+= 1
                                out[3 &* n &+ slot(src[i + 3])] &+= 1
                                i += 4
                            }
                            while i < count {
                                out[slot(src[i])] &+= 1
                                i += 1
                            }
                        }
                    }
                }
            }
            return (0..<n).map { Int(lanes[$0]) + Int(lanes[n + $0]) + Int(lanes[2 * n + $0]) + Int(lanes[3 * n + $0]) }
        }

        /// Built once for the default scale (1e-6 ..< 1e6, 8 per decade).
        private static let defaultScale = Binning(edges: LogHistogram.defaultEdges)

        /// The default scale's shared table, or a new one for another scale.
        static func shared(edges: [Float]) -> Binning {
            edges == defaultScale.edges ? defaultScale : Binning(edges: edges)
        }
    }
}
