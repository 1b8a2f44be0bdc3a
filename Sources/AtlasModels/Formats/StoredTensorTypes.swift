import Foundation

/// How a model file stores each block Linear's weight (`Q4_K`, `Q8_0`, `F16`, `BF16`, …), read
/// from the GGUF tensor infos or the safetensors headers by the family table's tensor names.
/// A Linear that is a slice of a fused tensor (Phi-3's `attn_qkv`
/// tensor) is `fused`.
public enum StoredTensorTypes {
    public static func read(_ url: URL, family: ModelFamily, sites: [LinearSite]) throws -> [LinearSite: String] {
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
        let specs = Dictionary(family.linears.map { ($0.kind, $0) }, uniquingKeysWith: { a, _ in a })
        var out: [LinearSite: String] = [:]
        if isDirectory.boolValue {
            let folder = try SafetensorsFolder(directory: url)
            // "….<block>.<hf name>.weight" → dtype, whatever the family's prefix.
            var bySuffix: [String: String] = [:]
            for name in folder.tensorNames {
                guard let info = folder.info(name), let cut = name.range(of: #"\.\d+\..*$"#, options: .regularExpression) else { continue }
                bySuffix[String(name[cut].dropFirst())] = info.dtype.rawValue
            }
            for site in sites {
                guard let spec = specs[site.kind] else { continue }
                out[site] = bySuffix["\(site.block).\(spec.hf).weight"] ?? "fused"
            }
        } else {
            let file = try GGUFFile(url: url)
            for site in sites {
                guard let spec = specs[site.kind] else { continue }
                if let info = file.tensorInfo("blk.\(site.block).\(spec.gguf).weight") {
                    out[site] = info.type.name
                } else {
                    out[site] = "fused"
                }
            }
        }
        return out
    }
}
