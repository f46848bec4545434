import Yams

/// A change to the codebook that keeps existing codings right.
public enum CodebookEdit: Sendable, Equatable {
    /// A code's (or group's) last key part: `market.demand` → `market.needs`.
    case rename(String, to: String)
    /// A code to another group: `market.demand` into `technology` → `technology.demand`.
    case move(String, toGroup: String)
    /// Every coding of one code to another; the first code (with its keywords joined to
    /// the second's) leaves the codebook.
    case merge(String, into: String)
}

extension CodebookEdit {
    /// The edit's name in the project's record of edits.
    public var kind: String {
        switch self {
        case .rename: return "rename"
        case .move: return "move"
        case .merge: return "merge"
        }
    }
}

/// An edit applied to a codebook's YAML: the code's node renamed, moved or merged (its
/// keywords joined to the target's), and the typology's conditions following the keys.
/// Comments are not kept.
public enum CodebookYAMLEdit {
    /// Applies `edit` to `yaml`, a codebook whose codes and groups are `keys`; returns the
    /// edited YAML and every key renamed (old → new; a merge renames none).
    ///
    /// - Throws: `CodebookError` naming the key or the problem.
    public static func apply(_ edit: CodebookEdit, to yaml: String, keys: [String]) throws -> (
        yaml: String, renames: [(from: String, to: String)]
    ) {
        var root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else { throw CodebookError.editFailed("it is empty") }
            root = node
        } catch let error as CodebookError {
            throw error
        } catch {
            throw CodebookError.editFailed("it cannot be read back: \(error)")
        }
        func require(_ key: String) throws {
            guard keys.contains(key) else { throw CodebookError.noSuchCode(key) }
        }
        var renames: [(from: String, to: String)] = []
        switch edit {
        case .rename(let old, let new):
            try require(old)
            let newKey = try renamedKey(old, to: new, keys: keys)
            root = try rename(root, old, to: newKey)
            renames.append((old, newKey))
        case .move(let code, let group):
            try require(code)
            try require(group)
            let newKey = try movedKey(code, to: group, keys: keys)
            root = try move(root, code, to: group)
            renames.append((code, newKey))
        case .merge(let source, let target):
            try require(source)
            try require(target)
            root = try merge(root, source, into: target)
        }
        // Typology conditions follow renamed and merged keys.
        let typologyMap: [String: String] = {
            if case .merge(let source, let target) = edit { return [source: target] }
            return Dictionary(uniqueKeysWithValues: renames.map { ($0.from, $0.to) })
        }()
        root = renameTypologyKeys(root, typologyMap)
        do {
            return (try Yams.serialize(node: root), renames)
        } catch {
            throw CodebookError.editFailed("the edited codebook cannot be written: \(error)")
        }
    }

    /// The key `old` gets renamed to `new` (a last key part, or a whole key in the same group).
    private static func renamedKey(_ old: String, to new: String, keys: [String]) throws -> String {
        let parent = old.split(separator: ".").dropLast().joined(separator: ".")
        let newKey = new.contains(".") ? new : (parent.isEmpty ? new : parent + "." + new)
        guard newKey.split(separator: ".").dropLast().joined(separator: ".") == parent else {
            throw CodebookError.renameLeavesGroup(code: old, group: parent)
        }
        guard !keys.contains(newKey) else { throw CodebookError.codeExists(newKey) }
        return newKey
    }

    /// The code's or group's node `old` with the last part of `newKey` as its key.
    private static func rename(_ root: Node, _ old: String, to newKey: String) throws -> Node {
        let rekey = { (node: Node) -> Node in
            var node = node
            node["key"] = Node(String(newKey.split(separator: ".").last ?? ""))
            return node
        }
        return try old.contains(".") ? editCode(root, key: old, rekey) : editGroup(root, key: old, rekey)
    }

    /// The key a code of a group gets in `group`.
    private static func movedKey(_ code: String, to group: String, keys: [String]) throws -> String {
        let parts = code.split(separator: ".")
        guard parts.count >= 2, !group.contains(".") else {
            throw CodebookError.invalidEdit("Move a code (group.code) into a group (a key without a dot).")
        }
        guard parts.count == 2 else {
            throw CodebookError.invalidEdit("Move a code of a group, not a sub-code (\(code)); move its parent.")
        }
        let newKey = group + "." + parts.dropFirst().joined(separator: ".")
        guard !keys.contains(newKey) else { throw CodebookError.codeExists(newKey) }
        return newKey
    }

    /// The codebook with the code's node taken out of its group and added to `group`'s codes.
    private static func move(_ root: Node, _ code: String, to group: String) throws -> Node {
        var moved: Node?
        let without = try editCode(root, key: code) { node in
            moved = node
            return nil
        }
        guard let moved else { throw CodebookError.editFailed("it has no code '\(code)' where expected") }
        return try editGroup(without, key: group) { groupNode in
            var groupNode = groupNode
            var codes = groupNode["codes"]?.sequence ?? Node.Sequence()
            codes.append(moved)
            groupNode["codes"] = .sequence(codes)
            return groupNode
        }
    }

    /// The codebook without `source`, whose keywords, exclusions, proximity rules and
    /// examples join `target`'s.
    private static func merge(_ root: Node, _ source: String, into target: String) throws -> Node {
        guard source.contains("."), target.contains("."), source != target else {
            throw CodebookError.invalidEdit("Merge one code into another (group.code keys, not groups).")
        }
        guard !target.hasPrefix(source + "."), !source.hasPrefix(target + ".") else {
            throw CodebookError.invalidEdit("A code cannot be merged with its own sub-code.")
        }
        var removed: Node?
        let without = try editCode(root, key: source) { node in
            removed = node
            return nil
        }
        return try editCode(without, key: target) { node in
            var node = node
            for field in ["keywords", "exclusions", "near", "examples"] {
                let extra = removed?[field]?.sequence.map(Array.init) ?? []
                guard !extra.isEmpty else { continue }
                var list = node[field]?.sequence ?? Node.Sequence()
                for item in extra where !list.contains(item) { list.append(item) }
                node[field] = .sequence(list)
            }
            return node
        }
    }

    /// The codebook with `transform` applied to the code node `key` (nil removes it).
    private static func editCode(_ root: Node, key: String, _ transform: (Node) throws -> Node?) throws -> Node {
        let parts = key.split(separator: ".").map(String.init)
        guard parts.count >= 2 else { throw CodebookError.invalidEdit("'\(key)' is a group, not a code.") }
        return try editGroup(root, key: parts[0]) { group in
            try editCodes(group, path: Array(parts.dropFirst()), transform)
        }
    }

    private static func editCodes(_ parent: Node, path: [String], _ transform: (Node) throws -> Node?) throws -> Node {
        var parent = parent
        guard var codes = parent["codes"]?.sequence,
            let index = codes.firstIndex(where: { $0["key"]?.string == path[0] })
        else { throw CodebookError.editFailed("it has no code '\(path[0])' where expected") }
        if path.count == 1 {
            if let replaced = try transform(codes[index]) {
                codes[index] = replaced
            } else {
                codes.remove(at: index)
            }
        } else {
            codes[index] = try editCodes(codes[index], path: Array(path.dropFirst()), transform)
        }
        parent["codes"] = .sequence(codes)
        return parent
    }

    private static func editGroup(_ root: Node, key: String, _ transform: (Node) throws -> Node) throws -> Node {
        var root = root
        guard var groups = root["groups"]?.sequence,
            let index = groups.firstIndex(where: { $0["key"]?.string == key })
        else { throw CodebookError.editFailed("it has no group '\(key)'") }
        groups[index] = try transform(groups[index])
        root["groups"] = .sequence(groups)
        return root
    }

    /// Typology rules with their `when` keys renamed.
    private static func renameTypologyKeys(_ root: Node, _ renames: [String: String]) -> Node {
        guard !renames.isEmpty, var rules = root["typology"]?.sequence else { return root }
        func renamed(_ name: String) -> String {
            renames[name]
                ?? renames.first { name.hasPrefix($0.key + ".") }.map { $0.value + name.dropFirst($0.key.count) }
                ?? name
        }
        for i in rules.indices {
            if let qca = rules[i]["qca"]?.sequence {
                rules[i]["qca"] = .sequence(Node.Sequence(qca.map { Node(renamed($0.string ?? "")) }))
            }
            guard let when = rules[i]["when"]?.mapping else { continue }
            var mapping = Node.Mapping([])
            for (key, value) in when { mapping[Node(renamed(key.string ?? ""))] = value }
            rules[i]["when"] = .mapping(mapping)
        }
        var root = root
        root["typology"] = .sequence(rules)
        return root
    }
}
