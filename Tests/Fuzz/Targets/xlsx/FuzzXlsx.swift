import FuzzDriver
import TestSupport

/// The entry (SwiftPM links `main` to `fuzz_xlsx_main`): the shared driver with FuzzChecks.xlsx for each
/// input (scripts/fuzz xlsx SECONDS).
@_cdecl("fuzz_xlsx_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, FuzzChecks.xlsx)
}
