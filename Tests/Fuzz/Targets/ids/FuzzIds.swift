import FuzzDriver
import TestSupport

/// The entry (SwiftPM links `main` to `fuzz_ids_main`): the shared driver with FuzzChecks.ids for each
/// input (scripts/fuzz ids SECONDS).
@_cdecl("fuzz_ids_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, FuzzChecks.ids)
}
