import FuzzDriver
import TestSupport

/// The entry (SwiftPM links `main` to `fuzz_dates_main`): the shared driver with FuzzChecks.dates for each
/// input (scripts/fuzz dates SECONDS).
@_cdecl("fuzz_dates_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, FuzzChecks.dates)
}
