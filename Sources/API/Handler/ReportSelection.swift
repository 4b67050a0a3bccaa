import Registration
import Rendering

extension Report {
    /// Only the section named (`--section`), or all of them when none is.
    public func selecting(_ name: String?) throws -> Report {
        guard let name else { return self }
        guard let section = ([figuresSection] + sections).first(where: { $0.name == name }) else {
            throw RegctlError(
                "input.section",
                "this report has no section \(Quoted.value(name)); its sections are \(csvSections.map(\.name).joined(separator: ", "))",
                status: .usage, field: "section")
        }
        var one = self
        // The figures are the summary itself: chosen, no table follows it (CSV builds them from the summary,
        // in whatever language it is printed).
        one.sections = name == "figures" ? [] : [section]
        one.chosenSection = name
        return one
    }
}
