import Foundation

// SwiftPM links the module's own `main`, so libFuzzer is started through its driver.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(
    runFuzzerDriver(&argc, &argv) { bytes, count in
        fuzzOne(bytes ?? UnsafePointer(bitPattern: 1)!, bytes == nil ? 0 : count)
    })
