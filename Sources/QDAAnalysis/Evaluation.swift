/// The auto-coder (or the suggester) measured against a person's codings: presence per
/// unit for every code and group, span overlap, valence agreement, the confusion between
/// codes, and every error with its passage and the rule behind it (docs/methods.md).
///
/// The units are the segments a person could code — every turn or paragraph that is not
/// an interviewer's — of the documents the person coded at all (a document nobody looked
/// at says nothing about the auto-coder). A code is present in a unit for a coder when the
/// coder applied it or one of its sub-codes there; a group when any code of it.
public struct CoderEvaluation: Sendable, Equatable, Encodable {
    enum CodingKeys: String, CodingKey {
        case machine
        case person
        case documents
        case units
        case codes
        case groups
        case overall
        case spans
        case valence
        case confusion
        case errors
        case errorKinds = "error_kinds"
    }

    /// What the evaluation reads: the units and both coders' codings.
    public struct Input: Sendable {
        /// A segment that either coder could have coded.
        public struct Unit: Sendable, Equatable {
            /// The segment's id.
            public var id: Int64
            /// The document's name.
            public var document: String
            /// The segment's text.
            public var text: String
            /// Creates the value from its fields.
            public init(id: Int64, document: String, text: String) {
                self.id = id
                self.document = document
                self.text = text
            }
        }

        /// One coding of either coder.
        public struct Coding: Sendable, Equatable {
            /// The segment it lies in.
            public var segment: Int64
            /// The code's full key.
            public var code: String
            /// Offsets into the segment, in Unicode scalars.
            public var start: Int
            /// The end offset, exclusive.
            public var end: Int
            /// −1, 0 or +1.
            public var valence: Int
            /// The rule that made an automatic coding (the text it matched), if any.
            public var rule: String?
            /// Creates the value from its fields.
            public init(segment: Int64, code: String, start: Int, end: Int, valence: Int, rule: String? = nil) {
                self.segment = segment
                self.code = code
                self.start = start
                self.end = end
                self.valence = valence
                self.rule = rule
            }
        }

        /// The units, in document order.
        public var units: [Unit]
        /// The codes evaluated (every code, not the groups), in codebook order.
        public var codes: [String]
        /// The groups of factor codes and outcome codes, in codebook order.
        public var groups: [String]
        /// The machine's codings.
        public var machine: [Coding]
        /// The person's codings.
        public var person: [Coding]

        /// Creates the value from its fields.
        public init(units: [Unit], codes: [String], groups: [String], machine: [Coding], person: [Coding]) {
            self.units = units
            self.codes = codes
            self.groups = groups
            self.machine = machine
            self.person = person
        }
    }

    /// Presence counts and scores for one code or group (or all of them).
    public struct Scores: Sendable, Equatable, Encodable {
        enum CodingKeys: String, CodingKey {
            case key
            case truePositives = "true_positives"
            case falsePositives = "false_positives"
            case falseNegatives = "false_negatives"
            case support
            case precision
            case recall
            case f1
        }

        /// The code or group key ("all" for the micro-average over codes).
        public var key: String
        /// Units where both coders applied it.
        public var truePositives: Int
        /// Units where the machine applied it and the person did not.
        public var falsePositives: Int
        /// Units where the person applied it and the machine did not.
        public var falseNegatives: Int
        /// Units where the person applied it.
        public var support: Int
        /// TP / (TP + FP); nil when the machine never applied it.
        public var precision: Double?
        /// TP / (TP + FN); nil when the person never applied it.
        public var recall: Double?
        /// The harmonic mean of precision and recall; nil when neither coder applied it, 0
        /// when one did and they never agreed.
        public var f1: Double?

        init(key: String, tp: Int, fp: Int, fn: Int) {
            self.key = key
            truePositives = tp
            falsePositives = fp
            falseNegatives = fn
            support = tp + fn
            precision = tp + fp == 0 ? nil : Double(tp) / Double(tp + fp)
            recall = tp + fn == 0 ? nil : Double(tp) / Double(tp + fn)
            f1 = tp + fp + fn == 0 ? nil : 2 * Double(tp) / Double(2 * tp + fp + fn)
        }
    }

