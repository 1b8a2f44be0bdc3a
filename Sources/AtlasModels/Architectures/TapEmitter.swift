/// Hands tap values of one block to the observer, only when it asks for them.
struct TapEmitter {
    let observer: TapObserver?
    let block: Int

    @inline(__always)
    func wants(_ tap: TapName) -> Bool { observer?.wants(block: block, tap: tap) ?? false }

    /// Observe-only emission (the value is not used further, or must not be rewritten).
    @inline(__always)
    func emit(_ tap: TapName, _ value: @autoclosure () -> Matrix) {
        guard let observer, observer.wants(block: block, tap: tap) else { return }
        observer.observe(block: block, tap: tap, value: value())
    }

    /// Emission through which an intervention may rewrite the value the model goes on with.
    @inline(__always)
    func pass(_ tap: TapName, _ value: inout Matrix) {
        guard let observer else { return }
        if observer.rewrites(block: block, tap: tap) { observer.rewrite(block: block, tap: tap, value: &value) }
        if observer.wants(block: block, tap: tap) { observer.observe(block: block, tap: tap, value: value) }
    }
}

extension Matrix {
    /// Adds `bias` to every row.
    mutating func addRowVector(_ bias: [Float]) {
        precondition(bias.count == cols)
        let c = cols
        data.withUnsafeMutableBufferPointer { buf in
            bias.withUnsafeBufferPointer { b in
                for r in 0..<rows {
                    let row = buf.baseAddress! + r * c
                    for j in 0..<c { row[j] += b[j] }
                }
            }
        }
    }

    /// self += other, elementwise.
    mutating func add(_ other: Matrix) {
        precondition(other.rows == rows && other.cols == cols)
        let n = count
        data.withUnsafeMutableBufferPointer { a in
            other.data.withUnsafeBufferPointer { b in VectorMath.add(a.baseAddress!, b.baseAddress!, count: n) }
        }
    }
}
