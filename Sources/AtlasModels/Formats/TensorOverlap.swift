/// The one check that no two tensors of a file share bytes (GGUF and safetensors alike): a
/// file whose tensors alias each other (e.g. every same-shape matrix pointing at the
/// embedding's bytes) is a different model than its names say. Empty tensors overlap nothing.
enum TensorOverlap {
    /// The first pair (by start, then name) whose byte ranges intersect: `later` starts inside
    /// `earlier`. Sorted by start, any overlap shows between neighbours.
    static func first(_ tensors: [(name: String, bytes: Range<Int>)]) -> (earlier: String, later: String)? {
        let ordered = tensors.filter { !$0.bytes.isEmpty }.sorted { ($0.bytes.lowerBound, $0.name) < ($1.bytes.lowerBound, $1.name) }
        for (a, b) in zip(ordered, ordered.dropFirst()) where b.bytes.lowerBound < a.bytes.upperBound {
            return (a.name, b.name)
        }
        return nil
    }
}