    /// Agreement on the passages: does a coding of the one overlap a coding of the same
    /// code by the other?
    public struct Spans: Sendable, Equatable, Encodable {
        enum CodingKeys: String, CodingKey {
            case machine
            case machineOverlapping = "machine_overlapping"
            case person
            case personFound = "person_found"
            case precision
            case recall
            case f1
            case meanOverlap = "mean_overlap"
        }

        /// The machine's codings.
        public var machine: Int
        /// The machine's codings that overlap one of the person's with the same code.
        public var machineOverlapping: Int
        /// The person's codings.
        public var person: Int
        /// The person's codings that one of the machine's with the same code overlaps.
        public var personFound: Int
        /// machineOverlapping / machine.
        public var precision: Double?
        /// personFound / person.
        public var recall: Double?
        /// The harmonic mean of the two.
        public var f1: Double?
        /// For the person's codings found: the mean of overlap / union (Jaccard) with the
        /// machine's coding that overlaps it most.
        public var meanOverlap: Double?
    }

    /// Agreement on valence where both coders applied a code in a unit: the net valence
    /// (the sign of the sum of the codings' valences) of each.
    public struct Valence: Sendable, Equatable, Encodable {
        /// The unit–code pairs both coded.
        public var compared: Int
        /// Those where the net valences are equal.
        public var agreed: Int
        /// agreed / compared.
        public var agreement: Double?
        /// Counts by the person's net valence (rows −1, 0, +1) and the machine's (columns).
        public var matrix: [[Int]]
    }

    /// How often the person's code went missing where the machine put another instead.
    public struct Confusion: Sendable, Equatable, Encodable {
        /// The person's code the machine missed ("" for units where the person coded
        /// nothing the machine did not).
        public var person: String
        /// The code the machine applied there that the person did not ("" for nothing).
        public var machine: String
        /// The units.
        public var count: Int
    }

    /// One miss or false alarm, with its passage.
    public struct Error: Sendable, Equatable, Encodable {
        /// "miss" (the person applied the code, the machine did not) or "false alarm".
        public var kind: String
        /// The code.
        public var code: String
        /// The document.
        public var document: String
        /// The segment.
        public var segment: Int64
        /// The person's passage for a miss (their first coding of the code in the unit), the
        /// machine's matched passage for a false alarm.
        public var passage: String
        /// The unit's text.
        public var context: String
        /// For a false alarm, the rule that fired (the text it matched); for a miss, nil.
        public var rule: String?
        /// The codes the other coder applied in the unit and this one did not.
        public var instead: [String]
        /// A short cause: for a miss "no rule fired", "a sibling code fired" or "another
        /// group fired"; for a false alarm "uncoded unit", "sibling code" or "other group".
        public var cause: String
    }

    /// How often an error of one kind, code and cause happened.
    public struct ErrorKind: Sendable, Equatable, Encodable {
        /// "miss" or "false alarm".
        public var kind: String
        /// The code.
        public var code: String
        /// The cause (as in `Error.cause`).
        public var cause: String
        /// The errors.
        public var count: Int
    }

    /// The machine coder's name ("auto" or "suggest").
    public var machine: String
    /// The person's name.
    public var person: String
    /// Documents the person coded.
    public var documents: Int
    /// Units compared.
    public var units: Int
    /// Per code, in codebook order.
    public var codes: [Scores]
    /// Per group, in codebook order.
    public var groups: [Scores]
    /// Micro-average over the codes.
    public var overall: Scores
    /// Span overlap.
    public var spans: Spans
    /// Valence agreement.
    public var valence: Valence
    /// The person's code against what the machine applied instead, most frequent first.
    public var confusion: [Confusion]
    /// Every error, in document order.
    public var errors: [Error]
    /// Errors counted by kind, code and cause, most frequent first.
    public var errorKinds: [ErrorKind]

