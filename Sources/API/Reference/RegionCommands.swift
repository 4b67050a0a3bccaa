import Registration

/// `region list`: GB/T 2260 regions, the children of one region or one level (R-03). Reference data:
/// every kind of account reads it.
public struct RegionList: Command {
    public static let name = "region.list"
    let parent: RegionCode?
    let level: String?

    public init(_ a: Arguments) throws {
        parent = try a.optionalRegion("parent")
        level = try a.optionalString("level")
        if let level, !Regions.levels.contains(level) {
            throw Arguments.usage(
                "input.level", "level", "\(Quoted.value(level)) is not a level; use province, prefecture or county")
        }
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let regions = try c.store.regions(parent: parent?.value, level: level)
        return CommandOutput(
            table: ResultTable(
                columns: ["code", "name", "level", "parent"],
                rows: regions.map { [.text($0.code), .text($0.name), .text($0.level), Cell($0.parent)] }))
    }
}
