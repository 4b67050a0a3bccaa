import API
import Foundation
import Metrics
import NIOPosix

/// A bounded pool of database connections (stores) as the application login, and the threads their
/// blocking libpq calls run on: never the event loop's. A request leases a store, runs its work on the pool's
/// threads, and gives it back; when every store is out, it waits at most `wait`, then gets `PoolExhausted`
/// (503 with Retry-After). A store whose connection broke is dropped and a new one made on the next lease.
public final class StorePool: Sendable {
    let size: Int
    let wait: Duration
    let threads: NIOThreadPool
    let open: @Sendable () throws -> Store
    let state = PoolState()
    let waits: Timer
    let exhausted: Counter
    let databaseErrors: Counter

    /// `database` names the pool in its metrics (`database="primary"` or `"standby"`), so that a read pool's
    /// waits are not counted with the primary's.
    public init(database: String, size: Int, wait: Duration, open: @escaping @Sendable () throws -> Store) {
        let dimensions = [("database", database)]
        waits = Timer(label: "regctl_pool_wait", dimensions: dimensions, preferredDisplayUnit: .seconds)
        exhausted = Counter(label: "regctl_pool_exhausted", dimensions: dimensions)
        databaseErrors = Counter(label: "regctl_database_errors", dimensions: dimensions)
        self.size = max(1, size)
        self.wait = wait
        self.open = open
        self.threads = NIOThreadPool(numberOfThreads: max(1, size))
        threads.start()
    }

    /// The pool was empty for longer than the wait.
    public struct PoolExhausted: Error {}

    /// A store leased to one request; used by one thread at a time (the pool's), so it crosses tasks
    /// unchecked.
    public final class Lease: @unchecked Sendable {
        let store: Store
        init(_ store: Store) { self.store = store }
    }

    /// Leases a store (connecting a new one when the pool is not full).
    public func lease() async throws -> Lease {
        let started = DispatchTime.now()
        defer { waits.recordInterval(since: started) }
        switch try await state.acquire(size: size, wait: wait) {
        case .idle(let lease): return lease
        case .create:
            do {
                return try await threads.runIfActive { [open] in Lease(try open()) }
            } catch {
                await state.forget()
                databaseErrors.increment()
                throw error
            }
        case .timedOut:
            exhausted.increment()
            throw PoolExhausted()
        }
    }

    /// Gives a store back (dropped when its connection broke).
    public func release(_ lease: Lease) async {
        if lease.store.isConnected {
            await state.give(lease)
        } else {
            databaseErrors.increment()
            await state.forget()
        }
    }

    /// Runs blocking work with the leased store on the pool's threads.
    public func run<T: Sendable>(_ lease: Lease, _ body: @escaping @Sendable (Store) throws -> T) async throws -> T {
        try await threads.runIfActive { try body(lease.store) }
    }

    /// Leases a store, runs `body` on the pool's threads, gives the store back.
    public func withStore<T: Sendable>(_ body: @escaping @Sendable (Store) throws -> T) async throws -> T {
        let lease = try await lease()
        do {
            let result = try await run(lease, body)
            await release(lease)
            return result
        } catch {
            await release(lease)
            throw error
        }
    }

    /// Closes the threads (after the server stopped taking requests).
    public func shutdown() async {
        try? await threads.shutdownGracefully()
    }
}

/// The pool's bookkeeping: idle stores, how many exist, who waits. Waiters queue in order, each with the
/// same wait, so the first in the queue is the first to time out: one timer task, armed for the head's
/// deadline, serves them all (a task per waiter cost a busy server a timer and a wake-up a request).
actor PoolState {
    enum Acquired {
        case idle(StorePool.Lease)
        case create
        case timedOut
    }

    struct Waiter {
        let deadline: ContinuousClock.Instant
        let continuation: CheckedContinuation<StorePool.Lease?, Never>
    }

    var idle: [StorePool.Lease] = []
    var total = 0
    var waiters: [Waiter] = []
    var timer: Task<Void, Never>?

    func acquire(size: Int, wait: Duration) async throws -> Acquired {
        if let lease = idle.popLast() { return .idle(lease) }
        if total < size {
            total += 1
            return .create
        }
        let deadline = ContinuousClock.now + wait
        let lease: StorePool.Lease? = await withCheckedContinuation { continuation in
            waiters.append(Waiter(deadline: deadline, continuation: continuation))
            armTimer()
        }
        guard let lease else {
            // Given nil: either the wait ran out, or a store broke and its place is free to fill.
            if total < size {
                total += 1
                return .create
            }
            return .timedOut
        }
        return .idle(lease)
    }

    /// Starts the timer for the first waiter's deadline, unless one runs.
    private func armTimer() {
        guard timer == nil, let first = waiters.first else { return }
        let deadline = first.deadline
        timer = Task {
            try? await Task.sleep(until: deadline, clock: .continuous)
            self.expire()
        }
    }

    /// Answers nil to every waiter whose deadline has passed, then arms the timer for the next.
    private func expire() {
        timer = nil
        let now = ContinuousClock.now
        while let first = waiters.first, first.deadline <= now {
            waiters.removeFirst().continuation.resume(returning: nil)
        }
        armTimer()
    }

    func give(_ lease: StorePool.Lease) {
        if !waiters.isEmpty {
            waiters.removeFirst().continuation.resume(returning: lease)
        } else {
            idle.append(lease)
        }
    }

    /// A store that will not come back (its connection broke, or making it failed): its place is free.
    func forget() {
        total -= 1
        if !waiters.isEmpty { waiters.removeFirst().continuation.resume(returning: nil) }
    }
}
