import API
import Foundation

/// The OpenAPI 3.1 document of the JSON API, served at `/openapi.json`. Built from the command registry and
/// the import kinds, so that a command added to the API is in the document without anyone remembering it.
enum OpenAPIDocument {
    static let json: String = {
        let data = try! JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }()

    static func problems(_ statuses: [Int]) -> [String: Any] {
        var out: [String: Any] = [:]
        for status in statuses {
            out[String(status)] = [
                "description": HTTPStatusText.phrase(status),
                "content": ["application/problem+json": ["schema": ["$ref": "#/components/schemas/Problem"]]]
            ]
        }
        return out
    }

    static func merged(_ a: [String: Any], _ b: [String: Any]) -> [String: Any] {
        a.merging(b) { x, _ in x }
    }

    static let bearer: [[String: [String]]] = [["bearer": []]]

    static func queryString(_ name: String, _ description: String, _ required: Bool) -> [String: Any] {
        let patterns = ["region": "^[0-9]{6}$", "certificate": "^[0-9]{15}$", "uscc": "^[0-9A-Za-z]{18}$"]
        var schema: [String: Any] = ["type": "string"]
        if let pattern = patterns[name] { schema["pattern"] = pattern }
        if name == "name" {
            schema["minLength"] = 1
            schema["maxLength"] = 100
        }
        return ["name": name, "in": "query", "required": required, "description": description, "schema": schema]
    }

