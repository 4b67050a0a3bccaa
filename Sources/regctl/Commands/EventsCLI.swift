import API
import ArgumentParser
import Registration

struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "The event log of accepted and refused commands (R-71).",
        subcommands: [List.self, Head.self, Verify.self])

    struct Head: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Seal what is committed and print the event chain's head (place, time, hash) to ship out of the database (R-71)."
        )
        @OptionGroup var options: GlobalOptions
        func run() throws { try dispatch(EventsHead.name, arguments, options) }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the event chain and name the first event missing or altered (R-71).")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Check from the first event on or after this date.") var since: Day?
        @Option(help: "A file of heads saved from regctl events head: the chain must still hold each.") var anchor:
            String?
        func run() throws { try dispatch(EventsVerify.name, arguments, options) }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List events (admin: all; others: their own).")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Only events touching this record (id, ID number or credit code).") var subject: String?
        @Option(help: "Only events by this staff account.") var actor: String?
        @Option(help: "Only events on or after this date.") var since: Day?
        @Option(help: "accepted, refused or failed.") var outcome: String?
        @Option(help: "At most this many events (default 1000).") var limit: Int?

        func run() throws { try dispatch(EventsList.name, arguments, options) }
    }
}
