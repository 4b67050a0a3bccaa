import API
import ArgumentParser
import Foundation
import Remote

/// `regctl-bench http-commands`: exec's lines sent as single commands (`POST /api/v1/commands/{name}`) by
/// several clients at once, each waiting for its answer before sending its next; prints the commands a
/// second and the answers that were not `ok` (which fail the bench).
struct HTTPCommands: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http-commands", abstract: "Send exec lines as HTTP commands from N clients; print commands/s.")
    @Option var server: String
    @Option var token: String
    @Option var lines: String
    @Option var clients = 16

    func run() throws {
        let remote = try RemoteServer(server)
        let text = try String(contentsOfFile: lines, encoding: .utf8)
        let work = text.split(separator: "\n").map { line -> (String, Data) in
            let object = try! JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let args = object["args"] ?? [String: Any]()
            return (object["command"] as! String, try! JSONSerialization.data(withJSONObject: args))
        }
        let next = Counter()
        let failures = Counter()
        let headers = [("Authorization", "Bearer " + token), ("Content-Type", "application/json")]
        let done = DispatchSemaphore(value: 0)
        let start = DispatchTime.now()
        let clients = self.clients
        Task.detached {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<clients {
                    group.addTask {
                        // Each client keeps its connection, as a program integrating with the API does.
                        do {
                            try await remote.withConnection { send in
                                while true {
                                    let i = next.take()
                                    guard i < work.count else { return }
                                    let (name, body) = work[i]
                                    let answer = try await send(.POST, "/api/v1/commands/" + name, headers, body)
                                    if answer.status >= 300, failures.take() < 3 {
                                        FileHandle.standardError.write(
                                            Data("failed: \(String(decoding: answer.body, as: UTF8.self))\n".utf8))
                                    }
                                }
                            }
                        } catch {
                            _ = failures.take()
                            FileHandle.standardError.write(Data("client failed: \(error)\n".utf8))
                        }
                    }
                }
            }
            done.signal()
        }
        done.wait()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        print(String(format: "%.1f %d", Double(work.count) / seconds, failures.value))
    }

    final class Counter: @unchecked Sendable {
        private var n = 0
        private let lock = NSLock()
        func take() -> Int {
            lock.lock()
            defer { lock.unlock() }
            n += 1
            return n - 1
        }
        var value: Int {
            lock.lock()
            defer { lock.unlock() }
            return n
        }
    }
}
