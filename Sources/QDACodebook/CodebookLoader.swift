import Foundation
import QDAText
import Synchronization
import Yams

/// Reads a YAML codebook and validates it, reporting every problem with its line.
///
/// Validation is all or nothing: `load` throws `CodebookError.invalidCodebook` with the full
/// list of problems when any of them is an error, so that nothing half-valid reaches a
/// project. Warnings (a keyword listed twice, a code with no rules) are returned with the
/// codebook.
public struct CodebookLoader: Sendable {
    /// Creates the value from its fields.
    public init() {}

    /// The result of a successful load: the codebook and any warnings.
    public struct Result: Sendable {
        /// The codebook loaded.
        public var codebook: Codebook
        /// Problems that did not stop the load, each with its line.
        public var warnings: [ValidationProblem]
    }

    /// Loads and validates the codebook at `path`.
    public func load(path: String) throws -> Result {
        let (text, sha256) = try TextDecoding.readFile(path)
        return try parse(yaml: text, path: path, sha256: sha256)
    }

    /// Parses and validates codebook YAML given as text.
    public func parse(yaml: String, path: String, sha256: String? = nil) throws -> Result {
        // One command reads the same codebook several times (validated, stored, coded with,
        // reported on); a parse of a large codebook costs tens of milliseconds.
        let key = CacheKey(yaml: yaml, path: path, sha256: sha256)
        if let cached = Self.cache.withLock({ $0[key] }) { return cached }
        let result = try parseUncached(yaml: yaml, path: path, sha256: sha256)
        Self.cache.withLock { cache in
            if cache.count >= 4 { cache.removeAll() }
            cache[key] = result
        }
        return result
    }

    private struct CacheKey: Hashable {
        var yaml: String
        var path: String
        var sha256: String?
    }

    private static let cache = Mutex<[CacheKey: Result]>([:])

    private func parseUncached(yaml: String, path: String, sha256: String?) throws -> Result {
        var parser = Parser()
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw CodebookError.invalidCodebook(
                path: path,
                problems: [ValidationProblem(.error, line: YAMLSupport.line(of: error), YAMLSupport.problem(of: error))]
            )
        }
        let codebook = parser.codebook(node, sha256: sha256 ?? SHA256.hex(Array(yaml.utf8)))
        if let codebook {
            parser.checkOverlaps(codebook)
            parser.checkConditionKeys()
        }
        // By line, keeping the order of discovery within a line.
        let problems = parser.problems.enumerated().sorted {
            ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset)
        }
        .map(\.element)
        guard let codebook, !problems.contains(where: { $0.severity == .error }) else {
            throw CodebookError.invalidCodebook(path: path, problems: problems)
        }
        return Result(codebook: codebook, warnings: problems)
    }
}

/// Walks the YAML node tree, building the codebook and collecting problems.
private struct Parser: YAMLValidating {
    var problems: [ValidationProblem] = []
    /// Where each keyword was first seen: keyword → (code key, line).
    private var keywordLines: [String: [(code: String, line: Int?)]] = [:]
    private var keyLines: [String: Int?] = [:]
    /// Keys named in typology conditions, checked once every key is known.
    var pendingConditionKeys: [(key: String, line: Int?, context: String)] = []

    mutating func checkConditionKeys() {
        for (key, line, context) in pendingConditionKeys where keyLines[key] == nil {
            problems.append(ValidationProblem(.error, line: line, "\(context): '\(key)' is not a group or code key."))
        }
    }

    static let keyCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789_-")

