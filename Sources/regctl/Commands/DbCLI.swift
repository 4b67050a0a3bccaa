import API
import ArgumentParser
import Foundation

struct DbCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "The database: the embedded cluster's life cycle and the schema.",
        subcommands: [
            Start.self, Stop.self, Status.self, URLCommand.self, Migrate.self, Reset.self, StandbyCommand.self,
            Promote.self
        ]
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
                let location = try options.embeddedLocation(
                    otherwise:
                        "regctl starts and stops only its embedded cluster; stop an external server with its own tools (pg_ctl, systemctl)"
                )
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

    struct StandbyCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "standby",
            abstract: "Hot standbys of the embedded cluster: make one, see how far behind they are, take one away.",
            subcommands: [StandbyCreate.self, StandbyStatus.self, StandbyDrop.self])
    }

    struct StandbyCreate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract:
                "Make a hot standby of the embedded cluster in another home (pg_basebackup over a replication role with its own password) and start it.",
            discussion: """
                The standby's home is then a regctl home like any other: REGCTL_HOME=DIR regctl db url|status|stop \
                address it, and REGCTL_READ_URL (or --read-database) set to its URL sends the commands that only \
                read there. With --synchronous-commit on, a commit returns only once the standby has it on disk, \
                so no command whose answer was printed is lost with the primary (and commits wait while no \
                synchronous standby is up).
                """)
        @OptionGroup var options: GlobalOptions
        @Option(help: ArgumentHelp("The standby's home: an empty or new directory.", valueName: "dir"))
        var home: String
        @Option(
            name: .customLong("synchronous-commit"),
            help: ArgumentHelp(
                "off (asynchronous: the standby may lag), on (a commit waits until the standby has it on disk) or remote_apply (until the standby has applied it).",
                valueName: "mode"))
        var synchronousCommit: String = "off"

        func validate() throws {
            guard DatabaseLocation.synchronousCommitModes.contains(synchronousCommit) else {
                throw ValidationError("--synchronous-commit must be off, on or remote_apply")
            }
        }

        func run() throws {
            try perform {
                let location = try options.embeddedLocation(
                    otherwise:
                        "regctl makes standbys of its embedded cluster only; for a server of your own, set up streaming replication with its tools (README: Standbys and failover)",
                    status: .usage)
                let absolute = URL(fileURLWithPath: home).standardizedFileURL.path
                let standby = try location.createStandby(home: absolute, synchronousCommit: synchronousCommit)
                emit(
                    """
                    standby running: \(standby.dataDirectory)
                    name: \(standby.name)
                    synchronous_commit: \(synchronousCommit)
                    read url: \(standby.url)

                    """)
            }
        }
    }

    struct StandbyStatus: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract:
                "On a primary, each standby streaming from it; on a standby, itself: state, whether commits wait for it, and its lag in bytes and seconds."
        )
        @OptionGroup var options: GlobalOptions

        func run() throws {
            try perform {
                try options.write(CommandOutput(.rows(try options.startedLocation().replicationStatus())))
            }
        }
    }

    struct StandbyDrop: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "drop",
            abstract:
                "Take a standby off the embedded cluster for good: stop it, drop its replication slot, and stop commits waiting for it.",
            discussion: """
                Run it from the primary's home. With --home the standby there is stopped first; --name (as regctl \
                db standby status shows it) drops one whose home is gone, and is refused while that standby still \
                streams. Its name leaves synchronous_standby_names (when it was the last, commits no longer wait \
                for a standby), and its slot is dropped, so the primary no longer keeps WAL for it. Its files are \
                left in its home.
                """)
        @OptionGroup var options: GlobalOptions
        @Option(help: ArgumentHelp("The standby's home.", valueName: "dir")) var home: String?
        @Option(help: ArgumentHelp("The standby's name on the primary (regctl db standby status).", valueName: "name"))
        var name: String?

        func validate() throws {
            guard (home == nil) != (name == nil) else {
                throw ValidationError("give one of --home DIR and --name NAME")
            }
        }

        func run() throws {
            try perform {
                let location = try options.embeddedLocation(
                    otherwise:
                        "regctl drops standbys of its embedded cluster only; on a server of your own, stop the standby, remove it from synchronous_standby_names and drop its slot (README: Standbys and failover)",
                    status: .usage)
                let dropped = try location.dropStandby(
                    home: home.map { URL(fileURLWithPath: $0).standardizedFileURL.path }, name: name)
                var notes: [Phrase] = []
                if dropped.wasSynchronous && dropped.synchronousLeft.isEmpty {
                    notes.append(
                        Phrase(
                            en: "it was the last synchronous standby: commits no longer wait for a standby",
                            zh: "它是最后一个同步备库：提交不再等待备库"))
                }
                if let home {
                    notes.append(Phrase(en: "its files are left in \(home)", zh: "备库的文件保留在 \(home)"))
                }
                let output = CommandOutput(
                    fields: [
                        ("standby", .text(dropped.name)), ("stopped", .bool(dropped.stopped)),
                        ("slot_dropped", .bool(dropped.slotDropped)),
                        ("synchronous_left", .list(dropped.synchronousLeft))
                    ], notes: notes)
                for note in output.notes { writeStandardError(note.text(options.language)) }
                try options.write(output)
            }
        }
    }

    struct Promote: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Make the standby (REGCTL_HOME=its home, or --database its URL) a primary that takes writes. Only when the old primary is gone: two primaries never rejoin."
        )
        @OptionGroup var options: GlobalOptions

        func run() throws {
            try perform {
                let location = try options.startedLocation()
                try location.promote()
                emit("promoted: \(location.redactedURL) takes writes\n")
            }
        }
    }
}

extension GlobalOptions {
    /// The embedded cluster's location; `db.external` saying `otherwise` when a URL names another server.
    func embeddedLocation(otherwise: String, status: ExitStatus = .refused) throws -> DatabaseLocation {
        let location = self.location
        guard location.isEmbedded else { throw RegctlError("db.external", otherwise, status: status) }
        return location
    }

    /// The database, the embedded cluster started first (migrating nothing: a standby cannot).
    func startedLocation() throws -> DatabaseLocation {
        let location = self.location
        if location.isEmbedded { try location.cluster.start() }
        return location
    }
}
