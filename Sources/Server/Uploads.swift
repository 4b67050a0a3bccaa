import API
import Foundation
import Hummingbird
import NIOCore
import Rendering
import Registration

/// Uploaded files: streamed to a private temporary file (0600, removed after), then imported as the
/// session's account by the same importer as `regctl import`; an errors report is kept in the database
/// for the account to download from any instance.
struct Uploads {
    let door: Door

    /// What an import over HTTP gives back.
    struct Result: @unchecked Sendable {
        let report: ImportReport
        let errorsURL: String?
        let errorsID: UUID?
    }

    /// Streams the request body to a temporary file, within the upload limit and the body timeout (per
    /// chunk); the file's path.
    func receive(_ request: Request) async throws -> String {
        try await Uploads.save(request.body, limit: door.options.uploadLimit, timeout: door.options.bodyTimeoutSeconds)
    }

    static func save(_ body: RequestBody, limit: Int, timeout: Int) async throws -> String {
        let path = NSTemporaryDirectory() + "regctl-upload-\(UUID().uuidString)"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            throw RegctlError(
                "internal.upload", "cannot keep the upload in \(NSTemporaryDirectory())", status: .internalError)
        }
        var done = false
        defer {
            close(fd)
            if !done { unlink(path) }
        }
        var reader = TimedBody(body, timeout: timeout)
        var size = 0
        while true {
            guard let chunk = try await reader.next() else { break }
            size += chunk.readableBytes
            guard size <= limit else {
                throw Problem(
                    RegctlError(
                        "http.too-large",
                        "the file is over the upload limit of \(limit >> 20) MiB; split it into several files",
                        status: .usage))
            }
            try Uploads.write(chunk, to: fd)
        }
        done = true
        return path
    }

    /// Writes a chunk of an upload whole to the file (a short write continued, EINTR retried).
    static func write(_ chunk: ByteBuffer, to fd: Int32) throws {
        try chunk.withUnsafeReadableBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else {
                    throw RegctlError("internal.upload", "cannot write the upload (disk full?)", status: .internalError)
                }
                offset += n
            }
        }
    }

    /// The import kind a route names, or 404 naming the kinds.
    static func kind(_ kind: String) throws -> ImportKind {
        guard let k = ImportKind(rawValue: kind) else {
            throw Problem(
                RegctlError(
                    "http.not-found",
                    "no import is called \(Quoted.value(kind)); kinds: \(ImportKind.allCases.map(\.rawValue).joined(separator: ", "))",
                    status: .usage))
        }
        return k
    }

    /// The import's options from the route's kind and query (`encoding`, `sheet`).
    static func options(kind: String, path: String, query: Parameters) throws -> ImportOptions {
        var options = ImportOptions(kind: try Uploads.kind(kind), path: path)
        if let e = query["encoding"] {
            guard let encoding = ImportEncoding(rawValue: String(e)) else {
                throw Problem(
                    RegctlError("input.encoding", "encoding is auto, utf-8 or gbk", status: .usage, field: "encoding"))
            }
            options.encoding = encoding
        }
        options.sheet = query["sheet"].map(String.init)
        return options
    }

    /// Runs the import on the pool's threads, and keeps its errors report when rows were rejected (a workbook
    /// when `errorsAsWorkbook`).
    func run(
        _ options: ImportOptions, account: String, fileName: String, language: Language = .zh,
        errorsAsWorkbook: Bool = false
    ) async throws -> Result {
        var options = options
        options.catalogue = Vocabulary.catalogue(language)
        let chosen = options
        return try await door.pool.withStore { store in
            let report = try Importer.run(store, as: account, today: Handler.today(), chosen)
            guard report.rejected > 0 else { return Result(report: report, errorsURL: nil, errorsID: nil) }
            let base = (fileName as NSString).deletingPathExtension
            let name =
                (base.isEmpty ? "upload" : base) + (language == .zh ? "-错误报告" : "-errors")
                + (errorsAsWorkbook ? ".xlsx" : ".csv")
            let path =
                NSTemporaryDirectory() + "regctl-errors-\(UUID().uuidString)" + (errorsAsWorkbook ? ".xlsx" : ".csv")
            defer { unlink(path) }
            try report.writeErrors(to: try ImportReport.openErrorsReport(at: path))
            let id = try store.storeFile(
                account: account, purpose: "errors-report", kind: chosen.kind.rawValue, name: name,
                content: try Data(contentsOf: URL(fileURLWithPath: path)))
            return Result(
                report: report, errorsURL: "/api/v1/imports/reports/\(id.uuidString.lowercased())", errorsID: id)
        }
    }
}
