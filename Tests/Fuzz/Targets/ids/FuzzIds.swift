import CLibFuzzer
import TestSupport

/// The entry (SwiftPM links `main` to `fuzz_ids_main`): libFuzzer's driver with FuzzChecks.ids for
/// each input (scripts/fuzz ids SECONDS).
@_cdecl("fuzz_ids_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var values = argv
    return LLVMFuzzerRunDriver(&count, &values) { data, size in
        FuzzChecks.ids(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
        return 0
    }
}
