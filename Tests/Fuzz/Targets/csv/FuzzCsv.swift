import FuzzDriver
import TestSupport

/// The entry (SwiftPM links `main` to `fuzz_csv_main`): the shared driver with FuzzChecks.csv for each
/// input (scripts/fuzz csv SECONDS).
@_cdecl("fuzz_csv_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, FuzzChecks.csv)
}
