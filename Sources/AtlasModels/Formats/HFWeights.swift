import Foundation

/// Shape-checked access to the tensors of a Hugging Face checkpoint folder, under a name
/// prefix found at open (`model.`/`transformer.`/none: Hub files differ in whether the base
/// model's prefix is present). Every missing or misshapen tensor is a `FormatError`.
struct HFWeights {
    let folder: SafetensorsFolder
    let prefix: String
    let family: String

    /// Picks the first of `prefixes` under which `probe` exists.
    init(_ folder: SafetensorsFolder, family: String, prefixes: [String], probe: String) throws {
        self.folder = folder
        self.family = family
        guard let p = prefixes.first(where: { folder.info($0 + probe) != nil }) else {
            throw FormatError(file: folder.directory.path, field: "tensor '\(prefixes[0] + probe)'", found: "missing",
                              expected: "a \(family) checkpoint (tried the prefixes \(prefixes.map { "'\($0)'" }.joined(separator: ", ")))")
        }
        prefix = p
    }

    /// Requires the blocks of tensors `<prefix><blockPrefix><i>.…` to be exactly the `declared`
    /// of config.json's `key` (`DeclaredBlocks`), before anything is sized by it.
    func checkBlocks(_ declared: Int, config: HFConfig, key: String, blockPrefix: String) throws {
        try DeclaredBlocks.check(declared, field: key, file: config.url.path, tensorNames: folder.tensorNames,
                                 prefix: prefix + blockPrefix)
    }

    func has(_ name: String) -> Bool { folder.info(prefix + name) != nil }

    private func info(_ name: String) throws -> SafetensorsTensorInfo {
        guard let info = folder.info(prefix + name) else {
            throw FormatError(file: folder.directory.path, field: "tensor '\(prefix + name)'", found: "missing",
                              expected: "present in a \(family) checkpoint")
        }
        return info
    }

    private func file(_ name: String) -> String { folder.url(of: prefix + name)?.path ?? folder.directory.path }

    /// A 2-D tensor of shape `[rows, cols]`.
    func matrix(_ name: String, _ rows: Int, _ cols: Int) throws -> Matrix {
        let i = try info(name)
        guard i.shape == [rows, cols] else {
            throw FormatError(file: file(name), field: "tensor '\(prefix + name)' shape", found: "\(i.shape)", expected: "[\(rows), \(cols)]")
        }
        return try folder.matrix(prefix + name)
    }

    /// A 1-D tensor of `n` values.
    func vector(_ name: String, _ n: Int) throws -> [Float] {
        let i = try info(name)
        guard i.shape == [n] else {
            throw FormatError(file: file(name), field: "tensor '\(prefix + name)' shape", found: "\(i.shape)", expected: "[\(n)]")
        }
        return try folder.floats(prefix + name)
    }

    func optionalVector(_ name: String, _ n: Int) throws -> [Float]? {
        has(name) ? try vector(name, n) : nil
    }

    /// An `nn.Linear` `<name>.weight` `[out, in]` with its `<name>.bias` when present.
    func linear(_ name: String, out: Int, in inFeatures: Int) throws -> Linear {
        Linear(weight: try matrix(name + ".weight", out, inFeatures), bias: try optionalVector(name + ".bias", out))
    }

    /// One block's Linears by their Hugging Face names in `family`'s table, under `prefix`; a
    /// tensor that holds several (Phi-3's `qkv_proj`, `gate_up_proj`) is read once and split by rows.
    func blockLinears(_ family: ModelFamily, prefix: String, widths: ModelFamily.Widths) throws -> [LinearKind: Linear] {
        var linears: [LinearKind: Linear] = [:]
        var fused: [String: Linear] = [:]
        for spec in family.linears {
            let rows = family.rows(of: spec.kind, storedAs: \.hf)
            guard rows.all.count > 1 else {
                linears[spec.kind] = try linear(prefix + spec.hf, out: widths[spec.out], in: widths[spec.in])
                continue
            }
            let whole = try fused[spec.hf] ?? linear(prefix + spec.hf, out: rows.all.reduce(0) { $0 + widths[$1] }, in: widths[spec.in])
            fused[spec.hf] = whole
            let offset = rows.before.reduce(0) { $0 + widths[$1] }, count = widths[spec.out]
            linears[spec.kind] = Linear(weight: whole.weight.rows(offset, count: count),
                                        bias: whole.bias.map { Array($0[offset..<(offset + count)]) })
        }
        return linears
    }

    /// `<name>.weight` and `<name>.bias` of a LayerNorm.
    func layerNorm(_ name: String, _ n: Int, eps: Float) throws -> Norm {
        .layer(try vector(name + ".weight", n), beta: try optionalVector(name + ".bias", n), eps: eps)
    }
}
