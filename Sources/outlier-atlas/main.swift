import AtlasAnalysis
import AtlasModels
import AtlasResults
import AtlasSite
import ArgumentParser
import Foundation

/// Entry point: runs the parsed command and maps every failure to one line on stderr and a
/// documented exit code (0 ok, 1 regression found by `check`, 2 usage or input error, 3
/// internal error). Every line goes through `MessageText.escaped`: a message quoting hostile
/// input (a key with a newline, ESC or NUL) still prints as one harmless line.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((MessageText.escaped(line) + "\n").utf8))
}

CPUPath.handOverIfNeeded()
AllocatorTuning.keepFreedBlocks()
do {
    var command = try OutlierAtlas.parseAsRoot()
    try command.run()
} catch let regressions as RegressionsFound {
    printError("check: \(regressions)")
    exit(1)
} catch {
    // Our input errors describe themselves (file, field, found, expected). They are matched
    // before ArgumentParser sees the error: its exit-code lookup crashed in the Swift runtime
    // on a MitigationError thrown from `run()`.
    let isInputError = error is FormatError || error is ResultsError || error is AnalysisInputError
        || error is StudyError || error is CalibrationError || error is PerplexityError || error is SiteError
        || error is QuantSchemeError || error is MitigationError
    if isInputError {
        printError("error: \(error)")
        exit(2)
    }
    let code = OutlierAtlas.exitCode(for: error)
    if code == .success {
        OutlierAtlas.exit(withError: error)  // --help, --version
    }
    if code == .validationFailure {
        printError("error: \(OutlierAtlas.message(for: error))")
        exit(2)
    }
    printError("internal error: \(error)")
    exit(3)
}
