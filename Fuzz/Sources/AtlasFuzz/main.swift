import Foundation

// atlas-fuzz TARGET [libFuzzer flags] [corpus folders]: runs one target under libFuzzer.
let arguments = CommandLine.arguments
guard arguments.count >= 2, let target = FuzzTargets.named(arguments[1]) else {
    FileHandle.standardError.write(Data("usage: atlas-fuzz TARGET [libFuzzer flags] [corpus folders]; targets: \(FuzzTargets.all.map { $0.name }.joined(separator: ", "))\n".utf8))
    exit(2)
}
exit(FuzzDriver.run(target))
