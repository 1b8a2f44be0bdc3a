/// A network made of `TransformerBlock`s, described by its `family`. Everything that reads or
/// rewrites block weights by role (quantization, anatomy, mitigations, export) goes through
/// these members, which read the family table, never through the concrete model type.
public protocol BlockModel: TransformerModel {
    var blocks: [TransformerBlock] { get set }
    /// The norm of role `final` (decoders: after the last block; BERT: after the embeddings).
    var finalNorm: Norm { get set }
    /// The tables outside the blocks, by GGUF name: embeddings first, an untied head last.
    var namedTables: [NamedWeight] { get }
}

/// A weight matrix with its display name (GGUF convention) and block.
public struct NamedWeight: Sendable {
    public var name: String
    public var block: Int?
    /// The matrix as stored (a quantized one is dequantized when `matrix` is read).
    public var weights: WeightMatrix

    public init(name: String, block: Int?, matrix: Matrix) {
        self.init(name: name, block: block, weights: WeightMatrix(matrix))
    }

    public init(name: String, block: Int?, weights: WeightMatrix) {
        self.name = name
        self.block = block
        self.weights = weights
    }

    /// The values in Float32 (read once per use: a list of these never holds every weight dequantized).
    public var matrix: Matrix { weights.matrix }
}

/// A norm's gamma with its display name (GGUF convention) and block.
public struct NamedNorm: Sendable {
    public var name: String
    public var block: Int?
    public var gamma: [Float]

    public init(name: String, block: Int?, gamma: [Float]) {
        self.name = name
        self.block = block
        self.gamma = gamma
    }
}

extension BlockModel {
    /// Every Linear of every block, in block order then `LinearKind` order.
    public var linearSites: [LinearSite] {
        (0..<blocks.count).flatMap { b in family.linears.map { LinearSite(block: b, kind: $0.kind) } }
    }

    /// The Linear at `site` (a site of `linearSites`).
    public func linear(at site: LinearSite) -> Linear {
        guard let linear = blocks[site.block][linear: site.kind] else {
            preconditionFailure("\(family.name) blocks have no \(site.kind.rawValue) projection")
        }
        return linear
    }

    /// A copy with each block Linear replaced by `transform(site, linear)`, in `linearSites`
    /// order; embeddings, head and norms are shared unchanged.
    public func transformingLinears(_ transform: (LinearSite, Linear) throws -> Linear) rethrows -> Self {
        var copy = self
        for i in copy.blocks.indices {
            for spec in family.linears {
                let site = LinearSite(block: i, kind: spec.kind)
                copy.blocks[i][linear: spec.kind] = try transform(site, linear(at: site))
            }
        }
        return copy
    }

    /// The tap carrying the input of `site`'s Linear.
    public func inputTap(of site: LinearSite) -> TapName {
        family.linear(site.kind)?.input ?? .attnNorm
    }

    /// The tap carrying the output of `site`'s Linear (`attn.q/k/v` before RoPE).
    public func outputTap(of site: LinearSite) -> TapName {
        family.linear(site.kind)?.output ?? .attnQ
    }

    /// The gamma of the norm whose output is `normTap` in block `block`, nil when no norm
    /// produces that tap (BERT's `attn.norm` is a copy of the block input).
    public func normGamma(block: Int, normTap: TapName) -> [Float]? {
        guard let role = family.norms.first(where: { $0.tap == normTap && $0.role != .final })?.role else { return nil }
        return blocks[block][norm: role].gamma
    }

    /// The tap feeding the norm whose output is `normTap`.
    public func normInputTap(_ normTap: TapName) -> TapName? {
        family.norms.first { $0.tap == normTap }?.inputTap
    }

    /// Every weight matrix by GGUF name: the tables, then each block's Linears.
    public func namedWeights() -> [NamedWeight] {
        let tables = namedTables
        let head = tables.filter { $0.name == "output.weight" }
        var out = tables.filter { $0.name != "output.weight" }
        for (i, block) in blocks.enumerated() {
            for spec in family.linears {
                guard let l = block[linear: spec.kind] else { continue }
                out.append(NamedWeight(name: "blk.\(i).\(spec.gguf).weight", block: i, weights: l.weights))
            }
        }
        return out + head
    }

    /// Every norm's gamma by GGUF name: each block's, then the final one.
    public func namedNorms() -> [NamedNorm] {
        var out: [NamedNorm] = []
        for (i, block) in blocks.enumerated() {
            for spec in family.norms where spec.role != .final {
                out.append(NamedNorm(name: "blk.\(i).\(spec.gguf).weight", block: i, gamma: block[norm: spec.role].gamma))
            }
        }
        if let spec = family.norm(.final) { out.append(NamedNorm(name: "\(spec.gguf).weight", block: nil, gamma: finalNorm.gamma)) }
        return out
    }

    /// Weights of the blocks (norms, Linears and biases).
    public var blockParameterCount: Int { blocks.reduce(0) { $0 + $1.parameterCount } }

    /// Weights of the named tables (a tied head is not listed again), the final norm and the blocks.
    public var storedParameterCount: Int {
        namedTables.reduce(0) { $0 + $1.weights.rows * $1.weights.cols } + finalNorm.parameterCount + blockParameterCount
    }
}