    mutating func codebook(_ root: Node?, sha256: String) -> Codebook? {
        guard let root else {
            error(nil, "the file is empty; a codebook needs at least 'codebook' and 'groups'.")
            return nil
        }
        guard
            let fields = fields(
                root,
                allowed: [
                    "codebook", "version", "description", "negations", "word-forms", "valence", "groups", "typology",
                ],
                context: "the codebook")
        else { return nil }
        let name = string(fields["codebook"], "codebook", context: "the codebook", required: true) ?? ""
        let version = string(fields["version"], "version", context: "the codebook")
        let description = string(fields["description"], "description", context: "the codebook")
        let valence = cues(fields["valence"], context: "the codebook")
        var negations = Codebook.defaultNegations
        if let node = fields["negations"] {
            negations = terms(node, "negations", context: "the codebook", allowWildcard: false)
        }
        var englishWordForms = false
        if let node = fields["word-forms"] {
            switch string(node, "word-forms", context: "the codebook") {
            case "english": englishWordForms = true
            case "none": englishWordForms = false
            default: error(node, "the codebook: 'word-forms' must be english or none.")
            }
        }
        var groups: [CodeGroup] = []
        if let node = fields["groups"] {
            if case .sequence(let sequence) = node {
                if sequence.isEmpty { error(node, "the codebook: 'groups' is empty.") }
                for item in sequence {
                    if let group = group(item) { groups.append(group) }
                }
            } else {
                error(node, "the codebook: 'groups' must be a list of groups, found \(YAMLSupport.kindName(node)).")
            }
        } else {
            error(nil, "the codebook: the field 'groups' is required.")
        }
        var typology: [TypologyRule] = []
        if case .sequence(let sequence)? = fields["typology"] {
            for item in sequence {
                if let rule = typologyRule(item) { typology.append(rule) }
            }
        } else if let node = fields["typology"] {
            error(node, "the codebook: 'typology' must be a list of rules, found \(YAMLSupport.kindName(node)).")
        }
        var codebook = Codebook(
            name: name, version: version, description: description, valence: valence, negations: negations,
            groups: groups, typology: typology, sha256: sha256)
        codebook.englishWordForms = englishWordForms
        return codebook
    }

    /// A typology rule: key, label, description, and `when: {KEY: ">= ++", ...}`.
    mutating func typologyRule(_ node: Node) -> TypologyRule? {
        guard
            let fields = fields(
                node, allowed: ["key", "label", "description", "when", "qca"], context: "a typology rule")
        else { return nil }
        let rawKey = string(fields["key"], "key", context: "a typology rule", required: true, owner: node)
        let context = "typology rule '\(rawKey ?? "?")'"
        let key = validKey(fields["key"], rawKey, context: context)
        let label = string(fields["label"], "label", context: context, required: true, owner: node)
        var conditions: [TypologyRule.Condition] = []
        if case .mapping(let mapping)? = fields["when"] {
            for (keyNode, valueNode) in mapping {
                guard let target = keyNode.scalar?.string, let text = valueNode.scalar?.string else {
                    error(keyNode, "\(context): each condition is 'KEY: \">= +\"'.")
                    continue
                }
                pendingConditionKeys.append((target, keyNode.mark?.line, context))
                guard let condition = TypologyRule.Condition(key: target, text: text) else {
                    error(
                        valueNode,
                        "\(context): '\(text)' is not a condition; write a comparison (>=, >, <=, <, =) and a rating "
                            + "(++, +, o, -, --), e.g. \">= +\".")
                    continue
                }
                conditions.append(condition)
            }
        } else {
            error(fields["when"] ?? node, "\(context): 'when' must map group or code keys to conditions.")
        }
        // The conditions QCA analyses the type with: group or code keys.
        var qca: [String] = []
        for (target, node) in stringList(fields["qca"], "qca", context: context) {
            pendingConditionKeys.append((target, node.mark?.line, context + " (qca)"))
            if !qca.contains(target) { qca.append(target) }
        }
        guard let key, let label else { return nil }
        return TypologyRule(
            key: key, label: label, description: string(fields["description"], "description", context: context),
            conditions: conditions, qcaConditions: qca)
    }

    /// A display colour: `#RRGGBB` or `#RGB` (written upper case).
    mutating func color(_ node: Node?, context: String) -> String? {
        guard let text = string(node, "color", context: context) else { return nil }
        guard let normalized = REFIColor.normalize(text) else {
            error(node, "\(context): color '\(text)' is not #RRGGBB or #RGB.")
            return nil
        }
        return normalized
    }

    /// A REFI-QDA GUID (8-4-4-4-12 hexadecimal digits), kept as written without braces.
    mutating func guid(_ node: Node?, context: String) -> String? {
        guard let text = string(node, "guid", context: context) else { return nil }
        guard let normalized = REFIGUID.normalize(text) else {
            error(node, "\(context): guid '\(text)' is not a GUID (8-4-4-4-12 hexadecimal digits).")
            return nil
        }
        return normalized
    }

