/// One fuzz target: its name (also its seed folder, `Fuzz/Corpus/<name>`) and the function
/// libFuzzer calls with every input. The function asserts the `Contract`.
protocol FuzzTarget: SendableMetatype {
    static var name: String { get }
    static func test(_ bytes: UnsafeRawBufferPointer)
}

/// Every target of `atlas-fuzz`, in the order `make fuzz` runs them.
enum FuzzTargets {
    static let all: [any FuzzTarget.Type] = [
        GGUFTarget.self, DequantizeTarget.self, SafetensorsTarget.self, HFConfigTarget.self, TokenizerJSONTarget.self,
        TokenizersTarget.self, StudyYAMLTarget.self, ResultsTarget.self, CSVTarget.self,
    ]

    static func named(_ name: String) -> (any FuzzTarget.Type)? { all.first { $0.name == name } }
}
