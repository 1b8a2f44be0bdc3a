/// A binary min-heap: `pop` returns the smallest element. The BPE merge loops keep their
/// candidate pairs in one, with the priority packed into the element's ordering.
struct MinHeap<Element: Comparable> {
    private var a: [Element] = []

    init() {}

    init(reservingCapacity n: Int) { a.reserveCapacity(n) }

    mutating func push(_ x: Element) {
        a.append(x)
        var i = a.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            if a[p] <= a[i] { break }
            a.swapAt(p, i)
            i = p
        }
    }

    mutating func pop() -> Element? {
        guard let top = a.first else { return nil }
        let last = a.removeLast()
        if !a.isEmpty {
            a[0] = last
            var i = 0
            let n = a.count
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < n && a[l] < a[m] { m = l }
                if r < n && a[r] < a[m] { m = r }
                if m == i { break }
                a.swapAt(i, m)
                i = m
            }
        }
        return top
    }
}
