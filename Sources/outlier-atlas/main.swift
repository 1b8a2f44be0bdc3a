import AtlasAnalysis
import AtlasModels
import AtlasResults
import AtlasSite
import ArgumentParser
import Foundation

/// Entry point: runs the parsed command and maps every failure to one line on stderr and a
/// documented exit code (0 ok, 2 usage or input error, 3 internal error).
do {
    var command = try OutlierAtlas.parseAsRoot()
    try command.run()
} catch {
    let code = OutlierAtlas.exitCode(for: error)
    if code == .success {
        OutlierAtlas.exit(withError: error)  // --help, --version
    }
    let isInput = error is FormatError || error is ResultsError || error is AnalysisInputError
        || error is StudyError || error is CalibrationError || error is PerplexityError || error is SiteError || error is ValidationError || error is QuantSchemeError || code == .validationFailure
    if isInput {
        let message = (error as CustomStringConvertible).description
        let usage = code == .validationFailure ? "\n" + OutlierAtlas.usageString(for: error) : ""
        FileHandle.standardError.write(Data("error: \(message.isEmpty ? OutlierAtlas.message(for: error) : message)\(usage)\n".utf8))
        exit(2)
    }
    FileHandle.standardError.write(Data("internal error: \(error)\n".utf8))
    exit(3)
}

extension OutlierAtlas {
    static func usageString(for error: Error) -> String {
        let full = fullMessage(for: error)
        return full.components(separatedBy: "\n").filter { $0.hasPrefix("Usage:") || $0.hasPrefix("  See") }.joined(separator: "\n")
    }
}
