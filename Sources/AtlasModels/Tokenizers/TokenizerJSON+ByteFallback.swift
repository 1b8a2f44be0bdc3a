import Foundation

/// SentencePiece-style BPE (`model.byte_fallback: true`): Llama 2, Mistral, TinyLlama, Gemma.
extension TokenizerJSON {
    typealias BF = ByteFallbackBPETokenizer

    static let byteFallbackNormalizers = "null, Prepend, Replace (a String pattern) or a Sequence of them"
    static let byteFallbackPreTokenizers = "null, Metaspace, Split (a String pattern) or a Sequence of them"
    static let byteFallbackDecoders =
        "null, Replace (a String pattern), ByteFallback, Fuse, Strip, Metaspace or a Sequence of them"

    static func loadByteFallbackBPE(_ root: [String: Any], _ model: [String: Any], _ r: Reader) throws -> any Tokenizer {
        let (_, added) = try r.vocabulary(root, model)  // checks model.vocab and added_tokens
        let vocab = try r.object(model["vocab"], "model.vocab")
        let vocabulary = try vocab.map { t, id in (t, Int32(try r.int(id, "model.vocab[\"\(t)\"]"))) }
        let pairs = try r.mergePairs(model)
        for key in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let v = try r.optionalString(model[key], "model.\(key)"), !v.isEmpty {
                throw r.fail("model.\(key)", v, "null (SentencePiece-style BPE)")
            }
        }
        if let d = model["dropout"], !(d is NSNull) {
            guard !isJSONBool(d), let p = d as? NSNumber, p.doubleValue == 0 else {
                throw r.fail("model.dropout", d, "null or 0 (dropout makes encoding random)")
            }
        }
        var addedTokens: [BF.AddedToken] = []
        if !added.isEmpty {
            let entries = try r.array(root["added_tokens"], "added_tokens")
            for (i, (content, id, special)) in added.enumerated() {
                let e = try r.object(entries[i], "added_tokens[\(i)]")
                let field = "added_tokens[\(i)]"
                guard try !r.bool(e["single_word"], "\(field).single_word", default: false) else {
                    throw r.fail("\(field).single_word", true, "false (single-word added tokens are not supported)")
                }
                addedTokens.append(BF.AddedToken(
                    content: content, id: id,
                    normalized: try r.bool(e["normalized"], "\(field).normalized", default: !special),
                    lstrip: try r.bool(e["lstrip"], "\(field).lstrip", default: false),
                    rstrip: try r.bool(e["rstrip"], "\(field).rstrip", default: false)))
            }
        }
        var fields = TokenizerFieldNames()
        fields.tokens = "model.vocab"
        fields.merges = "model.merges"
        fields.unknownTokenID = "model.unk_token"
        return try ByteFallbackBPETokenizer(
            vocabulary: vocabulary, mergePairs: pairs,
            unknownToken: try r.optionalString(model["unk_token"], "model.unk_token"),
            fuseUnknown: try r.bool(model["fuse_unk"], "model.fuse_unk", default: false),
            ignoreMerges: try r.bool(model["ignore_merges"], "model.ignore_merges", default: false),
            addedTokens: addedTokens,
            normalizer: try byteFallbackNormalizer(root["normalizer"], "normalizer", r),
            preTokenizer: try byteFallbackPreTokenizer(root["pre_tokenizer"], "pre_tokenizer", r),
            decoder: root["decoder"] == nil || root["decoder"] is NSNull
                ? nil : try byteFallbackDecoder(root["decoder"], "decoder", r),
            source: r.file, fields: fields)
    }

    /// The components of a normalizer, pre-tokenizer or decoder: `one` reads a component whose type
    /// is not "Sequence"; a Sequence's `listKey` items are read in order, nested ones flattened.
    static func steps<T>(_ v: Any?, _ field: String, _ listKey: String, _ r: Reader,
                         _ one: (_ type: String, _ o: [String: Any], _ field: String) throws -> T) throws -> [T] {
        let o = try r.object(v, field)
        let type = try r.string(o["type"], "\(field).type")
        guard type == "Sequence" else { return [try one(type, o, field)] }
        return try r.array(o[listKey], "\(field).\(listKey)").enumerated().flatMap { i, item in
            try steps(item, "\(field).\(listKey)[\(i)]", listKey, r, one)
        }
    }

    static func byteFallbackNormalizer(_ v: Any?, _ field: String, _ r: Reader) throws -> [BF.NormalizerStep] {
        if v == nil || v is NSNull { return [] }
        return try steps(v, field, "normalizers", r) { type, o, field in
            switch type {
            case "Prepend": return .prepend(try r.string(o["prepend"], "\(field).prepend"))
            case "Replace":
                let (pattern, content) = try replacement(o, field, r)
                return .replace(pattern, with: content)
            default: throw r.fail("\(field).type", type, byteFallbackNormalizers + " (SentencePiece-style BPE)")
            }
        }
    }

    static func byteFallbackPreTokenizer(_ v: Any?, _ field: String, _ r: Reader) throws -> [BF.PreTokenizerStep] {
        if v == nil || v is NSNull { return [] }
        return try steps(v, field, "pretokenizers", r) { type, o, field in
            switch type {
            case "Metaspace":
                let (replacement, scheme) = try metaspace(o, field, r)
                return .metaspace(replacement: replacement, prependScheme: scheme,
                                  split: try r.bool(o["split"], "\(field).split", default: true))
            case "Split":
                let pattern = try literalPattern(o["pattern"], "\(field).pattern", r)
                let b = try r.string(o["behavior"], "\(field).behavior")
                guard let behavior = BF.SplitBehavior(rawValue: b) else {
                    throw r.fail("\(field).behavior", b,
                                 BF.SplitBehavior.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
                }
                guard try !r.bool(o["invert"], "\(field).invert", default: false) else {
                    throw r.fail("\(field).invert", true, "false")
                }
                return .split(pattern, behavior)
            default: throw r.fail("\(field).type", type, byteFallbackPreTokenizers + " (SentencePiece-style BPE)")
            }
        }
    }

    static func byteFallbackDecoder(_ v: Any?, _ field: String, _ r: Reader) throws -> [BF.DecoderStep] {
        try steps(v, field, "decoders", r) { type, o, field in
            switch type {
            case "Replace":
                let (pattern, content) = try replacement(o, field, r)
                return .replace(pattern, with: content)
            case "ByteFallback": return .byteFallback
            case "Fuse": return .fuse
            case "Strip":
                let content = try character(o["content"], "\(field).content", r)
                let start = try r.int(o["start"], "\(field).start"), stop = try r.int(o["stop"], "\(field).stop")
                guard start >= 0 else { throw r.fail("\(field).start", o["start"], "a count ≥ 0") }
                guard stop >= 0 else { throw r.fail("\(field).stop", o["stop"], "a count ≥ 0") }
                return .strip(content, start: start, stop: stop)
            case "Metaspace":
                let (replacement, scheme) = try metaspace(o, field, r)
                return .metaspace(replacement: replacement, prependScheme: scheme)
            default: throw r.fail("\(field).type", type, byteFallbackDecoders)
            }
        }
    }

    /// A `Replace`'s literal pattern and content.
    static func replacement(_ o: [String: Any], _ field: String, _ r: Reader) throws -> (String, String) {
        (try literalPattern(o["pattern"], "\(field).pattern", r), try r.string(o["content"], "\(field).content"))
    }

    /// A `{"String": …}` pattern.
    static func literalPattern(_ v: Any?, _ field: String, _ r: Reader) throws -> String {
        let o = try r.object(v, field)
        if let s = o["String"] { return try r.string(s, "\(field).String") }
        if let re = o["Regex"] {
            throw r.fail("\(field).Regex", re, "a {\"String\": …} pattern (Regex patterns are not supported here)")
        }
        throw r.fail(field, v, "a {\"String\": …} pattern")
    }

    /// A string of exactly one Unicode scalar (a Rust `char`).
    static func character(_ v: Any?, _ field: String, _ r: Reader) throws -> Unicode.Scalar {
        let s = try r.string(v, field)
        guard s.unicodeScalars.count == 1, let c = s.unicodeScalars.first else {
            throw r.fail(field, s, "one character")
        }
        return c
    }

    /// Metaspace's `replacement` and prepend scheme, with HF's reading of the older
    /// `add_prefix_space` (false only with the scheme "never"; the scheme defaults to "always").
    static func metaspace(_ o: [String: Any], _ field: String, _ r: Reader) throws -> (Unicode.Scalar, BF.PrependScheme) {
        let replacement = try character(o["replacement"], "\(field).replacement", r)
        var scheme = BF.PrependScheme.always
        if let s = try r.optionalString(o["prepend_scheme"], "\(field).prepend_scheme") {
            guard let p = BF.PrependScheme(rawValue: s) else {
                throw r.fail("\(field).prepend_scheme", s, "\"always\", \"first\" or \"never\"")
            }
            scheme = p
        }
        if o["add_prefix_space"] != nil, try !r.bool(o["add_prefix_space"], "\(field).add_prefix_space", default: true) {
            guard scheme == .never else {
                throw r.fail("\(field).add_prefix_space", false, "true, or prepend_scheme \"never\" (they disagree)")
            }
        }
        return (replacement, scheme)
    }
}
