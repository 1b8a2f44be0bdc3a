import Foundation

/// A thread-safe memo of word (UTF-8 bytes) → token ids, bounded in size.
/// Keys are raw bytes, not `String`, because `String` equality is canonical
/// equivalence ("é" == "e\u{301}") and tokenizers are not.
final class WordCache: @unchecked Sendable {
    private let lock = NSLock()
    private var map: [[UInt8]: [Int32]] = [:]
    private let limit: Int

    init(limit: Int = 200_000) { self.limit = limit }

    func get(_ key: [UInt8]) -> [Int32]? {
        lock.lock(); defer { lock.unlock() }
        return map[key]
    }

    func set(_ key: [UInt8], _ value: [Int32]) {
        lock.lock(); defer { lock.unlock() }
        if map.count >= limit { map.removeAll(keepingCapacity: true) }
        map[key] = value
    }
}
