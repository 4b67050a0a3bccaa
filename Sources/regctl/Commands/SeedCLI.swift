import API
import ArgumentParser
import Registration
import RegistrySeed

struct SeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract:
            "Fill an empty registry with synthetic data (admin only): demo ≈ 20k people, province ≈ 500k, national ≈ 10M."
    )
    @OptionGroup var options: GlobalOptions
    @Option(help: "How much: demo, province (浙江) or national.") var scale: Choice<SeedScale>
    @Option(help: "The random seed: the same seed and as-of date give the same data (default 1).") var seed: Int?
    @Option(help: "The date the data is current on (default: today).") var asOf: Day?

    func run() throws { try dispatch(Seed.name, arguments, options) }
}
