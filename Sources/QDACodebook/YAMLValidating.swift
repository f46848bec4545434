import Foundation
package import Yams

/// Reading YAML nodes while collecting every problem with its line, for the codebook and
/// gazetteer loaders: unknown fields (with a "did you mean"), wrong kinds, missing values.
package protocol YAMLValidating {
    var problems: [ValidationProblem] { get set }
}

extension YAMLValidating {
    package mutating func error(_ node: Node?, _ message: String) {
        problems.append(ValidationProblem(.error, line: node?.mark?.line, message))
    }

    package mutating func warning(_ node: Node?, _ message: String) {
        problems.append(ValidationProblem(.warning, line: node?.mark?.line, message))
    }

    /// The mapping's fields by name, with unknown fields reported.
    package mutating func fields(_ node: Node, allowed: [String], context: String) -> [String: Node]? {
        guard case .mapping(let mapping) = node else {
            error(node, "\(context) must be a mapping of fields, found \(YAMLSupport.kindName(node)).")
            return nil
        }
        var result: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard let name = keyNode.scalar?.string else {
                error(keyNode, "\(context): field names must be plain text.")
                continue
            }
            if allowed.contains(name) {
                result[name] = value
            } else {
                let hint =
                    allowed.min { editDistance($0, name) < editDistance($1, name) }
                    .flatMap { editDistance($0, name) <= 2 ? " Did you mean '\($0)'?" : nil } ?? ""
                error(
                    keyNode,
                    "\(context): unknown field '\(name)'.\(hint) Known fields: \(allowed.joined(separator: ", ")).")
            }
        }
        return result
    }

    /// A text field; a missing required field is reported on the line of `owner`.
    package mutating func string(
        _ node: Node?, _ field: String, context: String, required: Bool = false, owner: Node? = nil
    ) -> String? {
        guard let node else {
            if required { error(owner, "\(context): the field '\(field)' is required.") }
            return nil
        }
        guard let value = node.scalar?.string else {
            error(node, "\(context): '\(field)' must be text, found \(YAMLSupport.kindName(node)).")
            return nil
        }
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            if required { error(node, "\(context): '\(field)' must not be empty.") }
            return nil
        }
        return trimmed
    }

    package mutating func stringList(_ node: Node?, _ field: String, context: String) -> [(String, Node)] {
        guard let node else { return [] }
        if case .scalar = node, let value = node.scalar?.string {
            return value.isEmpty ? [] : [(value, node)]
        }
        guard case .sequence(let sequence) = node else {
            error(node, "\(context): '\(field)' must be a list, found \(YAMLSupport.kindName(node)).")
            return []
        }
        var items: [(String, Node)] = []
        for item in sequence {
            guard let value = item.scalar?.string else {
                error(item, "\(context): every entry of '\(field)' must be text, found \(YAMLSupport.kindName(item)).")
                continue
            }
            items.append((value, item))
        }
        return items
    }
}
