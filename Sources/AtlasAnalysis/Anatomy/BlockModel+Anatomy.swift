import AtlasModels

/// The weights the anatomy tracer reads, by role from the family table. Matrices are in
/// checkpoint layout `[out, in]` (GPT-2's Conv1D already turned around by its loader), so
/// `downProjection(block:)[dim, channel]` is the weight from FFN channel to hidden dim.
extension BlockModel {
    /// W_down `[hidden, ffn]` of block `block`.
    func downProjection(block: Int) -> Linear { linear(at: LinearSite(block: block, kind: .down)) }
    /// W_q `[q, hidden]` of block `block`.
    func queryProjection(block: Int) -> Linear { linear(at: LinearSite(block: block, kind: .q)) }
}
