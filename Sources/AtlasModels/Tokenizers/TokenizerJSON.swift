import Foundation

/// Loads a Hugging Face `tokenizer.json`: byte-level BPE (GPT-2 / SmolLM / Qwen2 /
/// Llama 3 pre-tokenizers), SentencePiece-style BPE with byte fallback (Llama 2 / Mistral /
/// Gemma, `ByteFallbackBPETokenizer`) or WordPiece (BERT). Anything else, or a malformed file,
/// is a `FormatError` naming the file and the field.
public enum TokenizerJSON {
    public static func load(url: URL) throws -> any Tokenizer {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw FormatError(file: url.path, field: "(file)", found: "unreadable (\(error.localizedDescription))",
                              expected: "a readable tokenizer.json")
        }
        return try load(data: data, file: url.path)
    }

    /// `file` names the source in errors.
    public static func load(data: Data, file: String) throws -> any Tokenizer {
        let root: [String: Any]
        do {
            let any = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            guard let obj = any as? [String: Any] else {
                throw FormatError(file: file, field: "(root)", found: describe(any), expected: "a JSON object")
            }
            root = obj
        } catch let e as FormatError {
            throw e
        } catch {
            throw FormatError(file: file, field: "(root)", found: "text that is not JSON",
                              expected: "a JSON object (tokenizer.json)")
        }
        let r = Reader(file: file)
        let model = try r.object(root["model"], "model")
        let type: String
        if let t = model["type"] {
            type = try r.string(t, "model.type")
        } else if model["merges"] != nil {
            type = "BPE" // old files omit the type
        } else {
            throw FormatError(file: file, field: "model.type", found: "nothing", expected: "\"BPE\" or \"WordPiece\"")
        }
        switch type {
        case "BPE": return try loadBPE(root, model, r)
        case "WordPiece": return try loadWordPiece(root, model, r)
        default:
            throw FormatError(file: file, field: "model.type", found: "\"\(type)\"",
                              expected: "\"BPE\" (byte-level or with byte fallback) or \"WordPiece\"")
        }
    }

    // MARK: shared parts

    /// Field-typed access that throws `FormatError`s naming the field.
    struct Reader {
        let file: String

        func fail(_ field: String, _ value: Any?, _ expected: String) -> FormatError {
            FormatError(file: file, field: field, found: describe(value), expected: expected)
        }
        func object(_ v: Any?, _ field: String) throws -> [String: Any] {
            guard let o = v as? [String: Any] else { throw fail(field, v, "an object") }
            return o
        }
        func array(_ v: Any?, _ field: String) throws -> [Any] {
            guard let a = v as? [Any] else { throw fail(field, v, "an array") }
            return a
        }
        func string(_ v: Any?, _ field: String) throws -> String {
            guard let s = v as? String else { throw fail(field, v, "a string") }
            return s
        }
        func int(_ v: Any?, _ field: String) throws -> Int {
            guard !(v is String), !isJSONBool(v), let n = v as? NSNumber,
                  let i = Int(exactly: n.doubleValue) else { throw fail(field, v, "an integer") }
            return i
        }
        func bool(_ v: Any?, _ field: String, default d: Bool) throws -> Bool {
            if v == nil || v is NSNull { return d }
            guard isJSONBool(v), let b = v as? Bool else { throw fail(field, v, "true or false") }
            return b
        }
        func optionalString(_ v: Any?, _ field: String) throws -> String? {
            if v == nil || v is NSNull { return nil }
            return try string(v, field)
        }

        /// `model.vocab` and `added_tokens` as an id-indexed array ("" for unused ids).
        func vocabulary(_ root: [String: Any], _ model: [String: Any]) throws -> (tokens: [String], added: [(String, Int32, Bool)]) {
            guard let vocabAny = model["vocab"] else {
                throw fail("model.vocab", nil, "an object of token → id")
            }
            let vocab = try object(vocabAny, "model.vocab")
            var pairs: [(String, Int)] = []
            pairs.reserveCapacity(vocab.count)
            for (token, idAny) in vocab {
                let id = try int(idAny, "model.vocab[\"\(token)\"]")
                guard id >= 0 && id < 10_000_000 else { throw fail("model.vocab[\"\(token)\"]", idAny, "an id in 0..<10000000") }
                pairs.append((token, id))
            }
            var added: [(String, Int32, Bool)] = []
            if let a = root["added_tokens"], !(a is NSNull) {
                for (i, entry) in try array(a, "added_tokens").enumerated() {
                    let e = try object(entry, "added_tokens[\(i)]")
                    let id = try int(e["id"], "added_tokens[\(i)].id")
                    guard id >= 0 && id < 10_000_000 else { throw fail("added_tokens[\(i)].id", e["id"], "an id in 0..<10000000") }
                    let content = try string(e["content"], "added_tokens[\(i)].content")
                    guard !content.isEmpty else { throw fail("added_tokens[\(i)].content", content, "a non-empty string") }
                    let special = try bool(e["special"], "added_tokens[\(i)].special", default: false)
                    added.append((content, Int32(id), special))
                }
            }
            let count = (pairs.map(\.1) + added.map { Int($0.1) }).max().map { $0 + 1 } ?? 0
            var tokens = [String](repeating: "", count: count)
            for (t, id) in pairs { tokens[id] = t }
            for (t, id, _) in added where tokens[Int(id)].isEmpty { tokens[Int(id)] = t }
            return (tokens, added)
        }

        /// `model.merges` as pairs: `"left right"` strings or `["left", "right"]` arrays.
        func mergePairs(_ model: [String: Any]) throws -> [(String, String)] {
            guard let mergesAny = model["merges"] else { throw fail("model.merges", nil, "an array of merges") }
            let mergesArray = try array(mergesAny, "model.merges")
            var pairs: [(String, String)] = []
            pairs.reserveCapacity(mergesArray.count)
            for (i, m) in mergesArray.enumerated() {
                if let s = m as? String, let pair = ByteLevelBPETokenizer.splitMerge(s) {
                    pairs.append(pair)
                } else if let a = m as? [Any], a.count == 2, let x = a[0] as? String, let y = a[1] as? String {
                    pairs.append((x, y))
                } else {
                    throw fail("model.merges[\(i)]", m, "\"left right\" or [\"left\", \"right\"]")
                }
            }
            return pairs
        }
    }

    /// JSONSerialization gives booleans as NSNumbers that also cast to Int (and 0/1 cast to
    /// Bool), so a boolean is told apart by its type / `objCType` ("c").
    static func isJSONBool(_ v: Any?) -> Bool {
        guard let v else { return false }
        if type(of: v) == Bool.self { return true }
        if let n = v as? NSNumber { return String(cString: n.objCType) == "c" }
        return false
    }

    static func describe(_ v: Any?) -> String {
        switch v {
        case nil: return "nothing"
        case is NSNull: return "null"
        case let s as String: return "the string \"\(s.count > 40 ? String(s.prefix(40)) + "…" : s)\""
        case let b where isJSONBool(b): return "a boolean"
        case let n as NSNumber: return "the number \(n)"
        case let a as [Any]: return "an array of \(a.count)"
        case is [String: Any]: return "an object"
        default: return "a \(type(of: v!))"
        }
    }

    // MARK: BPE

    static let knownSplitRegexes: [String: PreTokenizer] = [
        #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#: .gpt2,
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#: .qwen2,
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#: .llama3,
    ]

    static let supportedPreTokenizers =
        "ByteLevel(use_regex: true); Sequence[Split(GPT-2, Qwen2 or Llama 3 regex, Isolated), ByteLevel(use_regex: false)]; Sequence[Digits(individual_digits: true), ByteLevel(use_regex: true)]"

    static func loadBPE(_ root: [String: Any], _ model: [String: Any], _ r: Reader) throws -> any Tokenizer {
        if try r.bool(model["byte_fallback"], "model.byte_fallback", default: false) {
            return try loadByteFallbackBPE(root, model, r)
        }
        let (tokens, added) = try r.vocabulary(root, model)
        let pairs = try r.mergePairs(model)
        for key in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let v = try r.optionalString(model[key], "model.\(key)"), !v.isEmpty {
                throw r.fail("model.\(key)", v, "null (byte-level BPE)")
            }
        }
        let ignoreMerges = try r.bool(model["ignore_merges"], "model.ignore_merges", default: false)

        let normalization: ByteLevelBPETokenizer.Normalization
        switch root["normalizer"] {
        case nil, is NSNull: normalization = .none
        case let n:
            let o = try r.object(n, "normalizer")
            let t = try r.string(o["type"], "normalizer.type")
            if t == "NFC" { normalization = .nfc }
            else if t == "Sequence", let list = o["normalizers"] as? [Any], list.isEmpty { normalization = .none }
            else { throw r.fail("normalizer.type", t, "null or \"NFC\"") }
        }

        let (pre, addPrefixSpace) = try bpePreTokenizer(root["pre_tokenizer"], r)
        var fields = ByteLevelBPETokenizer.FieldNames()
        fields.tokens = "model.vocab"
        fields.merges = "model.merges"
        fields.specialTokens = "added_tokens"
        return try ByteLevelBPETokenizer(
            tokens: tokens, mergePairs: pairs, tokenTypes: nil,
            specialTokens: added.map(\.0), preTokenizer: pre, source: r.file,
            normalization: normalization, addPrefixSpace: addPrefixSpace, ignoreMerges: ignoreMerges,
            fields: fields)
    }

    static func bpePreTokenizer(_ v: Any?, _ r: Reader) throws -> (PreTokenizer, Bool) {
        let o = try r.object(v, "pre_tokenizer")
        let type = try r.string(o["type"], "pre_tokenizer.type")
        func byteLevel(_ o: [String: Any], _ field: String, useRegex: Bool) throws -> Bool {
            guard try r.string(o["type"], "\(field).type") == "ByteLevel" else {
                throw r.fail("\(field).type", o["type"], "\"ByteLevel\"")
            }
            let ur = try r.bool(o["use_regex"], "\(field).use_regex", default: true)
            guard ur == useRegex else { throw r.fail("\(field).use_regex", ur, "\(useRegex) here") }
            return try r.bool(o["add_prefix_space"], "\(field).add_prefix_space", default: false)
        }
        if type == "ByteLevel" {
            return (.gpt2, try byteLevel(o, "pre_tokenizer", useRegex: true))
        }
        guard type == "Sequence" else { throw r.fail("pre_tokenizer.type", type, supportedPreTokenizers) }
        let list = try r.array(o["pretokenizers"], "pre_tokenizer.pretokenizers")
        guard list.count == 2 else { throw r.fail("pre_tokenizer.pretokenizers", list, supportedPreTokenizers) }
        let first = try r.object(list[0], "pre_tokenizer.pretokenizers[0]")
        let second = try r.object(list[1], "pre_tokenizer.pretokenizers[1]")
        switch try r.string(first["type"], "pre_tokenizer.pretokenizers[0].type") {
        case "Split":
            let pattern = try r.object(first["pattern"], "pre_tokenizer.pretokenizers[0].pattern")
            let regex = try r.string(pattern["Regex"], "pre_tokenizer.pretokenizers[0].pattern.Regex")
            guard let pre = knownSplitRegexes[regex] else {
                throw r.fail("pre_tokenizer.pretokenizers[0].pattern.Regex", regex, "the GPT-2, Qwen2 or Llama 3 split regex")
            }
            let behavior = try r.string(first["behavior"], "pre_tokenizer.pretokenizers[0].behavior")
            guard behavior == "Isolated" else { throw r.fail("pre_tokenizer.pretokenizers[0].behavior", behavior, "\"Isolated\"") }
            guard try !r.bool(first["invert"], "pre_tokenizer.pretokenizers[0].invert", default: false) else {
                throw r.fail("pre_tokenizer.pretokenizers[0].invert", true, "false")
            }
            return (pre, try byteLevel(second, "pre_tokenizer.pretokenizers[1]", useRegex: false))
        case "Digits":
            guard try r.bool(first["individual_digits"], "pre_tokenizer.pretokenizers[0].individual_digits", default: false) else {
                throw r.fail("pre_tokenizer.pretokenizers[0].individual_digits", false, "true")
            }
            return (.smollmDigitsIsolated, try byteLevel(second, "pre_tokenizer.pretokenizers[1]", useRegex: true))
        case let t:
            throw r.fail("pre_tokenizer.pretokenizers[0].type", t, supportedPreTokenizers)
        }
    }

    // MARK: WordPiece

    static func loadWordPiece(_ root: [String: Any], _ model: [String: Any], _ r: Reader) throws -> any Tokenizer {
        let (tokens, added) = try r.vocabulary(root, model)
        var idOfToken: [[UInt8]: Int32] = [:]
        for (i, t) in tokens.enumerated() where !t.isEmpty { idOfToken[Array(t.utf8)] = Int32(i) }
        func id(_ t: String, _ field: String) throws -> Int32 {
            guard let id = idOfToken[Array(t.utf8)] else { throw r.fail(field, t, "a token of model.vocab") }
            return id
        }
        let unk = try id(try r.string(model["unk_token"], "model.unk_token"), "model.unk_token")
        let prefix = try r.optionalString(model["continuing_subword_prefix"], "model.continuing_subword_prefix") ?? "##"
        let maxChars = model["max_input_chars_per_word"] == nil ? 100
            : try r.int(model["max_input_chars_per_word"], "model.max_input_chars_per_word")

        let normalizer: BertNormalizer
        switch root["normalizer"] {
        case nil, is NSNull: normalizer = .identity
        case let n:
            let o = try r.object(n, "normalizer")
            let t = try r.string(o["type"], "normalizer.type")
            guard t == "BertNormalizer" else { throw r.fail("normalizer.type", t, "\"BertNormalizer\" or null") }
            let strip: Bool? = (o["strip_accents"] == nil || o["strip_accents"] is NSNull) ? nil
                : try r.bool(o["strip_accents"], "normalizer.strip_accents", default: false)
            normalizer = BertNormalizer(
                cleanText: try r.bool(o["clean_text"], "normalizer.clean_text", default: true),
                handleChineseChars: try r.bool(o["handle_chinese_chars"], "normalizer.handle_chinese_chars", default: true),
                stripAccents: strip,
                lowercase: try r.bool(o["lowercase"], "normalizer.lowercase", default: true))
        }

        let pre = try r.object(root["pre_tokenizer"], "pre_tokenizer")
        let preType = try r.string(pre["type"], "pre_tokenizer.type")
        guard preType == "BertPreTokenizer" else { throw r.fail("pre_tokenizer.type", preType, "\"BertPreTokenizer\"") }

        var before: [Int32] = [], after: [Int32] = []
        switch root["post_processor"] {
        case nil, is NSNull: break
        case let p:
            let o = try r.object(p, "post_processor")
            switch try r.string(o["type"], "post_processor.type") {
            case "BertProcessing":
                for (key, field) in [("cls", "post_processor.cls"), ("sep", "post_processor.sep")] {
                    let a = try r.array(o[key], field)
                    guard a.count == 2 else { throw r.fail(field, a, "[token, id]") }
                    let tokenID = Int32(try r.int(a[1], "\(field)[1]"))
                    if key == "cls" { before = [tokenID] } else { after = [tokenID] }
                }
            case "TemplateProcessing":
                let single = try r.array(o["single"], "post_processor.single")
                var seenSequence = false
                for (i, item) in single.enumerated() {
                    let e = try r.object(item, "post_processor.single[\(i)]")
                    if e["Sequence"] != nil { seenSequence = true; continue }
                    let st = try r.object(e["SpecialToken"], "post_processor.single[\(i)].SpecialToken")
                    let tid = try id(try r.string(st["id"], "post_processor.single[\(i)].SpecialToken.id"),
                                     "post_processor.single[\(i)].SpecialToken.id")
                    if seenSequence { after.append(tid) } else { before.append(tid) }
                }
            case let t:
                throw r.fail("post_processor.type", t, "\"TemplateProcessing\", \"BertProcessing\" or null")
            }
        }
        return try WordPieceTokenizer(
            tokens: tokens, idOfToken: idOfToken, unknownID: unk, prefixIDs: before, suffixIDs: after,
            continuingSubwordPrefix: prefix, maxInputCharsPerWord: maxChars, normalizer: normalizer,
            specialTokens: added.map(\.0), source: r.file)
    }
}
