/// How byte-level BPE text is cut into words before merges are applied.
/// Each case is a hand-written scanner equal to the named split regex
/// (run on Unicode scalars, with the end of each text segment as end of input).
public enum PreTokenizer: Sendable, Equatable, CaseIterable {
    /// GPT-2: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
    case gpt2
    /// GGUF `tokenizer.ggml.pre = smollm` as transformers applies it: the plain GPT-2
    /// split (transformers ignores llama.cpp's digit isolation; the reference ids use this).
    case smollm
    /// llama.cpp's `smollm`: every `\p{N}` scalar isolated first, then the GPT-2 split
    /// (also HF `Sequence[Digits(individual_digits), ByteLevel]`).
    case smollmDigitsIsolated
    /// Qwen2: `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`.
    case qwen2
    /// Llama 3: as Qwen2 but `\p{N}{1,3}` (numbers in groups of up to three digits).
    case llama3

    /// The name used in `Tokenizer.name`.
    public var displayName: String {
        switch self {
        case .gpt2: "gpt2"
        case .smollm: "gpt2/smollm"
        case .smollmDigitsIsolated: "smollm, digits isolated (llama.cpp)"
        case .qwen2: "qwen2"
        case .llama3: "llama3"
        }
    }

    /// The pieces of `text` (for tests and inspection; no byte-level spelling).
    public func split(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        return ranges(scalars).map { r in
            var v = String.UnicodeScalarView()
            v.append(contentsOf: scalars[r])
            return String(v)
        }
    }

    /// The pieces of `scalars` as index ranges, in order, covering all of it.
    func ranges(_ scalars: [Unicode.Scalar]) -> [Range<Int>] {
        let classes = ScalarClass.classes(scalars)
        var out: [Range<Int>] = []
        out.reserveCapacity(scalars.count / 3 + 1)
        switch self {
        case .gpt2, .smollm:
            Self.scanGPT2(scalars, classes, 0, scalars.count, &out)
        case .smollmDigitsIsolated:
            var start = 0
            for i in 0..<scalars.count where classes[i] == .number {
                if start < i { Self.scanGPT2(scalars, classes, start, i, &out) }
                out.append(i..<(i + 1))
                start = i + 1
            }
            if start < scalars.count { Self.scanGPT2(scalars, classes, start, scalars.count, &out) }
        case .qwen2:
            Self.scanQwen2(scalars, classes, 0, scalars.count, maxDigits: 1, &out)
        case .llama3:
            Self.scanQwen2(scalars, classes, 0, scalars.count, maxDigits: 3, &out)
        }
        return out
    }

    // MARK: scanners

    /// Length of a contraction (`'s 't 're 've 'm 'll 'd`) at `i`, or 0.
    @inline(__always)
    private static func contraction(_ s: [Unicode.Scalar], _ i: Int, _ hi: Int, caseInsensitive: Bool) -> Int {
        guard s[i] == "'", i + 1 < hi else { return 0 }
        func lower(_ x: Unicode.Scalar) -> UInt32 {
            caseInsensitive && x.value >= 65 && x.value <= 90 ? x.value + 32 : x.value
        }
        let a = lower(s[i + 1])
        switch a {
        case 0x73, 0x74, 0x6D, 0x64: return 2 // s t m d
        case 0x72, 0x76: // r v → re ve
            return i + 2 < hi && lower(s[i + 2]) == 0x65 ? 3 : 0
        case 0x6C: // l → ll
            return i + 2 < hi && lower(s[i + 2]) == 0x6C ? 3 : 0
        default: return 0
        }
    }

    /// End of the run of `cls` starting at `j`.
    @inline(__always)
    private static func run(_ c: [ScalarClass], _ j: Int, _ hi: Int, _ cls: ScalarClass) -> Int {
        var k = j
        while k < hi && c[k] == cls { k += 1 }
        return k
    }

    /// `\s+(?!\S)|\s+` at `i` (a whitespace scalar): the whole run if it reaches the end,
    /// all but its last scalar if that leaves at least one, else the single scalar.
    @inline(__always)
    private static func whitespaceEnd(_ c: [ScalarClass], _ i: Int, _ hi: Int) -> Int {
        let j = run(c, i, hi, .whitespace)
        if j == hi || j - i < 2 { return j }
        return j - 1
    }

    static func scanGPT2(_ s: [Unicode.Scalar], _ c: [ScalarClass], _ lo: Int, _ hi: Int,
                         _ out: inout [Range<Int>]) {
        var i = lo
        while i < hi {
            let n = contraction(s, i, hi, caseInsensitive: false)
            if n > 0 { out.append(i..<(i + n)); i += n; continue }
            var j = i
            if s[i] == " " && i + 1 < hi && c[i + 1] != .whitespace { j = i + 1 }
            let cls = c[j]
            let end = cls == .whitespace ? whitespaceEnd(c, i, hi) : run(c, j, hi, cls)
            out.append(i..<end)
            i = end
        }
    }

    static func scanQwen2(_ s: [Unicode.Scalar], _ c: [ScalarClass], _ lo: Int, _ hi: Int,
                          maxDigits: Int, _ out: inout [Range<Int>]) {
        var i = lo
        while i < hi {
            let n = contraction(s, i, hi, caseInsensitive: true)
            if n > 0 { out.append(i..<(i + n)); i += n; continue }
            let cls = c[i]
            let isCRLF = s[i] == "\r" || s[i] == "\n"
            var end: Int
            if cls == .letter {
                // [^\r\n\p{L}\p{N}]?\p{L}+ with no prefix
                end = run(c, i, hi, .letter)
            } else if cls != .number && !isCRLF && i + 1 < hi && c[i + 1] == .letter {
                // [^\r\n\p{L}\p{N}]\p{L}+
                end = run(c, i + 1, hi, .letter)
            } else if cls == .number {
                end = i + 1
                while end < hi && end - i < maxDigits && c[end] == .number { end += 1 }
            } else if cls == .other || (s[i] == " " && i + 1 < hi && c[i + 1] == .other) {
                // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
                end = run(c, cls == .other ? i : i + 1, hi, .other)
                while end < hi && (s[end] == "\r" || s[end] == "\n") { end += 1 }
            } else {
                // whitespace: `\s*[\r\n]+`, then `\s+(?!\S)`, then `\s+`
                let j = run(c, i, hi, .whitespace)
                var lastNL = -1
                var k = j - 1
                while k >= i { if s[k] == "\r" || s[k] == "\n" { lastNL = k; break }; k -= 1 }
                end = lastNL >= 0 ? lastNL + 1 : whitespaceEnd(c, i, hi)
            }
            out.append(i..<end)
            i = end
        }
    }
}
