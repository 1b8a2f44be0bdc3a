/// A trie over UTF-8 bytes in two flat tables: node 0 is the root, `child(of:byte:)` steps one
/// byte, and a node that ends a stored string holds its value (a token id).
///
/// The SPM merge loop walks it from the node of a left symbol over the bytes of the right one,
/// so looking up a merged pair costs the right symbol's length and allocates nothing.
struct ByteTrie: Sendable {
    /// (node << 8 | byte) → child node.
    private var children: [UInt64: Int32] = [:]
    /// The value stored at each node, -1 where no string ends.
    private(set) var values: [Int32] = [-1]

    init(reservingCapacity bytes: Int = 0) {
        children.reserveCapacity(bytes)
        values.reserveCapacity(bytes + 1)
    }

    /// Stores `value` for `bytes` unless some value is already stored there; returns the value now
    /// stored (so a caller can tell a duplicate).
    @discardableResult
    mutating func insert<S: Sequence>(_ bytes: S, value: Int32) -> Int32 where S.Element == UInt8 {
        var node: Int32 = 0
        for b in bytes {
            let key = UInt64(UInt32(node)) << 8 | UInt64(b)
            if let next = children[key] {
                node = next
            } else {
                let next = Int32(values.count)
                values.append(-1)
                children[key] = next
                node = next
            }
        }
        if values[Int(node)] < 0 { values[Int(node)] = value }
        return values[Int(node)]
    }

    @inline(__always)
    func child(of node: Int32, byte: UInt8) -> Int32? {
        children[UInt64(UInt32(node)) << 8 | UInt64(byte)]
    }

    /// The node reached from `node` over `bytes`, or nil when no stored string continues that way.
    @inline(__always)
    func walk(from node: Int32, _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int32? {
        var n = node
        for i in range {
            guard let next = child(of: n, byte: bytes[i]) else { return nil }
            n = next
        }
        return n
    }

    /// The value stored for exactly `bytes`, if any.
    func value<S: Sequence>(of bytes: S) -> Int32? where S.Element == UInt8 {
        var node: Int32 = 0
        for b in bytes {
            guard let next = child(of: node, byte: b) else { return nil }
            node = next
        }
        let v = values[Int(node)]
        return v >= 0 ? v : nil
    }
}
