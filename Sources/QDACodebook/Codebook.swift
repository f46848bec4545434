import Foundation

/// A codebook: groups of factor codes, each with the rules that find it in text.
///
/// Keys are dotted paths: the group `technology`, its code `technology.base`, a sub-code
/// `technology.base.universities`. The format is documented in `docs/codebook-format.md`.
public struct Codebook: Sendable, Equatable {
    /// The codebook's name, as its file gives it.
    public var name: String
    /// The codebook's version, if it gives one.
    public var version: String?
    /// What the codebook is for, in the researcher's words.
    public var description: String?
    /// Valence cues that apply to every code (in addition to each code's own).
    public var valence: ValenceCues
    /// Words that flip or set the valence of what follows them in a sentence.
    public var negations: [String]
    /// Whether a keyword also matches its regular English word forms (`word-forms: english`):
    /// `customer` matches `customers`, `supply` `supplies` and `supplied`, `compete`
    /// `competes`, `competed` and `competing` (docs/codebook-format.md#word-forms).
    public var englishWordForms = false
    /// The factor and outcome groups, in file order.
    public var groups: [CodeGroup]
    /// Rules that name a type (of innovation) from a region's ratings.
    public var typology: [TypologyRule]
    /// SHA-256 of the codebook file's bytes: the codebook version recorded with codings.
    public var sha256: String

    /// Creates the value from its fields.
    public init(
        name: String, version: String? = nil, description: String? = nil, valence: ValenceCues = ValenceCues(),
        negations: [String] = Codebook.defaultNegations, groups: [CodeGroup], typology: [TypologyRule] = [],
        sha256: String = ""
    ) {
        self.typology = typology
        self.name = name
        self.version = version
        self.description = description
        self.valence = valence
        self.negations = negations
        self.groups = groups
        self.sha256 = sha256
    }

    /// Negations used when a codebook does not list its own.
    public static let defaultNegations = [
        "not", "no", "never", "without", "lack of", "lacks", "lacking", "hardly", "barely", "cannot", "can't",
        "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "weren't", "won't", "没有", "缺乏", "缺少", "不",
        "无", "未",
    ]

    /// Every code in depth-first order, groups excluded.
    public var allCodes: [Code] {
        groups.flatMap { group in group.codes.flatMap { $0.flattened } }
    }
}

/// A top-level group: a factor group (technology, market, mindset) that regions are rated
/// on, or an outcome group (types of innovation) whose codes typology rules read.
public struct CodeGroup: Sendable, Equatable {
    /// Whether a group's codes explain (`factor`) or are explained (`outcome`).
    public enum Role: String, Sendable, CaseIterable {
        case factor
        case outcome
    }

    /// The group's key (no dot): `technology`, `market`, `mindset`.
    public var key: String
    /// The group's name as reports print it.
    public var label: String
    /// What the group covers, for coders.
    public var definition: String?
    /// Whether the group is a factor or an outcome.
    public var role: Role
    /// The group's codes, in file order.
    public var codes: [Code]
    /// Display colour (`#RRGGBB`), kept for exchange with other QDA tools.
    public var color: String?
    /// The REFI-QDA GUID the group had in the tool it came from, written back on export.
    public var guid: String?

    /// Creates the value from its fields.
    public init(
        key: String, label: String, definition: String? = nil, role: Role = .factor, codes: [Code],
        color: String? = nil, guid: String? = nil
    ) {
        self.color = color
        self.guid = guid
        self.key = key
        self.label = label
        self.definition = definition
        self.role = role
        self.codes = codes
    }
}

/// A rule of the typology: the type applies to a region when every condition holds.
public struct TypologyRule: Sendable, Equatable {
    /// The type's key (`science-driven`).
    public var key: String
    /// The type's name as reports print it.
    public var label: String
    /// What the type of innovation is, in the framework's words.
    public var description: String?
    /// The conditions that must all hold for a region to show the type.
    public var conditions: [Condition]
    /// The groups and codes that theory expects to explain the type, for QCA (`qca:` in
    /// the codebook): the conditions `qda report html` analyses the type with. Empty: the
    /// factor groups.
    public var qcaConditions: [String] = []

    /// A bound on a group's or code's rating: `technology >= ++`.
    public struct Condition: Sendable, Equatable, CustomStringConvertible {
        /// How a rating is compared with a condition's rating.
        public enum Comparison: String, Sendable, CaseIterable {
            case atLeast = ">="
            case above = ">"
            case atMost = "<="
            case below = "<"
            case equal = "="
        }

        /// A group or code key.
        public var key: String
        /// How the rating is compared.
        public var comparison: Comparison
        /// The rating the region's is compared with.
        public var rating: Rating

        /// Creates the value from its fields.
        public init(key: String, comparison: Comparison, rating: Rating) {
            self.key = key
            self.comparison = comparison
            self.rating = rating
        }

        /// Whether `actual` satisfies the condition (`++` is the highest rating).
        public func holds(for actual: Rating) -> Bool {
            let a = actual.rank
            let b = rating.rank
            switch comparison {
            case .atLeast: return a >= b
            case .above: return a > b
            case .atMost: return a <= b
            case .below: return a < b
            case .equal: return a == b
            }
        }

