import Foundation

/// Independent quantization blocks processed in chunks on every core: `body` gets disjoint
/// ranges of block indices covering `0..<count` (each task must write only its own blocks'
/// memory). One chunk runs inline.
enum BlockChunks {
    static func run(count: Int, chunk: Int, _ body: @Sendable (Range<Int>) -> Void) {
        let chunk = max(1, chunk)
        let chunks = (count + chunk - 1) / chunk
        guard chunks > 1 else {
            if count > 0 { body(0..<count) }
            return
        }
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            body((c * chunk)..<min(count, (c + 1) * chunk))
        }
    }
}
