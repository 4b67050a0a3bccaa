import CLibFuzzer

/// The one libFuzzer driver every fuzz target runs: each target's entry passes the check of
/// `FuzzChecks` its inputs go to (libFuzzer takes a C function, which captures nothing: the check waits
/// in `check` for the run).
public enum FuzzDriver {
    nonisolated(unsafe) static var check: ([UInt8]) -> Void = { _ in }

    public static func run(
        _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ check: @escaping ([UInt8]) -> Void
    ) -> CInt {
        Self.check = check
        var count = argc
        var values = argv
        return LLVMFuzzerRunDriver(&count, &values) { data, size in
            FuzzDriver.check(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
            return 0
        }
    }
}
