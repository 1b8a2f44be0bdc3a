import Foundation

/// Rotary position embedding in the Hugging Face `rotate_half` layout: within a head, dim i
/// pairs with dim i + rotaryDims/2; `inv_freq[i] = theta^(−2i/rotaryDims)` (computed in
/// float32 as HF does, so angles round the same way). Rows are rotated on both cores.
public struct RoPE: Sendable {
    public let headDim: Int
    public let rotaryDims: Int
    public let theta: Float
    let invFreq: [Float]

    public init(headDim: Int, rotaryDims: Int? = nil, theta: Float) {
        self.headDim = headDim
        self.rotaryDims = rotaryDims ?? headDim
        self.theta = theta
        let rd = self.rotaryDims
        invFreq = (0..<(rd / 2)).map { i in
            1 / Float(pow(Double(theta), Double(Float(2 * i) / Float(rd))))
        }
    }

    /// cos and sin tables `[T, rotaryDims]` for positions `0..<T` (HF `rope.cos`/`rope.sin`).
    public func tables(positions: Int) -> (cos: Matrix, sin: Matrix) {
        let rd = rotaryDims, half = rd / 2
        var c = Matrix(zeros: positions, rd), s = Matrix(zeros: positions, rd)
        for p in 0..<positions {
            for i in 0..<half {
                let angle = Double(Float(p) * invFreq[i])
                let cv = Float(Foundation.cos(angle)), sv = Float(Foundation.sin(angle))
                c[p, i] = cv; c[p, i + half] = cv
                s[p, i] = sv; s[p, i + half] = sv
            }
        }
        return (c, s)
    }

    /// Rotates every head of `x` (`[T, heads × headDim]`) in place, position = `offset` + row
    /// index (`offset`: the positions before the first row, e.g. a cached prefix).
    public func apply(_ x: inout Matrix, heads: Int, tables: (cos: Matrix, sin: Matrix), offset: Int = 0) {
        let half = rotaryDims / 2, hd = headDim, width = x.cols
        precondition(width == heads * hd && tables.cos.rows >= x.rows + offset)
        let rd = rotaryDims
        x.data.withUnsafeMutableBufferPointer { buf in
            tables.cos.data.withUnsafeBufferPointer { cosT in
                tables.sin.data.withUnsafeBufferPointer { sinT in
                    ParallelLoop.rowChunks(x.rows, width: width) { rows in for t in rows {
                        let cr = cosT.baseAddress! + (t + offset) * rd, sr = sinT.baseAddress! + (t + offset) * rd
                        for h in 0..<heads {
                            let v = buf.baseAddress! + t * width + h * hd
                            for i in 0..<half {
                                let a = v[i], b = v[i + half]
                                v[i] = a * cr[i] - b * sr[i]
                                v[i + half] = b * cr[i + half] + a * sr[i + half]
                            }
                        }
                    } }
                }
            }
        }
    }
}
