import AtlasResults
import AtlasModels
import Foundation

/// Whether two checkpoints can run in lockstep: the same family, sizes, Linear shapes and
/// tokenizer (vocabulary strings, and the same token ids for the text). The first difference is
/// one `AnalysisInputError` naming both files and what differs. Hyperparameters that change the
/// numbers but not the shapes (RoPE base, norm epsilon, context length) are returned as notes.
public enum PairCompatibility {
    public static func check(_ a: LoadedModel, _ b: LoadedModel) throws -> [String] {
        func differ(_ what: String, _ x: String, _ y: String) -> AnalysisInputError {
            AnalysisInputError(file: b.url.path,
                               problem: "cannot compare with \(a.url.lastPathComponent): \(what) differs (\(x) in \(a.url.lastPathComponent), \(y) in \(b.url.lastPathComponent))")
        }
        let na = a.network, nb = b.network
        guard na.family.name == nb.family.name else { throw differ("the family", na.family.name, nb.family.name) }
        let sizes: [(String, (any BlockModel) -> Int)] = [
            ("the block count", \.blockCount), ("the hidden size", \.hiddenSize), ("the FFN size", \.ffnSize),
            ("the head count", \.headCount), ("the KV head count", \.kvHeadCount), ("the vocabulary size", \.vocabSize),
        ]
        for (name, size) in sizes where size(na) != size(nb) { throw differ(name, "\(size(na))", "\(size(nb))") }
        for site in na.linearSites {
            let x = na.linear(at: site), y = nb.linear(at: site)
            let shapeA = "\(x.outFeatures)×\(x.inFeatures)\(x.bias == nil ? "" : " + bias")"
            let shapeB = "\(y.outFeatures)×\(y.inFeatures)\(y.bias == nil ? "" : " + bias")"
            if shapeA != shapeB { throw differ("the shape of \(site.tensorName)", shapeA, shapeB) }
        }
        try tokenizers(a, b, differ: differ)
        return notes(na, nb)
    }

    static func tokenizers(_ a: LoadedModel, _ b: LoadedModel,
                           differ: (String, String, String) -> AnalysisInputError) throws {
        let ta = a.tokenizer, tb = b.tokenizer
        guard ta.vocabularySize == tb.vocabularySize else {
            throw differ("the tokenizer's vocabulary size", "\(ta.vocabularySize)", "\(tb.vocabularySize)")
        }
        for id in 0..<Int32(ta.vocabularySize) where ta.tokenText(id) != tb.tokenText(id) {
            throw differ("token \(id)", quoted(ta.tokenText(id)), quoted(tb.tokenText(id)))
        }
        if a.bos != b.bos { throw differ("the BOS token", a.bos.map(String.init) ?? "none", b.bos.map(String.init) ?? "none") }
    }

    /// The windows both tokenizers make of the text must be the same token ids (merges and
    /// normalization are only visible there).
    public static func checkWindows(_ a: [[Int32]], _ b: [[Int32]], fileA: URL, fileB: URL, tokenizer: any Tokenizer) throws {
        guard a != b else { return }
        let problem: String
        if a.count != b.count {
            problem = "the text makes \(a.count) windows with \(fileA.lastPathComponent)'s tokenizer and \(b.count) with this one's"
        } else {
            let w = a.indices.first { a[$0] != b[$0] }!
            let p = (0..<min(a[w].count, b[w].count)).first { a[w][$0] != b[w][$0] } ?? min(a[w].count, b[w].count)
            let x = p < a[w].count ? quoted(tokenizer.tokenText(a[w][p])) : "the end", y = p < b[w].count ? quoted(tokenizer.tokenText(b[w][p])) : "the end"
            problem = "the tokenizers split the text differently (window \(w), position \(p): \(x) in \(fileA.lastPathComponent), \(y) here: merges or normalization differ)"
        }
        throw AnalysisInputError(file: fileB.path, problem: "cannot compare with \(fileA.lastPathComponent): \(problem)")
    }

    static func quoted(_ s: String) -> String { "'" + MessageText.escaped(s) + "'" }

    /// Differences that change the numbers but not the shapes.
    static func notes(_ a: any BlockModel, _ b: any BlockModel) -> [String] {
        guard let x = (a as? LlamaModel)?.config, let y = (b as? LlamaModel)?.config else { return [] }
        var out: [String] = []
        func note<T: Equatable>(_ name: String, _ u: T, _ v: T) { if u != v { out.append("\(name) \(u) vs \(v)") } }
        note("RoPE base", x.ropeTheta, y.ropeTheta)
        note("rotary dims", x.rotaryDims, y.rotaryDims)
        note("norm epsilon", x.normEps, y.normEps)
        note("context length", x.contextLength, y.contextLength)
        note("tied embeddings", x.tiedEmbeddings, y.tiedEmbeddings)
        return out
    }
}
