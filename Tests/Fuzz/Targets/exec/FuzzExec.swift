import CLibFuzzer
import TestSupport

/// The entry (SwiftPM links `main` to `fuzz_exec_main`): libFuzzer's driver with FuzzChecks.exec for
/// each input (scripts/fuzz exec SECONDS).
@_cdecl("fuzz_exec_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var values = argv
    return LLVMFuzzerRunDriver(&count, &values) { data, size in
        FuzzChecks.exec(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
        return 0
    }
}