    static var publicPaths: [String: Any] {
        var paths: [String: Any] = [:]
        let kinds: [(String, String, [[String: Any]])] = [
            (
                "physicians", "Registered physicians by exact name (with region) or practice certificate number.",
                [
                    queryString("name", "The name, exactly (with region to narrow)", false),
                    queryString("region", "A region code (6 digits)", false),
                    queryString("certificate", "A practice certificate number (15 digits)", false)
                ]
            ),
            (
                "nurses", "Registered nurses by exact name (with region).",
                [
                    queryString("name", "The name, exactly", true),
                    queryString("region", "A region code (6 digits)", false)
                ]
            ),
            (
                "institutions", "Institutions by the start of their name (with region) or credit code.",
                [
                    queryString("name", "The start of the name", false),
                    queryString("region", "A region code (6 digits)", false),
                    queryString("uscc", "A unified social credit code (18 characters)", false)
                ]
            )
        ]
        for (path, summary, parameters) in kinds {
            paths["/api/v1/public/\(path)"] = [
                "get": [
                    "summary": summary, "operationId": "public_\(path)", "tags": ["public"],
                    "parameters": parameters + [queryString("section", "Only this section of the answer", false)],
                    "responses": merged(
                        [
                            "200": [
                                "description": "The public record (never an ID number or a birth date)",
                                "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Answer"]]]
                            ]
                        ], problems([400, 404, 429, 503]))
                ]
            ]
        }
        return paths
    }

    static var document: [String: Any] {
        let commands = CommandRegistry.all.map { $0.name }.filter { ExecStream.refusedOverNetwork($0) == nil }.sorted()
        let reports = CommandRegistry.all.map { $0.name }.filter { $0.hasPrefix("report.") }.map {
            String($0.dropFirst(7))
        }
        .sorted()
        var paths: [String: Any] = publicPaths
        paths["/api/v1/sessions"] = [
            "post": [
                "summary": "Log in as a staff account; the token is sent as Authorization: Bearer TOKEN.",
                "operationId": "login", "tags": ["sessions"],
                "requestBody": [
                    "required": true,
                    "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Login"]]]
                ],
                "responses": merged(
                    [
                        "201": [
                            "description": "A session",
                            "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Session"]]]
                        ]
                    ], problems([400, 401, 413, 429, 503]))
            ],
            "delete": [
                "summary":
                    "Log out (ends the token's session; with the session cookie instead, the page's token in X-CSRF-Token).",
                "operationId": "logout", "tags": ["sessions"],
                "security": bearer, "responses": merged(["204": ["description": "Logged out"]], problems([403, 503]))
            ]
        ]
        paths["/api/v1/commands/{name}"] = [
            "post": [
                "summary": "Run one command (exec's names) with its arguments as a JSON object; exec's answer.",
                "operationId": "command", "tags": ["commands"], "security": bearer,
                "parameters": [
                    [
                        "name": "name", "in": "path", "required": true,
                        "schema": ["type": "string", "enum": commands]
                    ]
                ],
                "requestBody": [
                    "required": false,
                    "content": ["application/json": ["schema": ["type": "object", "additionalProperties": true]]]
                ],
                "responses": merged(
                    [
                        "200": [
                            "description": "Done",
                            "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Answer"]]]
                        ],
                        "201": [
                            "description": "Created",
                            "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Answer"]]]
                        ]
                    ], problems([400, 401, 403, 404, 409, 413, 422, 500, 503]))
            ]
        ]
        paths["/api/v1/exec"] = [
            "post": [
                "summary": "JSON Lines of commands in; one answer line out per line, as each completes.",
                "operationId": "exec", "tags": ["commands"], "security": bearer,
                "requestBody": [
                    "required": true,
                    "description": "JSON Lines: one {\"command\", \"args\"} object a line (sent as text)",
                    "content": ["text/plain": ["schema": ["type": "string"]]]
                ],
                "responses": merged(
                    [
                        "200": [
                            "description": "Answers, one JSON object per line",
                            "content": ["application/x-ndjson": ["schema": ["type": "string"]]]
                        ]
                    ],
                    problems([401, 503]))
            ]
        ]
        paths["/api/v1/imports/{kind}"] = [
            "post": [
                "summary": "Import a CSV or XLSX file (the body, streamed) as the session's account.",
                "operationId": "import", "tags": ["imports"], "security": bearer,
                "parameters": [
                    [
                        "name": "kind", "in": "path", "required": true,
                        "schema": ["type": "string", "enum": ImportKind.allCases.map(\.rawValue)]
                    ],
                    [
                        "name": "mode", "in": "query", "required": false,
                        "schema": ["type": "string", "enum": ["commit", "dry-run", "all-or-nothing"]]
                    ],
                    queryString("encoding", "auto, utf-8 or gbk (CSV)", false),
                    queryString("sheet", "The workbook's sheet", false),
                    queryString("file", "The file's name, for the summary and the errors report", false)
                ],
                "requestBody": [
                    "required": true,
                    "content": [
                        "text/csv": ["schema": ["type": "string"]],
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": [
                            "schema": ["type": "string", "format": "binary"]
                        ],
                        "application/octet-stream": ["schema": ["type": "string", "format": "binary"]]
                    ]
                ],
                "responses": merged(
                    [
                        "200": [
                            "description": "The summary, and the errors report's address when rows were rejected",
                            "content": ["application/json": ["schema": ["$ref": "#/components/schemas/ImportAnswer"]]]
                        ]
                    ], problems([400, 401, 403, 404, 408, 413, 422, 500, 503]))
            ]
        ]
        paths["/api/v1/imports/reports/{id}"] = [
            "get": [
                "summary": "An import's errors report (the importing account's only).", "operationId": "errors_report",
                "tags": ["imports"], "security": bearer,
                "parameters": [["name": "id", "in": "path", "required": true, "schema": ["type": "string"]]],
                "responses": merged(
                    [
                        "200": [
                            "description": "The rejected rows, to correct and send again",
                            "content": [
                                "text/csv": ["schema": ["type": "string"]],
                                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": [
                                    "schema": ["type": "string", "format": "binary"]
                                ]
                            ]
                        ]
                    ], problems([401, 404, 503]))
            ]
        ]
        paths["/api/v1/reports/{name}"] = [
            "get": [
                "summary": "A report as the session's account, in JSON, CSV, XLSX or HTML.", "operationId": "report",
                "tags": ["reports"], "security": bearer,
                "parameters": [
                    ["name": "name", "in": "path", "required": true, "schema": ["type": "string", "enum": reports]],
                    queryString("region", "A region code (6 digits)", false),
                    [
                        "name": "format", "in": "query", "required": false,
                        "schema": ["type": "string", "enum": ["json", "csv", "xlsx", "html"]]
                    ]
                ],
                "responses": merged(
                    [
                        "200": [
                            "description": "The report",
                            "content": [
                                "application/json": ["schema": ["$ref": "#/components/schemas/Answer"]],
                                "text/csv": ["schema": ["type": "string"]], "text/html": ["schema": ["type": "string"]],
                                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": [
                                    "schema": ["type": "string", "format": "binary"]
                                ]
                            ]
                        ]
                    ], problems([400, 401, 403, 404, 422, 500, 503]))
            ]
        ]
        paths["/healthz"] = [
            "get": [
                "summary": "The process is up.", "operationId": "healthz", "tags": ["operations"],
                "responses": ["200": ["description": "ok", "content": ["text/plain": ["schema": ["type": "string"]]]]]
            ]
        ]
        paths["/readyz"] = [
            "get": [
                "summary": "The database answers and its schema is current.", "operationId": "readyz",
                "tags": ["operations"],
                "responses": merged(
                    ["200": ["description": "ready", "content": ["text/plain": ["schema": ["type": "string"]]]]],
                    problems([503]))
            ]
        ]
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "regctl", "version": Version.regctl,
                "description":
                    "The registry of physicians, nurses and institutions (区域注册, 多点执业). Errors are RFC 9457 problems carrying the CLI's codes."
            ],
            "paths": paths,
            "components": [
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]],
                "schemas": [
                    "Problem": [
                        "type": "object", "required": ["type", "title", "status", "detail", "code"],
                        "properties": [
                            "type": ["type": "string"], "title": ["type": "string"], "status": ["type": "integer"],
                            "detail": ["type": "string"], "code": ["type": "string"], "message": ["type": "string"],
                            "rule": ["type": "string"], "field": ["type": "string"], "exit": ["type": "integer"],
                            "chinese": ["type": "string"]
                        ]
                    ],
                    "Answer": [
                        "type": "object", "required": ["ok", "result"],
                        "properties": [
                            "ok": ["type": "boolean", "const": true], "result": [:],
                            "notes": ["type": "array", "items": ["type": "string"]]
                        ]
                    ],
                    "ImportAnswer": [
                        "type": "object", "required": ["ok", "result", "errors_report"],
                        "properties": [
                            "ok": ["type": "boolean"], "result": ["type": "object"],
                            "errors_report": ["type": ["string", "null"]],
                            "notes": ["type": "array", "items": ["type": "string"]]
                        ]
                    ],
                    "Login": [
                        "type": "object", "required": ["id", "password"],
                        "properties": ["id": ["type": "string"], "password": ["type": "string"]]
                    ],
                    "Session": [
                        "type": "object", "required": ["token", "account"],
                        "properties": ["token": ["type": "string"], "account": ["type": "string"]]
                    ]
                ]
            ]
        ]
    }
}

enum HTTPStatusText {
    static func phrase(_ status: Int) -> String {
        [
            400: "Bad request", 401: "No session", 403: "Not permitted", 404: "Not found", 408: "Request timeout",
            409: "In conflict with a record", 413: "Too large", 422: "Refused by a rule", 429: "Too many requests",
            500: "A bug", 503: "Database unavailable"
        ][status] ?? "Problem"
    }
}
