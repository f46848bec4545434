import Foundation
import GRDB
import QDACodebook
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

/// What an edit did.
public struct CodebookEditSummary: Sendable, Equatable {
    /// Codings now under the new or target key.
    public var codingsMoved = 0
    /// Codings dropped because the target already had the same coding by the same coder.
    public var duplicatesDropped = 0
    /// Old key → new key, for every code the edit renamed (sub-codes included).
    public var renamed: [String: String] = [:]
    /// The edited codebook, as stored in the project (comments are not kept).
    public var yaml = ""
}

extension Project {
    /// Applies `edit` to the project's codebook and to everything keyed by code: codings,
    /// review decisions, grid cells and memos, in one transaction. The edited codebook is
    /// validated like a loaded one and becomes the project's (the next `qda code` re-codes
    /// with it); the edit is recorded, and loading a file that still has the old key later
    /// warns that it would undo the edit.
    @discardableResult
    public func editCodebook(_ edit: CodebookEdit) throws -> CodebookEditSummary {
        guard let stored = try latestStoredYAML(in: "codebook") else { throw QDAError.noCodebook }
        var root: Node
        do {
            guard let node = try Yams.compose(yaml: stored.yaml) else { throw QDAError.noCodebook }
            root = node
        } catch let error as QDAError {
            throw error
        } catch {
            throw QDAError.invalidArgument("The stored codebook cannot be read back: \(error)")
        }
        let keys = try codes().map(\.key)
        func require(_ key: String) throws {
            guard keys.contains(key) else {
                throw QDAError.invalidArgument("No code or group '\(key)' in the codebook.")
            }
        }
        var summary = CodebookEditSummary()
        var renames: [(from: String, to: String)] = []
        switch edit {
        case .rename(let old, let new):
            try require(old)
            let parent = old.split(separator: ".").dropLast().joined(separator: ".")
            let newKey = new.contains(".") ? new : (parent.isEmpty ? new : parent + "." + new)
            guard newKey.split(separator: ".").dropLast().joined(separator: ".") == parent else {
                throw QDAError.invalidArgument(
                    "A rename keeps the code under \(parent.isEmpty ? "the top level" : parent); "
                        + "use qda codebook move to change its group.")
            }
            guard !keys.contains(newKey) else { throw QDAError.invalidArgument("The code '\(newKey)' exists already.") }
            let rekey = { (node: Node) -> Node in
                var node = node
                node["key"] = Node(String(newKey.split(separator: ".").last!))
                return node
            }
            root = try old.contains(".") ? Self.editCode(root, key: old, rekey) : Self.editGroup(root, key: old, rekey)
            renames.append((old, newKey))
        case .move(let code, let group):
            try require(code)
            try require(group)
            let parts = code.split(separator: ".")
            guard parts.count >= 2, !group.contains(".") else {
                throw QDAError.invalidArgument("Move a code (group.code) into a group (a key without a dot).")
            }
            let newKey = group + "." + parts.dropFirst().joined(separator: ".")
            guard parts.count == 2 else {
                throw QDAError.invalidArgument("Move a code of a group, not a sub-code (\(code)); move its parent.")
            }
            guard !keys.contains(newKey) else { throw QDAError.invalidArgument("The code '\(newKey)' exists already.") }
            var moved: Node?
            root = try Self.editCode(root, key: code) { node in
                moved = node
                return nil
            }
            root = try Self.editGroup(root, key: group) { groupNode in
                var groupNode = groupNode
                var codes = groupNode["codes"]?.sequence ?? Node.Sequence()
                codes.append(moved!)
                groupNode["codes"] = .sequence(codes)
                return groupNode
            }
            renames.append((code, newKey))
        case .merge(let source, let target):
            try require(source)
            try require(target)
            guard source.contains("."), target.contains("."), source != target else {
                throw QDAError.invalidArgument("Merge one code into another (group.code keys, not groups).")
            }
            guard !target.hasPrefix(source + "."), !source.hasPrefix(target + ".") else {
                throw QDAError.invalidArgument("A code cannot be merged with its own sub-code.")
            }
            var removed: Node?
            root = try Self.editCode(root, key: source) { node in
                removed = node
                return nil
            }
            root = try Self.editCode(root, key: target) { node in
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
        // Typology conditions follow renamed and merged keys.
        let typologyMap: [String: String] = {
            if case .merge(let source, let target) = edit { return [source: target] }
            return Dictionary(uniqueKeysWithValues: renames.map { ($0.from, $0.to) })
        }()
        root = Self.renameTypologyKeys(root, typologyMap)
        let yaml: String
        do {
            yaml = try Yams.serialize(node: root)
        } catch {
            throw QDAError.invalidArgument("The edited codebook cannot be written: \(error)")
        }
        let sha = SHA256.hex(Data(yaml.utf8))
        let result = try CodebookLoader().parse(yaml: yaml, path: stored.path, sha256: sha)
        summary.yaml = yaml
        try write { db in
            let now = Self.now()
            switch edit {
            case .rename, .move:
                for (old, new) in renames {
                    for row in try Row.fetchAll(
                        db, sql: "SELECT id, key FROM code WHERE key = ? OR key LIKE ? ORDER BY depth",
                        arguments: [old, old + ".%"])
                    {
                        let key: String = row["key"]
                        let renamed = new + key.dropFirst(old.count)
                        summary.renamed[key] = renamed
                        try db.execute(
                            sql: "UPDATE code SET key = ?, group_key = ? WHERE id = ?",
                            arguments: [renamed, String(renamed.split(separator: ".")[0]), row["id"]])
                        try Self.rekey(from: key, to: renamed, db)
                    }
                    summary.codingsMoved +=
                        try Int.fetchOne(
                            db,
                            sql: """
                                SELECT COUNT(*) FROM coding WHERE code_id IN (SELECT id FROM code WHERE key = ? OR key LIKE ?)
                                """, arguments: [new, new + ".%"]) ?? 0
                    try db.execute(
                        sql: "INSERT INTO codebook_edit (kind, from_key, to_key, edited_at) VALUES (?, ?, ?, ?)",
                        arguments: [Self.kind(edit), old, new, now])
                }
            case .merge(let source, let target):
                let targetID = try Self.codeID(target, db)
                let sourceIDs = try Int64.fetchAll(
                    db, sql: "SELECT id FROM code WHERE key = ? OR key LIKE ?", arguments: [source, source + ".%"])
                let list = placeholders(sourceIDs.count)
                // A coding the target already has (same segment, coder, span) is a duplicate.
                try db.execute(
                    sql: """
                        DELETE FROM coding WHERE code_id IN (\(list)) AND EXISTS (
                            SELECT 1 FROM coding t WHERE t.code_id = ? AND t.segment_id = coding.segment_id
                              AND t.coder = coding.coder AND t.start_offset = coding.start_offset
                              AND t.end_offset = coding.end_offset)
                        """, arguments: StatementArguments(sourceIDs) + [targetID])
                summary.duplicatesDropped = db.changesCount
                try db.execute(
                    sql: "UPDATE coding SET code_id = ? WHERE code_id IN (\(list))",
                    arguments: [targetID] + StatementArguments(sourceIDs))
                summary.codingsMoved = db.changesCount
                try db.execute(
                    sql: "UPDATE OR IGNORE coding_review SET code_id = ? WHERE code_id IN (\(list))",
                    arguments: [targetID] + StatementArguments(sourceIDs))
                try db.execute(
                    sql: "DELETE FROM coding_review WHERE code_id IN (\(list))",
                    arguments: StatementArguments(sourceIDs))
                try db.execute(sql: "UPDATE memo SET code = ? WHERE code = ?", arguments: [target, source])
                try db.execute(
                    sql: "UPDATE OR IGNORE grid_cell SET code = ? WHERE code = ?", arguments: [target, source])
                try db.execute(sql: "DELETE FROM grid_cell WHERE code = ?", arguments: [source])
                try db.execute(
                    sql: "INSERT INTO codebook_edit (kind, from_key, to_key, edited_at) VALUES ('merge', ?, ?, ?)",
                    arguments: [source, target, now])
            }
            _ = try store(
                result.codebook, yaml: yaml, sourcePath: stored.path, warnings: result.warnings, db)
            try Self.markSegmentCodesStale(db)
        }
        return summary
    }

    private static func kind(_ edit: CodebookEdit) -> String {
        switch edit {
        case .rename: return "rename"
        case .move: return "move"
        case .merge: return "merge"
        }
    }

    /// Moves what is keyed by a code key (memos, grid cells) to its new key.
    private static func rekey(from old: String, to new: String, _ db: Database) throws {
        try db.execute(sql: "UPDATE memo SET code = ? WHERE code = ?", arguments: [new, old])
        try db.execute(sql: "UPDATE grid_cell SET code = ? WHERE code = ?", arguments: [new, old])
    }

    /// Warnings for a codebook about to be loaded that would undo earlier edits: it still
    /// has a key this project renamed, moved or merged away.
    func undoneEdits(_ codebook: Codebook, _ db: Database) throws -> [ValidationProblem] {
        let keys = Set(codebook.groups.map(\.key) + codebook.allCodes.map(\.key))
        return try Row.fetchAll(db, sql: "SELECT kind, from_key, to_key, edited_at FROM codebook_edit ORDER BY id")
            .compactMap { row in
                let from: String = row["from_key"]
                let to: String = row["to_key"]
                guard keys.contains(from), !keys.contains(to) || row["kind"] == "merge" else { return nil }
                return ValidationProblem(
                    .warning, line: nil,
                    "'\(from)' was \(row["kind"] as String == "merge" ? "merged into" : "renamed to") '\(to)' in this "
                        + "project on \(row["edited_at"] as String); this codebook still has '\(from)', so the edit is "
                        + "undone for the auto-coder (people's codings stay under '\(to)'). Write the edited codebook "
                        + "with qda codebook rename|move|merge --write FILE and keep that file.")
            }
    }

    /// The codebook with `transform` applied to the code node `key` (nil removes it).
    static func editCode(_ root: Node, key: String, _ transform: (Node) throws -> Node?) throws -> Node {
        let parts = key.split(separator: ".").map(String.init)
        guard parts.count >= 2 else { throw QDAError.invalidArgument("'\(key)' is a group, not a code.") }
        return try editGroup(root, key: parts[0]) { group in
            try editCodes(group, path: Array(parts.dropFirst()), transform)
        }
    }

    private static func editCodes(_ parent: Node, path: [String], _ transform: (Node) throws -> Node?) throws -> Node {
        var parent = parent
        guard var codes = parent["codes"]?.sequence,
            let index = codes.firstIndex(where: { $0["key"]?.string == path[0] })
        else { throw QDAError.invalidArgument("The stored codebook has no code '\(path[0])' where expected.") }
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

    static func editGroup(_ root: Node, key: String, _ transform: (Node) throws -> Node) throws -> Node {
        var root = root
        guard var groups = root["groups"]?.sequence,
            let index = groups.firstIndex(where: { $0["key"]?.string == key })
        else { throw QDAError.invalidArgument("The stored codebook has no group '\(key)'.") }
        groups[index] = try transform(groups[index])
        root["groups"] = .sequence(groups)
        return root
    }

    /// Typology rules with their `when` keys renamed.
    static func renameTypologyKeys(_ root: Node, _ renames: [String: String]) -> Node {
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
