import Foundation

@testable import QDAKit

/// libFuzzer's entry point: the input goes to the target named by `$QDA_FUZZ_TARGET`
/// (Fuzz/run.sh sets it; the names are `FuzzTargets.names`).
let target = ProcessInfo.processInfo.environment["QDA_FUZZ_TARGET"] ?? ""

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard FuzzTargets.run(target, Data(bytes: bytes, count: count)) else {
        fatalError("QDA_FUZZ_TARGET must be one of \(FuzzTargets.names.joined(separator: ", "))")
    }
    return 0
}