    mutating func validKey(_ node: Node?, _ key: String?, context: String) -> String? {
        guard let key else { return nil }
        guard key.allSatisfy({ Self.keyCharacters.contains($0) }), key.first != "-" else {
            error(
                node,
                "\(context): the key '\(key)' may use only lower-case letters, digits, '_' and '-' "
                    + "(dots are added from the nesting).")
            return nil
        }
        return key
    }

    mutating func register(_ fullKey: String, _ node: Node?, context: String) {
        if let previous = keyLines[fullKey] {
            error(node, "\(context): the key '\(fullKey)' is already used\(previous.map { " on line \($0)" } ?? "").")
        } else {
            keyLines[fullKey] = node?.mark?.line
        }
    }

    mutating func group(_ node: Node) -> CodeGroup? {
        guard
            let fields = fields(
                node, allowed: ["key", "label", "definition", "role", "codes", "color", "guid"], context: "a group")
        else { return nil }
        let rawKey = string(fields["key"], "key", context: "a group", required: true, owner: node)
        let context = "group '\(rawKey ?? "?")'"
        let key = validKey(fields["key"], rawKey, context: context)
        let label = string(fields["label"], "label", context: context, required: true, owner: node)
        let definition = string(fields["definition"], "definition", context: context)
        var role = CodeGroup.Role.factor
        if let text = string(fields["role"], "role", context: context) {
            if let parsed = CodeGroup.Role(rawValue: text) {
                role = parsed
            } else {
                error(fields["role"], "\(context): role '\(text)' is not one of factor, outcome.")
            }
        }
        if let key { register(key, fields["key"], context: context) }
        var codes: [Code] = []
        if case .sequence(let sequence)? = fields["codes"] {
            for item in sequence {
                if let code = code(item, parent: rawKey ?? "?") { codes.append(code) }
            }
        } else if let node = fields["codes"] {
            error(node, "\(context): 'codes' must be a list, found \(YAMLSupport.kindName(node)).")
        }
        if codes.isEmpty, fields["codes"] == nil {
            error(node, "\(context) has no codes.")
        }
        guard let key, let label else { return nil }
        return CodeGroup(
            key: key, label: label, definition: definition, role: role, codes: codes,
            color: color(fields["color"], context: context), guid: guid(fields["guid"], context: context))
    }

    mutating func code(_ node: Node, parent: String) -> Code? {
        let allowed = [
            "key", "label", "definition", "include", "exclude", "examples", "keywords", "exclusions", "near", "valence",
            "codes", "color", "guid",
        ]
        let errorsBefore = problems.count { $0.severity == .error }
        guard let fields = fields(node, allowed: allowed, context: "a code under '\(parent)'") else { return nil }
        let rawKey = string(fields["key"], "key", context: "a code under '\(parent)'", required: true, owner: node)
        let fullKey = "\(parent).\(rawKey ?? "?")"
        let context = "code '\(fullKey)'"
        let key = validKey(fields["key"], rawKey, context: context)
        if key != nil { register(fullKey, fields["key"], context: context) }
        let label = string(fields["label"], "label", context: context, required: true, owner: node)
        let keywords = fields["keywords"].map { terms($0, "keywords", context: context, allowWildcard: true) } ?? []
        for keyword in keywords {
            keywordLines[keyword.lowercased(), default: []].append((fullKey, fields["keywords"]?.mark?.line))
        }
        var children: [Code] = []
        if case .sequence(let sequence)? = fields["codes"] {
            for item in sequence {
                if let child = code(item, parent: fullKey) { children.append(child) }
            }
        } else if let node = fields["codes"] {
            error(node, "\(context): 'codes' must be a list, found \(YAMLSupport.kindName(node)).")
        }
        // A code with errors of its own gets no warning on top: fix those first.
        if keywords.isEmpty && fields["near"] == nil && children.isEmpty
            && problems.count(where: { $0.severity == .error }) == errorsBefore
        {
            warning(node, "\(context) has no keywords and no sub-codes: the auto-coder will never assign it.")
        }
        let code = Code(
            key: fullKey, label: label ?? "",
            definition: string(fields["definition"], "definition", context: context),
            include: string(fields["include"], "include", context: context),
            exclude: string(fields["exclude"], "exclude", context: context),
            examples: stringList(fields["examples"], "examples", context: context).map(\.0),
            keywords: keywords,
            exclusions: fields["exclusions"].map { terms($0, "exclusions", context: context, allowWildcard: true) }
                ?? [],
            near: nearRules(fields["near"], context: context),
            valence: cues(fields["valence"], context: context), children: children,
            color: color(fields["color"], context: context), guid: guid(fields["guid"], context: context))
        return key == nil || label == nil ? nil : code
    }

