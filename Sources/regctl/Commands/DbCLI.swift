import API
import ArgumentParser

struct DbCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "The database: the embedded cluster's life cycle and the schema.",
        subcommands: [Start.self, Stop.self, Status.self, URLCommand.self, Migrate.self, Reset.self]
    )

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start the embedded cluster (creating it on first use) and migrate it.")
        @OptionGroup var options: GlobalOptions

        func run() throws {
            try perform {
                let location = options.location
                _ = try location.open()
                emit(
                    location.isEmbedded
                        ? "running: \(location.cluster.dataDirectory)\n"
                        : "reachable: \(location.redactedURL)\n")
            }
        }
    }

    struct Stop: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the embedded cluster.")
        @OptionGroup var options: GlobalOptions

        func run() throws {
            try perform {
                let location = options.location
                guard location.isEmbedded else {
                    throw RegctlError(
                        "db.external",
                        "regctl starts and stops only its embedded cluster; stop an external server with its own tools (pg_ctl, systemctl)"
                    )
                }
                try location.cluster.stop()
                emit("stopped\n")
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show where the database is, whether it runs, and whether its schema is current. Starts nothing.")
        @OptionGroup var options: GlobalOptions

        func run() throws {
            try perform {
                let location = options.location
                var rows: [[Cell]] = []
                var reachable = true
                if location.isEmbedded {
                    let cluster = location.cluster
                    let state = cluster.status()
                    reachable = state == .running
                    rows += [
                        [.text("cluster"), .text("embedded")], [.text("home"), .text(cluster.home)],
                        [.text("data"), .text(cluster.dataDirectory)],
                        [.text("socket"), .text(cluster.socketDirectory)],
                        [.text("log"), .text(cluster.logFile)], [.text("state"), .text(state.rawValue)]
                    ]
                } else {
                    rows += [[.text("cluster"), .text("external")]]
                }
                rows.append([.text("url"), .text(location.redactedURL)])
                var failure: RegctlError?
                if reachable {
                    do {
                        let server = try location.serverStatus()
                        rows.append([.text("server"), .text(String(server.version))])
                        rows.append([
                            .text("schema"),
                            .text(
                                server.pending.isEmpty ? "current" : "behind: \(server.pending.joined(separator: ", "))"
                            )
                        ])
                    } catch let e as RegctlError where e.code == "auth.failed" {
                        rows.append([.text("state"), .text("authentication failed")])
                        failure = e
                    } catch let e as DatabaseLocation.Unreachable {
                        rows.append([.text("state"), .text("unreachable: \(e.message)")])
                        failure = RegctlError(
                            "db.unavailable",
                            "the database cannot be reached: check that the server runs and the URL is right",
                            status: .unavailable)
                    }
                } else {
                    failure = RegctlError(
                        "db.unavailable",
                        "the embedded cluster is not running; regctl db start starts it (any command starts it too)",
                        status: .unavailable)
                }
                try options.write(CommandOutput(.rows(ResultTable(columns: ["item", "value"], rows: rows))))
                // The table says where things stand; the exit status says whether the database can be used.
                if let failure { throw failure }
            }
        }
    }

    struct URLCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "url", abstract: "Print the connection URL (for psql and other clients). Starts nothing.")
        @OptionGroup var options: GlobalOptions

        func run() throws {
            try perform {
                let location = options.location
                emit(
                    (location.isEmbedded ? location.connectionString : location.redactedURL)
                        + "\n")
            }
        }
    }

    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply the migrations not yet applied, each in its own transaction.")
        @OptionGroup var options: GlobalOptions

        func run() throws {
            try perform {
                let applied = try options.location.migrate()
                emit(applied.isEmpty ? "schema current\n" : applied.map { "applied \($0)\n" }.joined())
            }
        }
    }

    struct Reset: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete every record and rebuild the schema. Needs --yes.")
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Confirm that every record is to be deleted.")
        var yes = false

        func validate() throws {
            guard yes else {
                throw ValidationError(
                    "db reset deletes every record in the database; run it again with --yes to confirm")
            }
        }

        func run() throws {
            try perform {
                _ = try options.location.reset()
                emit("reset: schema rebuilt, no records\n")
            }
        }
    }
}
