/// Starts libFuzzer from a SwiftPM executable. SwiftPM links every executable with its own
/// `main` aliased to `<module>_main`, so libFuzzer's `main` is not used: each target defines
/// `<module>_main` and hands its test function to `LLVMFuzzerRunDriver` (libFuzzer's documented
/// entry point for programs that own `main`), which parses the usual flags.
public enum FuzzDriver {
    public typealias TestOneInput = @convention(c) (UnsafePointer<UInt8>, Int) -> CInt

    public static func run(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
                           _ test: TestOneInput) -> CInt {
        var count = argc
        var vector = argv
        return LLVMFuzzerRunDriver(&count, &vector, test)
    }
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ test: FuzzDriver.TestOneInput) -> CInt