    /// `A NEAR/n B` rules; both sides follow the keyword rules.
    mutating func nearRules(_ node: Node?, context: String) -> [NearRule] {
        var rules: [NearRule] = []
        for (text, item) in stringList(node, "near", context: context) {
            guard let rule = NearRule(text), rule.distance <= 50 else {
                error(
                    item, "\(context): near rule '\(text)' is not of the form 'term NEAR/n term' with n from 0 to 50.")
                continue
            }
            let sides = terms(
                .sequence(
                    Node.Sequence([
                        .scalar(Node.Scalar(rule.first, .implicit, .plain, item.mark)),
                        .scalar(Node.Scalar(rule.second, .implicit, .plain, item.mark)),
                    ])), "near", context: context, allowWildcard: true)
            if sides.count == 2 {
                rules.append(rule)
            } else if sides.count < 2 && rule.first.lowercased() == rule.second.lowercased() {
                error(item, "\(context): near rule '\(text)' names the same term twice.")
            }
        }
        return rules
    }

    mutating func cues(_ node: Node?, context: String) -> ValenceCues {
        guard let node else { return ValenceCues() }
        guard let fields = fields(node, allowed: ["positive", "negative"], context: "\(context): valence") else {
            return ValenceCues()
        }
        return ValenceCues(
            positive: fields["positive"].map { terms($0, "positive", context: context, allowWildcard: true) } ?? [],
            negative: fields["negative"].map { terms($0, "negative", context: context, allowWildcard: true) } ?? [])
    }

    /// Validates a list of match terms (keywords, cues, negations).
    mutating func terms(_ node: Node, _ field: String, context: String, allowWildcard: Bool) -> [String] {
        var result: [String] = []
        var seen: Set<String> = []
        for (raw, item) in stringList(node, field, context: context) {
            let term = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            let entryContext = "\(context): \(field) entry '\(raw)'"
            guard !term.isEmpty else {
                error(item, "\(context): \(field) has an empty entry.")
                continue
            }
            guard
                term.unicodeScalars.contains(where: { $0.properties.isAlphabetic || $0.properties.numericType != nil })
            else {
                error(item, "\(entryContext) has no letters or digits.")
                continue
            }
            if let star = term.firstIndex(of: "*") {
                if !allowWildcard {
                    error(item, "\(entryContext): '*' is not allowed in \(field).")
                    continue
                }
                guard star == term.index(before: term.endIndex) else {
                    error(item, "\(entryContext): '*' may only end a keyword (a stem such as 'innovat*').")
                    continue
                }
                let stem = term.dropLast()
                if stem.last == " " {
                    error(item, "\(entryContext): '*' must follow a word, not a space.")
                    continue
                }
                if stem.unicodeScalars.contains(where: { ScriptClass.isCJK($0) }) {
                    warning(
                        item, "\(entryContext): '*' has no effect on Chinese terms, which match anywhere in a word.")
                } else if stem.count < 3 {
                    warning(item, "\(entryContext): a stem of \(stem.count) letters matches very many words.")
                }
            }
            if !seen.insert(term.lowercased()).inserted {
                warning(item, "\(entryContext) is listed twice.")
                continue
            }
            result.append(term)
        }
        return result
    }

    /// Keywords shared between two codes code both: often intended, worth a warning.
    mutating func checkOverlaps(_ codebook: Codebook) {
        for (keyword, places) in keywordLines.sorted(by: { $0.key < $1.key }) where places.count > 1 {
            let codes = places.map(\.code)
            if Set(codes).count > 1 {
                problems.append(
                    ValidationProblem(
                        .warning, line: places.last?.line,
                        "the keyword '\(keyword)' is listed under \(codes.joined(separator: " and ")); it codes each of them."
                    ))
            }
        }
    }
}

/// Levenshtein distance, for "did you mean" hints on misspelt field names.
package func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}
