import AtlasModels

/// What one matrix contributed, per channel, for the per-window detectors of `TapAccumulator`.
struct WindowExtent: Sendable {
    /// max |x| of the finite values of each channel in this matrix (0 when none).
    var absmax: [Float]
    /// The first non-finite entries in row-major order (at most `ChannelMoments.sampleCap`).
    var nonFinite: [(row: Int, col: Int)]

    /// The largest finite |x| of the matrix.
    var maxAbs: Float { absmax.max() ?? 0 }
}

extension ChannelMoments {
    /// Rows per block of the vectorised pass: a block's accumulators for 8 channels stay in registers.
    static let rowBlock = 64
    /// Non-finite entries located per matrix.
    static let sampleCap = 16

    /// One fused pass over `m` (moments, extremes, large-value counts, non-finite counts).
    ///
    /// Channels are taken 8 at a time (`SIMD8<Float>`, the Double sums as two `SIMD4<Double>`),
    /// rows in blocks of `rowBlock`; each Double sum receives its terms in row order with the same
    /// operations as a scalar loop (x², x²·x, x²·x², no fused multiply-add), so results do not
    /// depend on the blocking. A block that holds a non-finite value, and the last `cols % 8`
    /// channels, go through the scalar path, which skips and counts non-finite values.
    mutating func accumulateWindow(_ m: Matrix) -> WindowExtent {
        widen(to: m.cols)
        let cols = m.cols
        var extent = WindowExtent(absmax: [Float](repeating: 0, count: cols), nonFinite: [])
        guard m.rows > 0, cols > 0 else { return extent }
        let scratch = Scratch(cols: cols)
        defer { scratch.free() }
        let vectorCols = cols - cols % 8
        let threshold = largeThreshold
        var samples: [(row: Int, col: Int)] = []
        m.data.withUnsafeBufferPointer { src in
            sum.withUnsafeMutableBufferPointer { s1 in
            sumSquares.withUnsafeMutableBufferPointer { s2 in
            sumCubes.withUnsafeMutableBufferPointer { s3 in
            sumFourth.withUnsafeMutableBufferPointer { s4 in
                let p = Sums(s1: s1.baseAddress!, s2: s2.baseAddress!, s3: s3.baseAddress!, s4: s4.baseAddress!)
                var r0 = 0
                while r0 < m.rows {
                    let r1 = Swift.min(m.rows, r0 + Self.rowBlock)
                    let collect = samples.count < Self.sampleCap
                    var blockSamples: [(row: Int, col: Int)] = []
                    var c0 = 0
                    while c0 < vectorCols {
                        if !Self.vectorBlock(src.baseAddress!, cols: cols, rows: r0..<r1, c0: c0, p, scratch, threshold) {
                            Self.scalarBlock(src.baseAddress!, cols: cols, rows: r0..<r1, channels: c0..<(c0 + 8), p, scratch,
                                             threshold, &blockSamples, collect)
                        }
                        c0 += 8
                    }
                    if vectorCols < cols {
                        Self.scalarBlock(src.baseAddress!, cols: cols, rows: r0..<r1, channels: vectorCols..<cols, p, scratch,
                                         threshold, &blockSamples, collect)
                    }
                    if !blockSamples.isEmpty {
                        samples += blockSamples.sorted { ($0.row, $0.col) < ($1.row, $1.col) }
                    }
                    r0 = r1
                }
            }}}}
        }
        extent.nonFinite = Array(samples.prefix(Self.sampleCap))
        var badTotal = 0
        for c in 0..<cols {
            let n = scratch.count[c]
            badTotal += scratch.bad[c]
            nonFinite[c] += scratch.bad[c]
            largeCount[c] += scratch.large[c]
            guard n > 0 else { continue }
            if count[c] == 0 {
                min[c] = scratch.min[c]; max[c] = scratch.max[c]
            } else {
                min[c] = Swift.min(min[c], scratch.min[c]); max[c] = Swift.max(max[c], scratch.max[c])
            }
            absmax[c] = Swift.max(absmax[c], scratch.abs[c])
            extent.absmax[c] = scratch.abs[c]
            count[c] += n
        }
        nonFiniteTotal += badTotal
        return extent
    }

    /// The persistent Double sums.
    struct Sums {
        let s1, s2, s3, s4: UnsafeMutablePointer<Double>
    }

    /// Per-matrix extremes and counts (extremes start at ±inf so empty channels stay 0).
    struct Scratch {
        let min, max, abs: UnsafeMutablePointer<Float>
        let count, bad, large: UnsafeMutablePointer<Int>

        init(cols: Int) {
            min = .allocate(capacity: cols); min.initialize(repeating: .infinity, count: cols)
            max = .allocate(capacity: cols); max.initialize(repeating: -.infinity, count: cols)
            abs = .allocate(capacity: cols); abs.initialize(repeating: 0, count: cols)
            count = .allocate(capacity: cols); count.initialize(repeating: 0, count: cols)
            bad = .allocate(capacity: cols); bad.initialize(repeating: 0, count: cols)
            large = .allocate(capacity: cols); large.initialize(repeating: 0, count: cols)
        }

        func free() {
            min.deallocate(); max.deallocate(); abs.deallocate()
            count.deallocate(); bad.deallocate(); large.deallocate()
        }
    }

    /// Channels c0..<c0+8 over `rows`; false (and nothing written) when a value is not finite.
    @inline(__always)
    static func vectorBlock(_ src: UnsafePointer<Float>, cols: Int, rows: Range<Int>, c0: Int, _ p: Sums,
                            _ s: Scratch, _ threshold: Float) -> Bool {
        func load4(_ q: UnsafeMutablePointer<Double>) -> SIMD4<Double> {
            UnsafeRawPointer(q).loadUnaligned(as: SIMD4<Double>.self)
        }
        func load8(_ q: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
            UnsafeRawPointer(q).loadUnaligned(as: SIMD8<Float>.self)
        }
        var a1 = load4(p.s1 + c0), b1 = load4(p.s1 + c0 + 4)
        var a2 = load4(p.s2 + c0), b2 = load4(p.s2 + c0 + 4)
        var a3 = load4(p.s3 + c0), b3 = load4(p.s3 + c0 + 4)
        var a4 = load4(p.s4 + c0), b4 = load4(p.s4 + c0 + 4)
        var mn = load8(s.min + c0), mx = load8(s.max + c0), ab = load8(s.abs + c0)
        var large = SIMD8<Int32>(repeating: 0)
        var finite = SIMD8<Float>(repeating: 0)
        let thr = SIMD8<Float>(repeating: threshold)
        for r in rows {
            let v = UnsafeRawPointer(src + r * cols + c0).loadUnaligned(as: SIMD8<Float>.self)
            finite += v - v
            // `replace(with:where:)` compiles to blends; `pointwiseMin/Max` were 10x slower here.
            mn.replace(with: v, where: v .< mn)
            mx.replace(with: v, where: v .> mx)
            let a = unsafeBitCast(unsafeBitCast(v, to: SIMD8<UInt32>.self) & 0x7fff_ffff, to: SIMD8<Float>.self)
            ab.replace(with: a, where: a .> ab)
            large &-= unsafeBitCast(a .>= thr, to: SIMD8<Int32>.self)  // a true lane is −1
            let lo = SIMD4<Double>(Double(v[0]), Double(v[1]), Double(v[2]), Double(v[3]))
            let hi = SIMD4<Double>(Double(v[4]), Double(v[5]), Double(v[6]), Double(v[7]))
            let lo2 = lo * lo, hi2 = hi * hi
            a1 += lo; b1 += hi
            a2 += lo2; b2 += hi2
            a3 += lo2 * lo; b3 += hi2 * hi
            a4 += lo2 * lo2; b4 += hi2 * hi2
        }
        guard finite == SIMD8<Float>(repeating: 0) else { return false }
        func store4(_ x: SIMD4<Double>, _ q: UnsafeMutablePointer<Double>) {
            UnsafeMutableRawPointer(q).storeBytes(of: x, as: SIMD4<Double>.self)
        }
        func store8(_ x: SIMD8<Float>, _ q: UnsafeMutablePointer<Float>) {
            UnsafeMutableRawPointer(q).storeBytes(of: x, as: SIMD8<Float>.self)
        }
        store4(a1, p.s1 + c0); store4(b1, p.s1 + c0 + 4)
        store4(a2, p.s2 + c0); store4(b2, p.s2 + c0 + 4)
        store4(a3, p.s3 + c0); store4(b3, p.s3 + c0 + 4)
        store4(a4, p.s4 + c0); store4(b4, p.s4 + c0 + 4)
        store8(mn, s.min + c0); store8(mx, s.max + c0); store8(ab, s.abs + c0)
        for l in 0..<8 {
            s.count[c0 + l] += rows.count
            s.large[c0 + l] += Int(large[l])
        }
        return true
    }

    /// The scalar path: skips, counts and (when `samples` is given) locates non-finite values.
    static func scalarBlock(_ src: UnsafePointer<Float>, cols: Int, rows: Range<Int>, channels: Range<Int>, _ p: Sums,
                            _ s: Scratch, _ threshold: Float, _ samples: inout [(row: Int, col: Int)], _ collect: Bool) {
        for r in rows {
            let row = src + r * cols
            for c in channels {
                let v = row[c]
                guard v.isFinite else {
                    s.bad[c] += 1
                    if collect { samples.append((r, c)) }
                    continue
                }
                let x = Double(v)
                let x2 = x * x
                p.s1[c] += x
                p.s2[c] += x2
                p.s3[c] += x2 * x
                p.s4[c] += x2 * x2
                s.min[c] = Swift.min(s.min[c], v)
                s.max[c] = Swift.max(s.max[c], v)
                let a = Swift.abs(v)
                s.abs[c] = Swift.max(s.abs[c], a)
                s.large[c] += a >= threshold ? 1 : 0
                s.count[c] += 1
            }
        }
    }
}