        /// The condition as written: `market >= +`.
        public var description: String { "\(key) \(comparison.rawValue) \(rating.rawValue)" }

        /// Parses a condition as a codebook writes it: ">= ++", "< o", or "+" for "= +".
        public init?(key: String, text: String) {
            var rest = Substring(text.trimmingCharacters(in: .whitespaces))
            var comparison = Comparison.equal
            for candidate in [">=", "<=", ">", "<", "="] where rest.hasPrefix(candidate) {
                comparison = Comparison(rawValue: candidate) ?? .equal
                rest = rest.dropFirst(candidate.count)
                break
            }
            guard let rating = Rating(rawValue: rest.trimmingCharacters(in: .whitespaces)) else { return nil }
            self.init(key: key, comparison: comparison, rating: rating)
        }
    }

    /// Creates the value from its fields.
    public init(
        key: String, label: String, description: String? = nil, conditions: [Condition], qcaConditions: [String] = []
    ) {
        self.key = key
        self.label = label
        self.description = description
        self.conditions = conditions
        self.qcaConditions = qcaConditions
    }
}

/// A code, with its documentation and the rules that find it.
public struct Code: Sendable, Equatable {
    /// The full dotted key (`technology.base`).
    public var key: String
    /// The code's name as reports print it.
    public var label: String
    /// What the code means, for coders.
    public var definition: String?
    /// When to apply the code.
    public var include: String?
    /// When not to apply it, although it looks right.
    public var exclude: String?
    /// Passages that the code fits.
    public var examples: [String]
    /// Keywords and phrases; a trailing `*` matches to the end of the word.
    public var keywords: [String]
    /// Terms that cancel a keyword match they overlap ("stock market" for "market").
    public var exclusions: [String]
    /// Proximity rules: both terms within `distance` words of each other.
    public var near: [NearRule]
    /// Words that make a coding of this code positive or negative, beside the codebook's.
    public var valence: ValenceCues
    /// Sub-codes (`market.demand.local`).
    public var children: [Code]
    /// Display colour (`#RRGGBB`), kept for exchange with other QDA tools.
    public var color: String?
    /// The REFI-QDA GUID the code had in the tool it came from, written back on export.
    public var guid: String?

    /// Creates the value from its fields.
    public init(
        key: String, label: String, definition: String? = nil, include: String? = nil, exclude: String? = nil,
        examples: [String] = [], keywords: [String] = [], exclusions: [String] = [], near: [NearRule] = [],
        valence: ValenceCues = ValenceCues(), children: [Code] = [], color: String? = nil, guid: String? = nil
    ) {
        self.color = color
        self.guid = guid
        self.exclusions = exclusions
        self.near = near
        self.key = key
        self.label = label
        self.definition = definition
        self.include = include
        self.exclude = exclude
        self.examples = examples
        self.keywords = keywords
        self.valence = valence
        self.children = children
    }

    /// The group this code belongs to: the first component of its key.
    public var groupKey: String { String(key.prefix(while: { $0 != "." })) }

    /// The key of the code above this one, or the group's key for a top-level code.
    public var parentKey: String {
        guard let dot = key.lastIndex(of: ".") else { return key }
        return String(key[..<dot])
    }

    /// This code followed by all its descendants, depth first.
    public var flattened: [Code] { [self] + children.flatMap(\.flattened) }
}

/// A proximity rule, written `university NEAR/5 cooperat*`: both terms (in either order)
/// with at most `distance` words between them, in one segment.
public struct NearRule: Sendable, Equatable, CustomStringConvertible {
    /// The first word or phrase.
    public var first: String
    /// The second word or phrase.
    public var second: String
    /// At most this many words between them.
    public var distance: Int

    /// Creates the value from its fields.
    public init(first: String, second: String, distance: Int) {
        self.first = first
        self.second = second
        self.distance = distance
    }

    /// Parses `A NEAR/n B`; nil when the text is not of that form.
    public init?(_ text: String) {
        let parts = text.components(separatedBy: " NEAR/")
        guard parts.count == 2 else { return nil }
        let rest = parts[1].split(separator: " ", maxSplits: 1)
        guard rest.count == 2, let distance = Int(rest[0]), distance >= 0 else { return nil }
        let first = parts[0].trimmingCharacters(in: .whitespaces)
        let second = rest[1].trimmingCharacters(in: .whitespaces)
        guard !first.isEmpty, !second.isEmpty else { return nil }
        self.init(first: first, second: second, distance: distance)
    }

    /// The rule as written: `export NEAR/5 market`.
    public var description: String { "\(first) NEAR/\(distance) \(second)" }
}

/// Words that mark a factor as strong (positive) or weak (negative) in a sentence.
public struct ValenceCues: Sendable, Equatable {
    /// Words that make a coding positive.
    public var positive: [String]
    /// Words that make a coding negative.
    public var negative: [String]

    /// Creates the value from its fields.
    public init(positive: [String] = [], negative: [String] = []) {
        self.positive = positive
        self.negative = negative
    }

    /// True when no cue is given.
    public var isEmpty: Bool { positive.isEmpty && negative.isEmpty }
}
