import API
import Registration
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The CLI's HTTP/1.1 client for `regctl serve` (`--server`, `regctl login`), on SwiftNIO's HTTP codec: a
/// request body streams up from a file or standard input while the answer streams down (exec's lines as
/// each is answered). TLS by NIOSSL, verifying the server against the system's roots, or against
/// `REGCTL_SERVER_CA` (a PEM file) for a commission's own authority.
public struct RemoteServer: Sendable {
    public let url: URL
    let host: String
    let port: Int
    let tls: Bool
    let basePath: String

    /// `http://host:port` or `https://…`; a path prefix is kept (a server behind a proxy under /regctl).
    public init(_ text: String) throws {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else {
            throw RegctlError(
                "input.value", "\(Quoted.value(text)) is not a server address (http://HOST:PORT or https://HOST)",
                status: .usage, field: "server")
        }
        self.url = url
        self.host = host
        self.tls = scheme == "https"
        self.port = url.port ?? (tls ? 443 : 80)
        let path = url.path
        self.basePath = path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    public var address: String {
        "\(tls ? "https" : "http")://\(host.contains(":") ? "[\(host)]" : host)\(url.port.map { ":\($0)" } ?? "")\(basePath)"
    }

    /// An answer: status, headers, and the body (whole, unless it was streamed to `onBody`).
    public struct Answer: Sendable {
        public let status: Int
        public let headers: [(String, String)]
        public let body: Data

        public func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    /// Where a request's body comes from.
    public enum Body: Sendable {
        case none
        case bytes(Data)
        /// A file descriptor read to its end (a file, standard input), sent chunked.
        case stream(Int32)
    }

    /// Sends one request and waits for the whole answer (or streams its body to `onBody` as it arrives,
    /// then `body` is empty). Blocking: for the CLI's synchronous commands.
    public func send(
        _ method: HTTPMethod, _ path: String, headers: [(String, String)] = [], body: Body = .none,
        onBody: (@Sendable (Data) -> Void)? = nil
    ) throws -> Answer {
        let result = ResultBox()
        let done = DispatchSemaphore(value: 0)
        let server = self
        Task.detached {
            do {
                result.answer = try await server.exchange(method, path, headers: headers, body: body, onBody: onBody)
            } catch {
                result.error = error
            }
            done.signal()
        }
        done.wait()
        if let error = result.error { throw error }
        return result.answer!
    }

    final class ResultBox: @unchecked Sendable {
        var answer: Answer?
        var error: Error?
    }

    func sslContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let ca = ProcessInfo.processInfo.environment["REGCTL_SERVER_CA"], !ca.isEmpty {
            configuration.trustRoots = .file(ca)
        }
        return try NIOSSLContext(configuration: configuration)
    }

    /// The same, awaited (a load generator's many at once).
    public func request(
        _ method: HTTPMethod, _ path: String, headers: [(String, String)] = [], body: Body = .none
    ) async throws -> Answer {
        try await exchange(method, path, headers: headers, body: body, onBody: nil)
    }

    /// A connection to the server: TLS (NIOSSL) for https, then SwiftNIO's HTTP/1.1 client codec.
    func connect() async throws -> NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart> {
        let context = tls ? try sslContext() : nil
        let host = self.host
        let isAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
        return try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let context {
                        try channel.pipeline.syncOperations.addHandler(
                            // An IP address is no name to send (SNI): the certificate is checked against the address.
                            try NIOSSLClientHandler(context: context, serverHostname: isAddress ? nil : host))
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                        wrappingChannelSynchronously: channel)
                }
            }
    }

    func exchange(
        _ method: HTTPMethod, _ path: String, headers: [(String, String)], body: Body,
        onBody: (@Sendable (Data) -> Void)?
    ) async throws -> Answer {
        let channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
        do {
            channel = try await connect()
        } catch {
            throw RegctlError(
                "server.unavailable",
                "cannot reach the server at \(address) (\(error)); check the address (REGCTL_SERVER or --server) and that it runs",
                status: .unavailable)
        }
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: basePath + path)
        head.headers.add(name: "Host", value: url.port.map { "\(host):\($0)" } ?? host)
        head.headers.add(name: "User-Agent", value: "regctl/\(Version.regctl)")
        for (name, value) in headers { head.headers.add(name: name, value: value) }
        switch body {
        case .none: head.headers.add(name: "Content-Length", value: "0")
        case .bytes(let data): head.headers.add(name: "Content-Length", value: String(data.count))
        case .stream: head.headers.add(name: "Transfer-Encoding", value: "chunked")
        }
        head.headers.add(name: "Connection", value: "close")
        let request = head
        do {
            return try await talk(channel, request, body: body, onBody: onBody)
        } catch let e as RegctlError {
            throw e
        } catch let e as NIOSSLError {
            throw RegctlError(
                "server.unavailable",
                "the TLS connection to \(address) failed (\(e)): the server's certificate is not trusted here; set REGCTL_SERVER_CA to the commission's CA file",
                status: .unavailable)
        } catch {
            throw RegctlError(
                "server.unavailable",
                "the connection to \(address) failed (\(error)); try again, or ask the server's operator",
                status: .unavailable)
        }
    }

    func talk(
        _ channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>, _ request: HTTPRequestHead,
        body: Body, onBody: (@Sendable (Data) -> Void)?
    ) async throws -> Answer {
        try await channel.executeThenClose { inbound, outbound in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await outbound.write(.head(request))
                    switch body {
                    case .none: break
                    case .bytes(let data): try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: data))))
                    case .stream(let fd):
                        while true {
                            let chunk = try await NIOThreadPool.singleton.runIfActive { try RemoteServer.read(fd) }
                            if chunk.isEmpty { break }
                            try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: chunk))))
                        }
                    }
                    try await outbound.write(.end(nil))
                }
                var status = 0
                var answerHeaders: [(String, String)] = []
                var collected = Data()
                for try await part in inbound {
                    switch part {
                    case .head(let h):
                        status = Int(h.status.code)
                        answerHeaders = h.headers.map { ($0.name, $0.value) }
                    case .body(let buffer):
                        let data = Data(buffer.readableBytesView)
                        // A refusal's problem is read whole, whoever streams the rest.
                        if let onBody, status < 300 { onBody(data) } else { collected += data }
                    case .end:
                        group.cancelAll()
                        return Answer(status: status, headers: answerHeaders, body: collected)
                    }
                }
                throw RegctlError(
                    "server.unavailable", "the server at \(address) closed the connection before answering",
                    status: .unavailable)
            }
        }
    }

    /// Several requests, one after another, on one kept-alive connection (a load generator's client, as a
    /// browser or an integration keeps its connection): `body` gets a function that sends one request and
    /// returns its whole answer.
    public func withConnection<T: Sendable>(
        _ body: (_ send: (HTTPMethod, String, [(String, String)], Data) async throws -> Answer) async throws -> T
    ) async throws -> T {
        let host = self.host
        let channel = try await connect()
        let hostHeader = url.port.map { "\(host):\($0)" } ?? host
        let base = basePath
        return try await channel.executeThenClose { inbound, outbound in
            var parts = inbound.makeAsyncIterator()
            return try await body { method, path, headers, data in
                var head = HTTPRequestHead(version: .http1_1, method: method, uri: base + path)
                head.headers.add(name: "Host", value: hostHeader)
                for (name, value) in headers { head.headers.add(name: name, value: value) }
                head.headers.add(name: "Content-Length", value: String(data.count))
                try await outbound.write(.head(head))
                if !data.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: data)))) }
                try await outbound.write(.end(nil))
                var status = 0
                var answerHeaders: [(String, String)] = []
                var collected = Data()
                while let part = try await parts.next() {
                    switch part {
                    case .head(let h):
                        status = Int(h.status.code)
                        answerHeaders = h.headers.map { ($0.name, $0.value) }
                    case .body(let buffer): collected += Data(buffer.readableBytesView)
                    case .end: return Answer(status: status, headers: answerHeaders, body: collected)
                    }
                }
                throw RegctlError("server.unavailable", "the server closed the connection", status: .unavailable)
            }
        }
    }

    /// One read(2) of at most 64 KiB: what is there now (a line typed alone goes at once).
    static func read(_ fd: Int32) throws -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 {
                throw RegctlError(
                    "input.file", "cannot read the input (\(String(cString: strerror(errno))))", status: .usage)
            }
            return Array(chunk[0..<n])
        }
    }
}

extension RemoteServer.Answer {
    /// A refusal the server sent (RFC 9457), as the error the CLI prints and exits with locally; anything
    /// else that is no success, as the server's trouble.
    public func failure(from server: String) -> RegctlError? {
        guard status >= 300 else { return nil }
        if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
            let code = object["code"] as? String
        {
            let message = object["message"] as? String ?? object["detail"] as? String ?? ""
            let exit = (object["exit"] as? Int).flatMap { ExitStatus(rawValue: Int32($0)) } ?? .refused
            return RegctlError(
                code, message, rule: object["rule"] as? String, status: exit, field: object["field"] as? String,
                chinese: object["chinese"] as? String)
        }
        return RegctlError(
            "server.unavailable", "the server at \(server) answered \(status) without saying why; ask its operator",
            status: .unavailable)
    }
}
