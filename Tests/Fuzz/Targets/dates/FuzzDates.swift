import CLibFuzzer
import TestSupport

/// The entry (SwiftPM links `main` to `fuzz_dates_main`): libFuzzer's driver with FuzzChecks.dates for
/// each input (scripts/fuzz dates SECONDS).
@_cdecl("fuzz_dates_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var values = argv
    return LLVMFuzzerRunDriver(&count, &values) { data, size in
        FuzzChecks.dates(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
        return 0
    }
}
