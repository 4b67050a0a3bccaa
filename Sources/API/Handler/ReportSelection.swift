import Registration
import Rendering

extension Report {
    /// Only the section named (`--section`), or all of them when none is.
    public func selecting(_ name: String?) throws -> Report {
        guard let name else { return self }
        guard let section = sections.first(where: { $0.name == name }) else {
            throw RegctlError(
                "input.section",
                "this report has no section \(Quoted.value(name)); its sections are \(sections.map(\.name).joined(separator: ", "))",
                status: .usage, field: "section")
        }
        var one = self
        one.sections = [section]
        return one
    }
}
