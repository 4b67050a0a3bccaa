import CLibFuzzer
import TestSupport

/// The entry (SwiftPM links `main` to `fuzz_csv_main`): libFuzzer's driver with FuzzChecks.csv for
/// each input (scripts/fuzz csv SECONDS).
@_cdecl("fuzz_csv_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var values = argv
    return LLVMFuzzerRunDriver(&count, &values) { data, size in
        FuzzChecks.csv(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
        return 0
    }
}
