import API
import ArgumentParser

struct SeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract:
            "Fill an empty registry with synthetic data (admin only): demo ≈ 20k people, province ≈ 500k, national ≈ 10M."
    )
    @OptionGroup var options: GlobalOptions
    @Option(help: "demo, province (浙江) or national.") var scale: String
    @Option(help: "The random seed: the same seed and as-of date give the same data (default 1).") var seed: Int?
    @Option(help: "The date the data is current on (default: today).") var asOf: String?

    func run() throws {
        var a = Arguments()
        a.set("scale", scale)
        a.set("seed", seed)
        a.set("as_of", asOf)
        try dispatch(Seed.name, a, options)
    }
}
