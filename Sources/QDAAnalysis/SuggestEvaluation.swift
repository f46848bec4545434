/// Learned suggestions measured by cross-validation against the people's codings, beside
/// the keyword auto-coder on the same held-out units (`qda suggest evaluate`).
public struct SuggestEvaluation: Sendable, Equatable, Encodable {
    enum CodingKeys: String, CodingKey {
        case folds, units, documents, codes, suggest, keyword, curve
        case byDocument = "by_document"
    }

    /// One code: its examples and both coders' scores on the held-out units.
    public struct Row: Sendable, Equatable, Encodable {
        enum CodingKeys: String, CodingKey {
            case code, examples, suggest, keyword
            case suggestWins = "suggest_wins"
        }

        /// The code.
        public var code: String
        /// Units people coded with it.
        public var examples: Int
        /// The suggestions' scores.
        public var suggest: CoderEvaluation.Scores
        /// The keyword auto-coder's scores.
        public var keyword: CoderEvaluation.Scores
        /// Whether the suggestions' F1 is higher than the keywords' (nil when neither has one).
        public var suggestWins: Bool?

        /// Creates the value from its fields.
        public init(
            code: String, examples: Int, suggest: CoderEvaluation.Scores, keyword: CoderEvaluation.Scores,
            suggestWins: Bool?
        ) {
            self.code = code
            self.examples = examples
            self.suggest = suggest
            self.keyword = keyword
            self.suggestWins = suggestWins
        }
    }

    /// A point of the learning curve.
    public struct Point: Sendable, Equatable, Encodable {
        /// The share of each fold's training documents used.
        public var fraction: Double
        /// The coded examples (unit–code pairs) trained on, averaged over the folds.
        public var examples: Int
        /// The micro-averaged F1 on the held-out units.
        public var f1: Double?

        /// Creates the value from its fields.
        public init(fraction: Double, examples: Int, f1: Double?) {
            self.fraction = fraction
            self.examples = examples
            self.f1 = f1
        }
    }

    /// Folds (by document).
    public var folds: Int
    /// Units (segments people could code) in the documents people coded.
    public var units: Int
    /// Those documents.
    public var documents: Int
    /// Whether folds hold out whole documents (else contiguous blocks of units, for
    /// projects with fewer documents than folds).
    public var byDocument: Bool
    /// Per code with at least one example, in codebook order.
    public var codes: [Row]
    /// The suggestions micro-averaged over the codes.
    public var suggest: CoderEvaluation.Scores
    /// The keyword auto-coder micro-averaged over the codes.
    public var keyword: CoderEvaluation.Scores
    /// F1 against the amount of training data.
    public var curve: [Point]

    /// Creates the value from its fields.
    public init(
        folds: Int, units: Int, documents: Int, byDocument: Bool = true, codes: [Row], suggest: CoderEvaluation.Scores,
        keyword: CoderEvaluation.Scores, curve: [Point]
    ) {
        self.folds = folds
        self.units = units
        self.documents = documents
        self.byDocument = byDocument
        self.codes = codes
        self.suggest = suggest
        self.keyword = keyword
        self.curve = curve
    }
}

extension CoderEvaluation.Scores {
    /// Scores from counts.
    public static func counts(key: String, truePositives: Int, falsePositives: Int, falseNegatives: Int) -> Self {
        Self(key: key, tp: truePositives, fp: falsePositives, fn: falseNegatives)
    }
}
