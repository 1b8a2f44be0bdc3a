import Foundation

/// The commented example study that `outlier-atlas init` writes: every key, its default and
/// what it means. `StudyFile.load` accepts it as written (tests keep it that way).
public enum StudyTemplate {
    public static let text = """
    # OutlierAtlas study file. Paths are relative to this file's folder.
    # `outlier-atlas build atlas.yaml` analyzes every model on every dataset, caches each unit of
    # work under <results>/.cache, appends to <results>/history.jsonl and renders the site.

    models:                          # one entry per model (required, at least one)
      - label: SmolLM2-135M-Instruct (Q4_1 GGUF)   # shown on the site; default: the file name
        path: models/SmolLM2-135M-Instruct.Q4_1.gguf
        format: auto                 # auto (by content) | gguf | safetensors

    datasets:                        # calibration / evaluation texts (required, at least one)
      - name: demo                   # default: the file name
        file: data/demo-sample.txt
        text_mode: raw               # raw: the file's bytes; joined: lines joined with a blank line
        window_size: 256             # tokens per window (at least 2)
        windows: 5                   # how many windows; leave out for every full window
        bos: auto                    # auto (as the model asks) | always | never

    schemes: []                      # quantization schemes, e.g. [W8A8, W4A16-g128, Q4_K]
    mitigations: []                  # e.g. ["smoothquant:alpha=0.5", rotation]

    criteria:
      massive_absolute: 100          # massive activation: |x| > 100 ...
      massive_relative: 1000         # ... and |x| > 1000 x median |x| of the hidden state
      channel_outlier_k: 10          # channel outlier: absmax > k x median channel absmax
      top_k: 16                      # largest activations kept per tap

    thresholds:                      # what `outlier-atlas check` calls a regression
      perplexity_increase: 0.01      # relative (0.01 = +1 %), float and per scheme
      kl_increase: 0.01              # absolute, nats, per scheme
      sqnr_drop_db: 1.0              # dB, per scheme
      new_massive_dims: 0            # massive dims absent from the baseline that are allowed
      max_abs_growth: 0.25           # relative growth of max |x| at any tap

    output:
      results: results               # results JSON, .cache/ and history.jsonl
      site: site                     # the static site (replaced atomically)

    """

    /// Writes the example to `url`; refuses to replace an existing file.
    public static func write(to url: URL) throws(StudyError) {
        guard !FileManager.default.fileExists(atPath: url.path) else {
            throw StudyError(file: url.path, line: nil, key: "(file)", found: "an existing file",
                             expected: "a path that does not exist yet (init never overwrites)")
        }
        do {
            try Data(text.utf8).write(to: url, options: .withoutOverwriting)
        } catch {
            throw StudyError(file: url.path, line: nil, key: "(file)", found: "an unwritable path (\(error.localizedDescription))",
                             expected: "a writable path")
        }
    }
}
