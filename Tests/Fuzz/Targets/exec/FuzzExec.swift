import FuzzDriver
import TestSupport

/// The entry (SwiftPM links `main` to `fuzz_exec_main`): the shared driver with FuzzChecks.exec for each
/// input (scripts/fuzz exec SECONDS).
@_cdecl("fuzz_exec_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, FuzzChecks.exec)
}
