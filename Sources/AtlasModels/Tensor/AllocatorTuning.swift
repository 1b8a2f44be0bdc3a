/// glibc hands large freed blocks back to the kernel (munmap, heap trim), so the next matrix
/// of the same size page-faults and is zeroed by the kernel again: `clear_page` was 8 % of an
/// every-tap forward pass under perf. Keeping freed blocks up to 32 MiB (glibc's maximum
/// mmap threshold) in the heap for reuse avoids that; larger ones (logits) are still mapped.
/// Not under a tight memory limit (below 4 GiB: `WeightPolicy.processBudget`), where memory
/// handed back is memory the next allocation may need.
public enum AllocatorTuning {
    public static func keepFreedBlocks() {
        if let budget = WeightPolicy.processBudget(), budget < 4 << 30 { return }
        #if os(Linux)
        _ = glibcMallopt(mTrimThreshold, Int32.max)
        _ = glibcMallopt(mMmapThreshold, 32 << 20)
        #endif
    }

    // <malloc.h> is not part of Swift's Glibc module: its two constants and mallopt by name.
    private static let mTrimThreshold: Int32 = -1, mMmapThreshold: Int32 = -3
}

#if os(Linux)
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
