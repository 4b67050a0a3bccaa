import CLibPQ

/// What became of one statement sent in a pipeline.
public enum PipelineOutcome {
    /// It ran; its rows (or affected count).
    case done(Rows)
    /// The server refused it.
    case failed(PostgresError)
    /// It was not run because an earlier statement in the pipeline failed.
    case aborted

    public var isDone: Bool { if case .done = self { return true } else { return false } }
    public var isAborted: Bool { if case .aborted = self { return true } else { return false } }
    public var error: PostgresError? { if case .failed(let e) = self { return e } else { return nil } }
}

extension Connection {
    /// Sends small statements without waiting for each answer (libpq pipeline
    /// mode, PostgreSQL 14+), and returns one outcome per statement, in order.
    ///
    /// The statements up to each sync point run as one implicit transaction (or
    /// inside the caller's transaction): once one fails, the rest are `aborted`
    /// and the work of the ones before it in the batch is rolled back with it.
    /// Statements are sent in groups of `groupSize` so the socket buffers never
    /// fill both ways; results must stay small (no large SELECTs).
    public func pipeline(_ statements: [SQL], groupSize: Int = 256) throws -> [PipelineOutcome] {
        guard PQenterPipelineMode(handle) == 1 else {
            throw PostgresError(kind: .usage, message: "cannot enter pipeline mode: \(String(cString: PQerrorMessage(handle)).trimmingTrailingNewlines)")
        }
        defer { _ = PQexitPipelineMode(handle) }
        var outcomes: [PipelineOutcome] = []
        outcomes.reserveCapacity(statements.count)
        var failed = false
        var start = 0
        while start < statements.count {
            let group = statements[start..<min(start + groupSize, statements.count)]
            start += group.count
            if failed {
                outcomes.append(contentsOf: repeatElement(.aborted, count: group.count))
                continue
            }
            var texts: [String] = []
            for sql in group {
                let text = try sql.render(escapeIdentifier: escapeIdentifier)
                texts.append(text)
                let types = sql.parameters.map { $0.type }
                let sent = withParameters(sql.parameters) { values, count in
                    PQsendQueryParams(handle, text, count, types.isEmpty ? nil : types, values, nil, nil, 1)
                }
                guard sent == 1 else {
                    throw PostgresError(kind: .connection, message: String(cString: PQerrorMessage(handle)).trimmingTrailingNewlines, query: text)
                }
            }
            guard PQpipelineSync(handle) == 1 else {
                throw PostgresError(kind: .connection, message: String(cString: PQerrorMessage(handle)).trimmingTrailingNewlines)
            }
            for text in texts {
                guard let r = PQgetResult(handle) else {
                    throw PostgresError(kind: .connection, message: "the pipeline ended early: \(String(cString: PQerrorMessage(handle)).trimmingTrailingNewlines)", query: text)
                }
                let result = ResultHandle(r)
                if PQresultStatus(r) == PGRES_PIPELINE_ABORTED {
                    outcomes.append(.aborted)
                } else {
                    do {
                        outcomes.append(.done(try check(result, query: text)))
                    } catch let e as PostgresError {
                        outcomes.append(.failed(e))
                        failed = true
                    }
                }
                // Each statement's results end with a null.
                while let extra = PQgetResult(handle) { PQclear(extra) }
            }
            // The sync point's own result.
            if let r = PQgetResult(handle) {
                let status = PQresultStatus(r)
                PQclear(r)
                guard status == PGRES_PIPELINE_SYNC else {
                    throw PostgresError(kind: .connection, message: "the pipeline lost its place (expected the sync result)")
                }
            }
        }
        return outcomes
    }
}
