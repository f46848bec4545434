/// What one agreement unit is (docs/agreement.md#units).
public enum AgreementUnit: String, Sendable, CaseIterable, Codable {
    /// A segment: a coder applied the code somewhere in it, or not.
    case segment
    /// A document: a coder applied the code somewhere in it, or not.
    case document
    /// A character: weighted runs of characters with the same codings.
    case character
}

/// Intercoder agreement per code and overall, between pairs of coders, and the
/// auto-coder's precision and recall against each person.
public struct AgreementReport: Sendable, Equatable, Encodable {
    /// The coefficients of one code (or of all codes pooled).
    public struct Coefficients: Sendable, Equatable, Encodable {
        /// The code, or nil for all codes pooled.
        public var code: String?
        /// Units coded by two coders or more (weighted: characters for `character`).
        public var units: Double
        /// The share of units on which every coder agrees.
        public var percentAgreement: Coefficient
        /// Cohen's κ (two coders).
        public var cohenKappa: Coefficient
        /// Fleiss' κ.
        public var fleissKappa: Coefficient
        /// Krippendorff's α (nominal).
        public var krippendorffAlpha: Coefficient
        /// Gwet's AC1.
        public var gwetAC1: Coefficient

        /// Why a coefficient is null, by field name.
        public var undefined: [String: String] {
            var reasons: [String: String] = [:]
            for (name, value) in [
                ("percent_agreement", percentAgreement), ("cohen_kappa", cohenKappa), ("fleiss_kappa", fleissKappa),
                ("krippendorff_alpha", krippendorffAlpha), ("gwet_ac1", gwetAC1),
            ] {
                if let reason = value.reason { reasons[name] = reason }
            }
            return reasons
        }

        init(code: String?, _ data: ReliabilityData) {
            self.code = code
            units = data.units.filter { $0.values.compactMap { $0 }.count >= 2 }.reduce(0) { $0 + $1.weight }
            percentAgreement = Reliability.percentAgreement(data)
            cohenKappa = Reliability.cohenKappa(data)
            fleissKappa = Reliability.fleissKappa(data)
            krippendorffAlpha = Reliability.krippendorffAlpha(data)
            gwetAC1 = Reliability.gwetAC1(data)
        }

        enum CodingKeys: String, CodingKey {
            case code, units, undefined
            case percentAgreement = "percent_agreement"
            case cohenKappa = "cohen_kappa"
            case fleissKappa = "fleiss_kappa"
            case krippendorffAlpha = "krippendorff_alpha"
            case gwetAC1 = "gwet_ac1"
        }

