import AtlasAnalysis
import AtlasModels
import AtlasResults
import AtlasSite

/// The contract every fuzz target asserts of the code under test: it returns a valid value or
/// throws one of the project's typed, user-facing errors. Anything else (another error type, a
/// broken invariant) stops the fuzzer through `fatalError`, and libFuzzer saves the input.
/// Traps, out-of-bounds accesses (AddressSanitizer), hangs (`-timeout`) and allocations over
/// `-malloc_limit_mb` are caught by libFuzzer itself.
enum Contract {
    /// Runs `body`; one of the project's error types is an accepted outcome.
    static func accept(_ target: String, _ body: () throws -> Void) {
        do {
            try body()
        } catch is FormatError {
        } catch is ResultsError {
        } catch is StudyError {
        } catch is SiteError {
        } catch is AnalysisInputError {
        } catch {
            fatalError("\(target): untyped error \(String(reflecting: type(of: error))): \(error)")
        }
    }

    /// Stops the fuzzer when an invariant of a returned value does not hold.
    static func require(_ condition: Bool, _ target: String, _ message: @autoclosure () -> String) {
        if !condition { fatalError("\(target): \(message())") }
    }
}
