import AtlasModels
import Foundation

/// Where a `StatisticsObserver` computes the statistics of the matrices it is given. Every
/// choice gives the same accumulators bit for bit (each tap's window is added by the same code,
/// in the same window order); they differ only in which cores do the work and when.
public enum StatisticsScheduling: Sendable, Equatable {
    /// On the forward pass's thread, as each tap arrives.
    case inline
    /// On one second thread while the forward pass goes on (`AccumulationWorker`): uses a core
    /// the forward leaves idle (one OpenBLAS thread), but competes with OpenBLAS's second thread.
    case background
    /// Queued during a block, then computed on every core (one tap per task, `ParallelLoop`)
    /// when the next block starts or the state is read, while the forward waits: no thread
    /// competes with the products, and the statistics take their CPU time divided by the cores.
    case perBlock
}

/// One matrix waiting for its statistics.
struct PendingTap: @unchecked Sendable {
    let key: TapKey
    let value: Matrix
    let window: Int
    let tokens: [Int32]
    /// The key observed just before with this very matrix (see `StatisticsObserver`).
    let twin: TapKey?
}

/// Median scratch buffers for concurrent tasks: each task takes one and gives it back.
final class ScratchPool: @unchecked Sendable {
    private var free: [MedianScratch] = []
    private let lock = NSLock()

    func take() -> MedianScratch { lock.withLock { free.popLast() } ?? MedianScratch() }
    func give(_ s: MedianScratch) { lock.withLock { free.append(s) } }
}
