#if canImport(Glibc)
import Glibc
#endif

/// Starts libFuzzer on the chosen target. SwiftPM links an executable's own `main`, so libFuzzer
/// is entered through `LLVMFuzzerRunDriver` (its documented entry point for programs that own
/// `main`), with the target name taken off the arguments; libFuzzer parses the rest as usual.
/// `LLVMFuzzerTestOneInput` must exist as well: the sanitizer runtime's own `main` refers to it.
enum FuzzDriver {
    nonisolated(unsafe) static var target: (any FuzzTarget.Type)?

    static func run(_ target: any FuzzTarget.Type) -> CInt {
        self.target = target
        var arguments = [CommandLine.unsafeArgv[0]] + (2..<Int(CommandLine.argc)).map { CommandLine.unsafeArgv[$0] }
        var count = CInt(arguments.count)
        return arguments.withUnsafeMutableBufferPointer { buffer in
            var vector = buffer.baseAddress!
            return LLVMFuzzerRunDriver(&count, &vector, testOneInput)
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzDriver.target!.test(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ test: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt
