import Foundation

/// Runs statistics jobs on one background thread, in submission order, so a forward pass that
/// leaves a core idle (one BLAS thread, or the single-threaded parts between GEMMs) gets its
/// statistics computed on it. The backlog is bounded by the number of values waiting: `submit`
/// blocks while more than `limit` are queued, so memory stays bounded when statistics are slower
/// than the model. `drain` waits until every submitted job has finished; the jobs' effects are
/// then visible to the caller (the lock orders them).
final class AccumulationWorker: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [(values: Int, job: @Sendable () -> Void)] = []
    private var head = 0
    /// Values queued or being processed.
    private var pending = 0
    private var started = false
    private var stopping = false
    let limit: Int

    /// - Parameter limit: values (Floats) allowed to wait; default 32 M (128 MiB).
    init(limit: Int = 32 << 20) {
        self.limit = limit
    }

    func submit(values: Int, _ job: @escaping @Sendable () -> Void) {
        condition.lock()
        defer { condition.unlock() }
        if !started {
            started = true
            Thread.detachNewThread { [self] in run() }
        }
        while pending > 0 && pending + values > limit { condition.wait() }
        queue.append((values, job))
        pending += values
        condition.broadcast()
    }

    /// Waits until every submitted job has run.
    func drain() {
        condition.lock()
        while pending > 0 { condition.wait() }
        condition.unlock()
    }

    /// Lets the thread finish once the queue is empty.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while head == queue.count && !stopping { condition.wait() }
            if head == queue.count {
                condition.unlock()
                return
            }
            let (values, job) = queue[head]
            head += 1
            if head == queue.count { queue.removeAll(keepingCapacity: true); head = 0 }
            condition.unlock()
            job()
            condition.lock()
            pending -= values
            condition.broadcast()
            condition.unlock()
        }
    }
}
