import Dispatch

/// `count` independent tasks on the cores (`concurrentPerform`, OpenBLAS threads untouched),
/// each returning one value; the values come back in task order, so the result does not depend
/// on scheduling. Each task writes only its own slot.
public enum ParallelMap {
    public static func run<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
        guard count > 1 else { return (0..<count).map(body) }
        let slots = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        slots.initialize(repeating: nil)
        defer {
            _ = slots.deinitialize()
            slots.deallocate()
        }
        withoutActuallyEscaping(body) { body in
            let box = ParallelLoop.UnsafeSendable((body, slots))
            DispatchQueue.concurrentPerform(iterations: count) { box.value.1[$0] = box.value.0($0) }
        }
        return slots.map { $0! }
    }
}
