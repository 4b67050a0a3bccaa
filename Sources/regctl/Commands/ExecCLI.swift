import API
import ArgumentParser
import Registration
import Foundation
import Remote
#if canImport(Glibc)
    import Glibc
#endif

struct ExecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run JSON Lines of commands (stdin or FILE); one JSON result line per input line.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "A file of JSON Lines (default: standard input).") var file: String?

    func run() throws {
        try perform {
            let input: FileHandle
            if let file {
                guard let h = FileHandle(forReadingAtPath: file) else {
                    throw RegctlError("input.file", "cannot read \(file)", status: .usage)
                }
                input = h
            } else {
                input = FileHandle.standardInput
            }
            // On a server: the lines stream up as they are read and the answers down as they arrive.
            if let server = options.remoteServer {
                try options.remote(server).exec(input: input.fileDescriptor) { answer in
                    FileHandle.standardOutput.write(answer)
                }
                return
            }
            let stream = ExecStream(
                handler: try options.handler(reading: true), defaultActor: options.actingAs, language: options.language)
            var splitter = LineSplitter()
            // Each answer is written (one write(2), unbuffered) as soon as its line has run, so that a
            // committed line's answer is out before the next line starts and a client that sends one
            // line and waits gets its answer.
            func handle(_ piece: LineSplitter.Piece) {
                let answer: String?
                switch piece {
                case .oversized(let bytes): answer = ExecStream.oversized(bytes: bytes)
                case .line(let bytes):
                    if let line = String(validating: bytes, as: UTF8.self) {
                        answer = stream.run(line: line)
                    } else {
                        answer = ExecStream.failure(
                            RegctlError(
                                "input.encoding", "the line is not valid UTF-8; exec reads JSON in UTF-8",
                                status: .usage))
                    }
                }
                if let answer { FileHandle.standardOutput.write(Data((answer + "\n").utf8)) }
            }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                // What is there now (one read(2) of at most 64 KiB), not a fixed length: a line typed
                // alone is answered at once, and a large file streams.
                let n = chunk.withUnsafeMutableBytes { read(input.fileDescriptor, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n < 0 {
                    throw RegctlError(
                        "input.file", "cannot read the input (\(String(cString: strerror(errno))))", status: .usage)
                }
                if n == 0 { break }
                splitter.feed(Array(chunk[0..<n]), handle)
                stream.seal()  // the events of this chunk's lines, into the chain
            }
            splitter.finish(handle)
            stream.seal()
        }
    }
}
