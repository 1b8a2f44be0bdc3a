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
