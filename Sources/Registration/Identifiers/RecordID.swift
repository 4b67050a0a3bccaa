import Foundation

extension UUID {
    /// A record's id as PostgreSQL prints it and users type it: lower-case.
    public var text: String { uuidString.lowercased() }

    /// A new random id (version 4, RFC 9562) for a record or an event. Foundation's `UUID()` opens, reads and
    /// closes /dev/urandom for every id on Linux, and a getrandom call per id costs nearly as much: at two ids per
    /// row that was a third of an import's own time. The bytes come from the same source, 4 KiB at a time.
    public static func random() -> UUID {
        var bytes = RandomPool.shared.take16()
        return withUnsafeMutableBytes(of: &bytes) { raw in
            raw[6] = raw[6] & 0x0F | 0x40  // version 4
            raw[8] = raw[8] & 0x3F | 0x80  // variant 10
            return UUID(uuid: raw.load(as: uuid_t.self))
        }
    }
}

/// The operating system's random bytes, fetched a page at a time and handed out once each.
private final class RandomPool: @unchecked Sendable {  // its state is guarded by `lock`
    static let shared = RandomPool()
    private let lock = NSLock()
    private var buffer = [UInt8](repeating: 0, count: 4096)
    private var used = 4096

    func take16() -> (UInt64, UInt64) {
        lock.lock()
        defer { lock.unlock() }
        if used + 16 > buffer.count {
            buffer.withUnsafeMutableBytes { arc4random_buf($0.baseAddress!, $0.count) }
            used = 0
        }
        defer { used += 16 }
        return buffer.withUnsafeBytes {
            ($0.load(fromByteOffset: used, as: UInt64.self), $0.load(fromByteOffset: used + 8, as: UInt64.self))
        }
    }
}