        /// Encodes the fields as the JSON output contract has them (docs/formats.md).
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(code, forKey: .code)
            if units == units.rounded() {
                try container.encode(Int(units), forKey: .units)
            } else {
                try container.encode(units, forKey: .units)
            }
            try container.encode(percentAgreement, forKey: .percentAgreement)
            try container.encode(cohenKappa, forKey: .cohenKappa)
            try container.encode(fleissKappa, forKey: .fleissKappa)
            try container.encode(krippendorffAlpha, forKey: .krippendorffAlpha)
            try container.encode(gwetAC1, forKey: .gwetAC1)
            if !undefined.isEmpty { try container.encode(undefined, forKey: .undefined) }
        }
    }

    /// Two coders over all codes pooled.
    public struct Pair: Sendable, Equatable, Encodable {
        /// The two coders.
        public var coders: [String]
        /// Units both coded (weighted).
        public var units: Double
        /// Units (per code) on which the two differ.
        public var disagreements: Double
        /// The share of units they agree on.
        public var percentAgreement: Coefficient
        /// Cohen's κ.
        public var cohenKappa: Coefficient

        enum CodingKeys: String, CodingKey {
            case coders, units, disagreements
            case percentAgreement = "percent_agreement"
            case cohenKappa = "cohen_kappa"
        }
    }

    /// The auto-coder against one person, per code.
    public struct AutoCheck: Sendable, Equatable, Encodable {
        /// The auto-coder against a person on one code.
        public struct Row: Sendable, Equatable, Encodable {
            /// The code.
            public var code: String
            /// Units both coded, the auto-coder only, the person only.
            public var truePositives: Double
            /// Units the auto-coder coded and the person did not.
            public var falsePositives: Double
            /// Units the person coded and the auto-coder did not.
            public var falseNegatives: Double
            /// Of the auto-coder's units, the share the person coded too.
            public var precision: Coefficient
            /// Of the person's units, the share the auto-coder found.
            public var recall: Coefficient
            /// The harmonic mean of precision and recall.
            public var f1: Coefficient
            /// Segments the auto-coder coded and the person did not (segment units only).
            public var falsePositiveExamples: [Int64]
            /// Up to three segments the auto-coder missed.
            public var falseNegativeExamples: [Int64]

            enum CodingKeys: String, CodingKey {
                case code, precision, recall, f1
                case truePositives = "true_positives"
                case falsePositives = "false_positives"
                case falseNegatives = "false_negatives"
                case falsePositiveExamples = "false_positive_examples"
                case falseNegativeExamples = "false_negative_examples"
            }
        }
        /// The person the auto-coder is checked against.
        public var against: String
        /// One row per code.
        public var codes: [Row]
    }

    /// A unit where coders differ on a code.
    public struct Disagreement: Sendable, Equatable, Encodable {
        /// The code.
        public var code: String
        /// The document's name.
        public var document: String
        /// The segment (segment units), or nil.
        public var segment: Int64?
        /// Where the unit starts, in code points into the document.
        public var start: Int
        /// Where it ends (exclusive).
        public var end: Int
        /// Coders who applied the code here, and those who coded the document but not this.
        public var coded: [String]
        /// Coders who coded the document but not this unit with the code.
        public var notCoded: [String]
        /// The unit's text.
        public var text: String

        enum CodingKeys: String, CodingKey {
            case code, document, segment, start, end, coded, text
            case notCoded = "not_coded"
        }
    }

    /// What one unit is.
    public var unit: AgreementUnit
    /// The coders compared.
    public var coders: [String]
    /// Documents coded by two of the coders or more: the ones compared.
    public var documents: Int
    /// The coefficients of each code.
    public var codes: [Coefficients]
    /// The coefficients of all codes pooled.
    public var overall: Coefficients
    /// Coder pairs, those who disagree most first.
    public var pairs: [Pair]
    /// The auto-coder against each person (when `auto` is among the coders).
    public var auto: [AutoCheck]
    /// Only filled by `disagreements: true`.
    public var disagreements: [Disagreement]

    enum CodingKeys: String, CodingKey {
        case unit, coders, documents, codes, overall, pairs, auto, disagreements
    }

    /// Encodes the fields as the JSON output contract has them (docs/formats.md).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(unit, forKey: .unit)
        try container.encode(coders, forKey: .coders)
        try container.encode(documents, forKey: .documents)
        try container.encode(codes, forKey: .codes)
        try container.encode(overall, forKey: .overall)
        try container.encode(pairs, forKey: .pairs)
        if !auto.isEmpty { try container.encode(auto, forKey: .auto) }
        if !disagreements.isEmpty { try container.encode(disagreements, forKey: .disagreements) }
    }

    /// One unit of one document, with the coders' values for every code.
    public struct UnitRecord: Sendable {
        /// The document's id.
        public var document: Int64
        /// The segment's id (segment and character units).
        public var segment: Int64?
        /// Where the unit starts, in code points into the document.
        public var start: Int
        /// Where it ends (exclusive).
        public var end: Int
        /// The unit's weight (characters for character units, else 1).
        public var weight: Double
        /// [code index][coder index] → 0/1, or nil when the coder did not code the document.
        public var values: [[Int?]]

        /// Creates the value from its fields.
        public init(document: Int64, segment: Int64?, start: Int, end: Int, weight: Double, values: [[Int?]]) {
            self.document = document
            self.segment = segment
            self.start = start
            self.end = end
            self.weight = weight
            self.values = values
        }
    }

    /// Compares `coders` on the codes `keys` over the units `records` (made by the store
    /// from the `documents` that two coders or more coded). The coder named `autoCoder`
    /// is checked against each person; with `listDisagreements`, every unit where the
    /// coders differ is listed, its document named by `documentNames` and its text left
    /// empty for the caller to fill.
    public init(
        coders: [String], codes keys: [String], records: [UnitRecord], documents documentCount: Int,
        unit: AgreementUnit, autoCoder: String, disagreements listDisagreements: Bool = false,
        documentNames names: [Int64: String] = [:]
    ) {
        self.unit = unit
        self.coders = coders
        documents = documentCount
        func data(_ code: Int?, _ filter: (UnitRecord) -> Bool = { _ in true }) -> ReliabilityData {
            var units: [ReliabilityData.Unit] = []
            for record in records where filter(record) {
                for c in code.map({ [$0] }) ?? Array(keys.indices) {
                    units.append(.init(weight: record.weight, values: record.values[c]))
                }
            }
            return ReliabilityData(coders: coders, units: units)
        }
        self.codes = keys.indices.map { Coefficients(code: keys[$0], data($0)) }
        overall = Coefficients(code: nil, data(nil))
        pairs = Self.pairs(coders: coders, codes: keys.count, records: records)
        auto =
            coders.firstIndex(of: autoCoder).map {
                Self.autoChecks(auto: $0, coders: coders, codes: keys, records: records)
            }
            ?? []
        disagreements =
            listDisagreements ? Self.disagreements(coders: coders, codes: keys, records: records, names: names) : []
    }

    /// Percent agreement and Cohen's κ for every pair of coders, those who disagree most first.
    static func pairs(coders: [String], codes: Int, records: [UnitRecord]) -> [Pair] {
        var pairs: [Pair] = []
        for i in coders.indices {
            for j in coders.indices where j > i {
                var units: [ReliabilityData.Unit] = []
                var differing = 0.0
                for record in records {
                    for c in 0..<codes {
                        let values = [record.values[c][i], record.values[c][j]]
                        units.append(.init(weight: record.weight, values: values))
                        if let a = values[0], let b = values[1], a != b { differing += record.weight }
                    }
                }
                let data = ReliabilityData(coders: [coders[i], coders[j]], units: units)
                pairs.append(
                    Pair(
                        coders: [coders[i], coders[j]],
                        units: data.complete.reduce(0) { $0 + $1.weight }, disagreements: differing,
                        percentAgreement: Reliability.percentAgreement(data), cohenKappa: Reliability.cohenKappa(data)))
            }
        }
        return pairs.sorted {
            ($0.percentAgreement.value ?? 2, $0.coders.joined()) < ($1.percentAgreement.value ?? 2, $1.coders.joined())
        }
    }

    /// The auto-coder (the coder at index `auto`) against each person, code by code.
    static func autoChecks(auto a: Int, coders: [String], codes keys: [String], records: [UnitRecord]) -> [AutoCheck] {
        coders.enumerated().filter { $0.offset != a }.map { p, person in
            AutoCheck(
                against: person,
                codes: keys.indices.map { c in
                    autoCheckRow(code: keys[c], index: c, auto: a, person: p, name: person, records: records)
                })
        }
    }

    /// Precision, recall and F1 of the auto-coder against one person on one code, with up
    /// to three segments of each kind of miss.
    static func autoCheckRow(
        code: String, index c: Int, auto a: Int, person p: Int, name person: String, records: [UnitRecord]
    )
        -> AutoCheck.Row
    {
        var tp = 0.0
        var fp = 0.0
        var fn = 0.0
        var fpExamples: [Int64] = []
        var fnExamples: [Int64] = []
        for record in records {
            guard let auto = record.values[c][a], let human = record.values[c][p] else { continue }
            if auto == 1 && human == 1 { tp += record.weight }
            if auto == 1 && human == 0 {
                fp += record.weight
                if let s = record.segment, fpExamples.count < 3 { fpExamples.append(s) }
            }
            if auto == 0 && human == 1 {
                fn += record.weight
                if let s = record.segment, fnExamples.count < 3 { fnExamples.append(s) }
            }
        }
        let precision: Coefficient =
            tp + fp > 0 ? .value(tp / (tp + fp)) : .undefined("the auto-coder never applied the code")
        let recall: Coefficient = tp + fn > 0 ? .value(tp / (tp + fn)) : .undefined("\(person) never applied the code")
        var f1: Coefficient = .undefined("precision or recall is undefined")
        if let p = precision.value, let r = recall.value {
            f1 = p + r > 0 ? .value(2 * p * r / (p + r)) : .value(0)
        }
        return AutoCheck.Row(
            code: code, truePositives: tp, falsePositives: fp, falseNegatives: fn, precision: precision,
            recall: recall, f1: f1, falsePositiveExamples: fpExamples, falseNegativeExamples: fnExamples)
    }

    /// Every unit and code on which the coders differ (their texts left empty).
    static func disagreements(coders: [String], codes keys: [String], records: [UnitRecord], names: [Int64: String])
        -> [Disagreement]
    {
        var differing: [Disagreement] = []
        for record in records {
            for c in keys.indices {
                let values = record.values[c]
                let coded = coders.indices.filter { values[$0] == 1 }.map { coders[$0] }
                let notCoded = coders.indices.filter { values[$0] == 0 }.map { coders[$0] }
                guard !coded.isEmpty, !notCoded.isEmpty else { continue }
                differing.append(
                    Disagreement(
                        code: keys[c], document: names[record.document] ?? "", segment: record.segment,
                        start: record.start, end: record.end, coded: coded, notCoded: notCoded, text: ""))
            }
        }
        return differing
    }
}
