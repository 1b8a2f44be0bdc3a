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

    /// Carries a value into `concurrentPerform`'s closure: the caller guarantees the tasks
    /// touch disjoint memory.
    struct UnsafeSendable<T>: @unchecked Sendable {
        let value: T
        init(_ value: T) { self.value = value }
    }
}
