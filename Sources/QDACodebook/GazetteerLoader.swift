import Foundation
import QDAText
import Yams

/// Reads a YAML gazetteer and validates it, reporting every problem with its line.
///
/// A name that stands for two different regions is an error: a segment naming it could
/// not be placed. Nothing is loaded when any problem is an error.
public struct GazetteerLoader: Sendable {
    /// Creates the value from its fields.
    public init() {}

    /// Loads and validates the gazetteer at `path`.
    public func load(path: String) throws -> Gazetteer {
        let (text, sha256) = try TextDecoding.readFile(path)
        return try parse(yaml: text, path: path, sha256: sha256)
    }

    /// Parses and validates gazetteer YAML given as text.
    public func parse(yaml: String, path: String, sha256: String? = nil) throws -> Gazetteer {
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw CodebookError.invalidGazetteer(
                path: path,
                problems: [
                    ValidationProblem(.error, line: YAMLSupport.line(of: error), YAMLSupport.problem(of: error))
                ])
        }
        var parser = GazetteerParser()
        let gazetteer = parser.gazetteer(node, sha256: sha256 ?? SHA256.hex(Array(yaml.utf8)))
        let errors = parser.problems.filter { $0.severity == .error }
        guard let gazetteer, errors.isEmpty else {
            throw CodebookError.invalidGazetteer(path: path, problems: errors)
        }
        return gazetteer
    }
}

private struct GazetteerParser: YAMLValidating {
    var problems: [ValidationProblem] = []
    /// Folded name → (region, line), to find names given to two regions.
    private var owners: [String: (region: String, line: Int?)] = [:]
    private var normalizer = TextNormalizer()

    mutating func names(_ node: Node?, field: String, context: String, region: String) -> [String] {
        let items = stringList(node, field, context: context)
        for (name, item) in items {
            let key = String(String.UnicodeScalarView(normalizer.fold(term: name)))
            guard !key.isEmpty else {
                error(item, "\(context): an empty name in '\(field)'.")
                continue
            }
            if let owner = owners[key], owner.region != region {
                error(
                    item,
                    "\(context): the name '\(name)' is also given to \(owner.region)"
                        + "\(owner.line.map { " on line \($0)" } ?? ""); a name must stand for one region.")
            } else if owners[key] == nil {
                owners[key] = (region, item.mark?.line)
            }
        }
        return items.map(\.0)
    }

    mutating func gazetteer(_ root: Node?, sha256: String) -> Gazetteer? {
        guard let root else {
            error(nil, "the file is empty; a gazetteer needs 'gazetteer' and 'regions'.")
            return nil
        }
        guard
            let fields = fields(
                root, allowed: ["gazetteer", "version", "regions", "groupings"], context: "the gazetteer")
        else { return nil }
        let name = string(fields["gazetteer"], "gazetteer", context: "the gazetteer", required: true, owner: root)
        let version = string(fields["version"], "version", context: "the gazetteer")
        var regions: [Gazetteer.Region] = []
        if case .sequence(let sequence)? = fields["regions"] {
            for item in sequence {
                if let region = region(item) { regions.append(region) }
            }
        } else {
            error(fields["regions"] ?? root, "the gazetteer: 'regions' must be a list of regions.")
        }
        let known = Set(regions.map(\.name))
        var groupings: [Gazetteer.Grouping] = []
        if case .sequence(let sequence)? = fields["groupings"] {
            for item in sequence {
                if let grouping = grouping(item, known: known) { groupings.append(grouping) }
            }
        } else if let node = fields["groupings"] {
            error(node, "the gazetteer: 'groupings' must be a list.")
        }
        guard let name else { return nil }
        return Gazetteer(name: name, version: version, regions: regions, groupings: groupings, sha256: sha256)
    }

    mutating func region(_ node: Node) -> Gazetteer.Region? {
        guard
            let fields = fields(
                node, allowed: ["name", "type", "names", "adjectives", "places"], context: "a region")
        else { return nil }
        guard let name = string(fields["name"], "name", context: "a region", required: true, owner: node) else {
            return nil
        }
        let context = "region '\(name)'"
        _ = names(
            .scalar(Node.Scalar(name, .implicit, .plain, node.mark)), field: "name", context: context, region: name)
        let type = string(fields["type"], "type", context: context)
        let allNames = names(fields["names"], field: "names", context: context, region: name)
        let adjectives = names(fields["adjectives"], field: "adjectives", context: context, region: name)
        var places: [Gazetteer.Place] = []
        if case .sequence(let sequence)? = fields["places"] {
            for item in sequence {
                guard
                    let placeFields = self.fields(
                        item, allowed: ["name", "type", "names"], context: "a place in \(context)"),
                    let placeName = string(
                        placeFields["name"], "name", context: "a place in \(context)", required: true, owner: item)
                else { continue }
                let placeContext = "place '\(placeName)' in \(context)"
                places.append(
                    Gazetteer.Place(
                        name: placeName, type: string(placeFields["type"], "type", context: placeContext),
                        names: names(placeFields["names"], field: "names", context: placeContext, region: name)))
            }
        } else if let places = fields["places"] {
            error(places, "\(context): 'places' must be a list.")
        }
        return Gazetteer.Region(name: name, type: type, names: allNames, adjectives: adjectives, places: places)
    }

    mutating func grouping(_ node: Node, known: Set<String>) -> Gazetteer.Grouping? {
        guard
            let fields = fields(node, allowed: ["name", "set", "names", "members"], context: "a grouping"),
            let name = string(fields["name"], "name", context: "a grouping", required: true, owner: node)
        else { return nil }
        let context = "grouping '\(name)'"
        let set = string(fields["set"], "set", context: context) ?? "grouping"
        let names = stringList(fields["names"], "names", context: context).map(\.0)
        var members: [String] = []
        for (member, item) in stringList(fields["members"], "members", context: context) {
            if known.contains(member) {
                members.append(member)
            } else {
                error(item, "\(context): the member '\(member)' is not a region of this gazetteer.")
            }
        }
        if members.isEmpty, fields["members"] == nil {
            error(node, "\(context) has no members.")
        }
        return Gazetteer.Grouping(name: name, set: set, names: names, members: members)
    }
}
