import Foundation

/// Independent tasks on the cores OpenBLAS was given (`BLAS.threads`): with one thread a plain
/// loop; otherwise `concurrentPerform` with OpenBLAS itself single-threaded meanwhile, so small
/// products (one head's scores) run whole on one core each instead of being split and waited
/// for. Tasks must write disjoint memory; each computes what the loop would, in its own order.
public enum ParallelLoop {
    public static func run(_ count: Int, _ body: (Int) -> Void) {
        let workers = BLAS.threads
        guard workers > 1, count > 1 else {
            for i in 0..<count { body(i) }
            return
        }
        BLAS.setThreads(1)
        defer { BLAS.setThreads(workers) }
        withoutActuallyEscaping(body) { body in
            let box = UnsafeSendable(body)
            DispatchQueue.concurrentPerform(iterations: count) { box.value($0) }
        }
    }

    /// Runs `body` on contiguous parts of `0..<count` that together cover it, one per core
    /// (`BLAS.threads`: inside a `run` task that is 1, so nothing nests), each part's start a multiple of `alignment` (so vector kernels see the
    /// same 16-lane groups and tail as one call over everything would: the same bits); below
    /// `minimum` items, one call on the caller's thread. For the element-wise and row-wise work
    /// between the products (norms, activations, residual adds), which would otherwise leave
    /// the second core waiting.
    public static func chunks(_ count: Int, alignment: Int = 16, minimum: Int = 1 << 16, _ body: (Range<Int>) -> Void) {
        let parts = min(BLAS.threads, count / Swift.max(1, minimum))
        guard parts > 1 else {
            if count > 0 { body(0..<count) }
            return
        }
        let step = (count / parts + alignment - 1) / alignment * alignment
        // No product runs inside, so OpenBLAS's threads stay as they are (run() changes them,
        // which two callers at once, e.g. the tasks of a ParallelMap, must not do).
        withoutActuallyEscaping(body) { body in
            let box = UnsafeSendable(body)
            DispatchQueue.concurrentPerform(iterations: parts) { i in
                let start = i * step, end = i == parts - 1 ? count : Swift.min(count, start + step)
                if start < end { box.value(start..<end) }
            }
        }
    }

    /// `chunks` over the rows of a `[rows, width]` matrix (rows computed independently).
    public static func rowChunks(_ rows: Int, width: Int, _ body: (Range<Int>) -> Void) {
        chunks(rows, alignment: 1, minimum: Swift.max(1, (1 << 16) / Swift.max(1, width)), body)
    }

    /// Carries a value into `concurrentPerform`'s closure: the caller guarantees the tasks
    /// touch disjoint memory.
    struct UnsafeSendable<T>: @unchecked Sendable {
        let value: T
        init(_ value: T) { self.value = value }
    }
}