    /// Evaluates `input`'s machine codings against its person's.
    public init(_ input: Input, machine: String, person: String) {
        self.machine = machine
        self.person = person
        units = input.units.count
        documents = Set(input.units.map(\.document)).count
        let unitIDs = Set(input.units.map(\.id))
        let codeIndex = Dictionary(uniqueKeysWithValues: input.codes.enumerated().map { ($1, $0) })
        let groupIndex = Dictionary(uniqueKeysWithValues: input.groups.enumerated().map { ($1, $0) })
        /// The codes a coding counts for: its own and every ancestor among `codes`.
        func evaluated(_ key: String) -> [Int] {
            var result: [Int] = []
            var key = Substring(key)
            while true {
                if let i = codeIndex[String(key)] { result.append(i) }
                guard let dot = key.lastIndex(of: ".") else { break }
                key = key[..<dot]
            }
            return result
        }
        func group(_ key: String) -> Int? {
            groupIndex[String(key.prefix { $0 != "." })]
        }
        func byUnit(_ codings: [Input.Coding]) -> [Int64: [Input.Coding]] {
            Dictionary(grouping: codings.filter { unitIDs.contains($0.segment) }, by: \.segment)
        }
        let machineCodings = byUnit(input.machine)
        let personCodings = byUnit(input.person)

        var codeCounts = Array(repeating: (tp: 0, fp: 0, fn: 0), count: input.codes.count)
        var groupCounts = Array(repeating: (tp: 0, fp: 0, fn: 0), count: input.groups.count)
        var valenceMatrix = Array(repeating: Array(repeating: 0, count: 3), count: 3)
        var confusion: [String: [String: Int]] = [:]
        var errors: [Error] = []
        var spanCounts = (machine: 0, overlapping: 0, person: 0, found: 0, overlapSum: 0.0)

        for unit in input.units {
            let m = machineCodings[unit.id] ?? []
            let p = personCodings[unit.id] ?? []
            func present(_ codings: [Input.Coding]) -> [Int: [Input.Coding]] {
                var result: [Int: [Input.Coding]] = [:]
                for coding in codings {
                    for code in evaluated(coding.code) { result[code, default: []].append(coding) }
                }
                return result
            }
            let mCodes = present(m)
            let pCodes = present(p)
            let mGroups = Set(mCodes.keys.compactMap { group(input.codes[$0]) })
            let pGroups = Set(pCodes.keys.compactMap { group(input.codes[$0]) })
            for g in input.groups.indices {
                switch (mGroups.contains(g), pGroups.contains(g)) {
                case (true, true): groupCounts[g].tp += 1
                case (true, false): groupCounts[g].fp += 1
                case (false, true): groupCounts[g].fn += 1
                case (false, false): break
                }
            }
            // Leaf-most differences for errors and confusion: a code whose sub-code differs
            // is reported through the sub-code.
            func leaves(_ set: Set<Int>) -> [Int] {
                set.filter { i in !set.contains { j in j != i && input.codes[j].hasPrefix(input.codes[i] + ".") } }
                    .sorted()
            }
            let missed = leaves(Set(pCodes.keys).subtracting(mCodes.keys))
            let extra = leaves(Set(mCodes.keys).subtracting(pCodes.keys))
            for code in Set(mCodes.keys).union(pCodes.keys) {
                switch (mCodes[code], pCodes[code]) {
                case (let mc?, let pc?):
                    codeCounts[code].tp += 1
                    let a = mc.reduce(0) { $0 + $1.valence }.signum()
                    let b = pc.reduce(0) { $0 + $1.valence }.signum()
                    valenceMatrix[b + 1][a + 1] += 1
                case (_?, nil): codeCounts[code].fp += 1
                case (nil, _?): codeCounts[code].fn += 1
                case (nil, nil): break
                }
            }
            let extraKeys = extra.map { input.codes[$0] }
            let missedKeys = missed.map { input.codes[$0] }
            for code in missed {
                let key = input.codes[code]
                for other in extraKeys { confusion[key, default: [:]][other, default: 0] += 1 }
                if extraKeys.isEmpty { confusion[key, default: [:]]["", default: 0] += 1 }
                let first = pCodes[code]!.min { ($0.start, $0.end) < ($1.start, $1.end) }!
                let sibling = extra.contains { group(input.codes[$0]) == group(key) }
                errors.append(
                    Error(
                        kind: "miss", code: key, document: unit.document, segment: unit.id,
                        passage: Self.slice(unit.text, first.start, first.end), context: unit.text, rule: nil,
                        instead: extraKeys,
                        cause: sibling
                            ? "a sibling code fired" : mCodes.isEmpty ? "no rule fired" : "another group fired"))
            }
            for code in extra {
                let key = input.codes[code]
                if missedKeys.isEmpty { confusion["", default: [:]][key, default: 0] += 1 }
                let first = mCodes[code]!.min { ($0.start, $0.end) < ($1.start, $1.end) }!
                let sibling =
                    missed.contains { group(input.codes[$0]) == group(key) }
                    || pGroups.contains { g in
                        group(key) == g
                    }
                errors.append(
                    Error(
                        kind: "false alarm", code: key, document: unit.document, segment: unit.id,
                        passage: Self.slice(unit.text, first.start, first.end), context: unit.text,
                        rule: first.rule ?? Self.slice(unit.text, first.start, first.end), instead: missedKeys,
                        cause: pCodes.isEmpty ? "uncoded unit" : sibling ? "sibling code" : "other group"))
            }
            // Spans: same code, overlapping.
            func overlaps(_ a: Input.Coding, _ b: Input.Coding) -> Bool {
                a.code == b.code && a.start < b.end && b.start < a.end
            }
            spanCounts.machine += m.count
            spanCounts.person += p.count
            spanCounts.overlapping += m.filter { a in p.contains { overlaps(a, $0) } }.count
            for b in p {
                let best = m.filter { overlaps($0, b) }.map { a -> Double in
                    Double(min(a.end, b.end) - max(a.start, b.start))
                        / Double(max(a.end, b.end) - min(a.start, b.start))
                }.max()
                if let best {
                    spanCounts.found += 1
                    spanCounts.overlapSum += best
                }
            }
        }

        codes = input.codes.enumerated().map {
            Scores(key: $1, tp: codeCounts[$0].tp, fp: codeCounts[$0].fp, fn: codeCounts[$0].fn)
        }
        groups = input.groups.enumerated().map {
            Scores(key: $1, tp: groupCounts[$0].tp, fp: groupCounts[$0].fp, fn: groupCounts[$0].fn)
        }
        overall = Scores(
            key: "all", tp: codeCounts.reduce(0) { $0 + $1.tp }, fp: codeCounts.reduce(0) { $0 + $1.fp },
            fn: codeCounts.reduce(0) { $0 + $1.fn })
        let spanPrecision = spanCounts.machine == 0 ? nil : Double(spanCounts.overlapping) / Double(spanCounts.machine)
        let spanRecall = spanCounts.person == 0 ? nil : Double(spanCounts.found) / Double(spanCounts.person)
        spans = Spans(
            machine: spanCounts.machine, machineOverlapping: spanCounts.overlapping, person: spanCounts.person,
            personFound: spanCounts.found, precision: spanPrecision, recall: spanRecall,
            f1: spanPrecision.flatMap { p in spanRecall.map { r in p + r == 0 ? 0 : 2 * p * r / (p + r) } },
            meanOverlap: spanCounts.found == 0 ? nil : spanCounts.overlapSum / Double(spanCounts.found))
        let compared = valenceMatrix.joined().reduce(0, +)
        let agreed = (0..<3).reduce(0) { $0 + valenceMatrix[$1][$1] }
        valence = Valence(
            compared: compared, agreed: agreed, agreement: compared == 0 ? nil : Double(agreed) / Double(compared),
            matrix: valenceMatrix)
        self.confusion = confusion.flatMap { person, row in
            row.map { Confusion(person: person, machine: $0.key, count: $0.value) }
        }.sorted { ($1.count, $0.person, $0.machine) < ($0.count, $1.person, $1.machine) }
        self.errors = errors
        var kinds: [String: ErrorKind] = [:]
        for error in errors {
            let id = "\(error.kind)\u{0}\(error.code)\u{0}\(error.cause)"
            kinds[id, default: ErrorKind(kind: error.kind, code: error.code, cause: error.cause, count: 0)].count += 1
        }
        errorKinds = kinds.values.sorted {
            ($1.count, $0.kind, $0.code, $0.cause) < ($0.count, $1.kind, $1.code, $1.cause)
        }
    }

    /// `text[start..<end]` in Unicode scalars, clamped.
    static func slice(_ text: String, _ start: Int, _ end: Int) -> String {
        let scalars = text.unicodeScalars
        let count = scalars.count
        let a = max(0, min(start, count))
        let b = max(a, min(end, count))
        let from = scalars.index(scalars.startIndex, offsetBy: a)
        let to = scalars.index(from, offsetBy: b - a)
        return String(scalars[from..<to])
    }
}
