import Dispatch
import Foundation
internal import GRDB
public import QDAAnalysis
import QDACodebook
import QDAMatching
import QDAText
import Synchronization

/// What `trainSuggestions` learned.
public struct SuggestTrainingSummary: Sendable, Equatable {
    /// Codes with a model.
    public var codes: [String] = []
    /// Codes left without one: fewer than `Project.suggestMinimumExamples` examples.
    public var tooFewExamples: [String] = []
    /// Units trained on (segments people could code, in the documents they coded).
    public var units = 0
    /// Positive examples (unit–code pairs people coded).
    public var positives = 0
    /// The people whose codings were learned from.
    public var people: [String] = []
}

/// A suggestion waiting for a person's decision.
public struct Suggestion: Sendable, Equatable, Encodable {
    /// Its id (for `decideSuggestions`).
    public var id: Int64
    /// The document.
    public var document: String
    /// The segment.
    public var segment: Int64
    /// The code.
    public var code: String
    /// The model's probability.
    public var score: Double
    /// The segment's text.
    public var text: String
}

/// What a decision on suggestions changed.
public struct SuggestDecisionSummary: Sendable, Equatable {
    /// Suggestions accepted (each now a coding by the reviewer).
    public var accepted = 0
    /// Suggestions rejected (never proposed again).
    public var rejected = 0
    /// The documents whose codings changed (those of the accepted suggestions), by name.
    public var changedDocuments: [String] = []
}

extension Project {
    /// The coder name suggestions would carry; it never codes (suggestions are kept apart).
    public static let suggestCoder = Coder.suggest
    /// A code needs this many coded units to get a model.
    public static let suggestMinimumExamples = 3

    /// The people's codings as training data: units, codes, and which units have which code.
    struct SuggestData {
        var units: [(id: Int64, document: Int64, start: Int, end: Int, text: String)] = []
        var codes: [(id: Int64, key: String)] = []
        /// For each code (by index), the unit indices people coded with it or a sub-code.
        var positives: [Set<Int>] = []
        var people: [String] = []
        /// Segments outside those documents where a person rejected an automatic coding or a
        /// suggestion: a negative example of that code (by index) only.
        var rejected: [(text: String, code: Int)] = []
    }

    func suggestData(_ db: Database) throws -> SuggestData {
        var data = SuggestData()
        let machines = [Self.autoCoder, Self.suggestCoder]
        data.people = try String.fetchAll(
            db, sql: "SELECT DISTINCT coder FROM coding WHERE coder NOT IN (?, ?) ORDER BY coder",
            arguments: StatementArguments(machines))
        data.codes = try Row.fetchAll(
            db, sql: "SELECT id, key FROM code WHERE active = 1 AND depth > 0 ORDER BY ordinal"
        ).map { ($0[0], $0[1]) }
        data.positives = Array(repeating: [], count: data.codes.count)
        guard !data.people.isEmpty else { return data }
        var unitIndex: [Int64: Int] = [:]
        var cutter = TextCutter()
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT id, document_id, start_offset, end_offset FROM segment
                WHERE interviewer = 0
                  AND document_id IN (SELECT DISTINCT document_id FROM coding WHERE coder NOT IN (?, ?))
                ORDER BY document_id, ordinal
                """, arguments: StatementArguments(machines))
        {
            unitIndex[row[0]] = data.units.count
            data.units.append(
                (row[0], row[1], row[2], row[3], try cutter.cut(document: row[1], start: row[2], end: row[3], db)))
        }
        let codeIndex = Dictionary(uniqueKeysWithValues: data.codes.enumerated().map { ($1.id, $0) })
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT DISTINCT c.segment_id, cc.ancestor_id FROM coding c
                JOIN code_closure cc ON cc.descendant_id = c.code_id
                WHERE c.coder NOT IN (?, ?)
                """, arguments: StatementArguments(machines))
        {
            if let unit = unitIndex[row[0]], let code = codeIndex[row[1]] { data.positives[code].insert(unit) }
        }
        // Rejections in documents nobody coded: negatives of their code alone (the rest of
        // such a document says nothing). Rejections in coded documents are negatives already.
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT DISTINCT s.id, s.document_id, s.start_offset, s.end_offset, r.code_id FROM coding_review r
                JOIN segment s ON s.document_id = r.document_id AND s.start_offset <= r.start_offset
                  AND s.end_offset >= r.end_offset AND s.interviewer = 0
                WHERE r.decision = 'rejected'
                ORDER BY s.document_id, s.start_offset, r.code_id
                """)
        {
            guard unitIndex[row[0]] == nil, let code = codeIndex[row[4]] else { continue }
            data.rejected.append((try cutter.cut(document: row[1], start: row[2], end: row[3], db), code))
        }
        return data
    }

    /// The feature vectors of `texts`, on all cores, in input order.
    static func suggestVectors(_ texts: [String], features: SuggestFeatures) -> [SuggestFeatures.Vector] {
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let chunk = max(64, (texts.count + workers * 4 - 1) / (workers * 4))
        let ranges = stride(from: 0, to: texts.count, by: chunk).map { $0..<min($0 + chunk, texts.count) }
        let results = Mutex<[[SuggestFeatures.Vector]]>(Array(repeating: [], count: ranges.count))
        DispatchQueue.concurrentPerform(iterations: ranges.count) { r in
            var normalizer = TextNormalizer()
            let vectors = texts[ranges[r]].map { features.vector($0, normalizer: &normalizer) }
            results.withLock { $0[r] = vectors }
        }
        return results.withLock { $0.flatMap { $0 } }
    }

    /// Trains one model per code on the units `units` of `data`, on all cores. Each
    /// model's threshold is the one that maximises F1 on out-of-fold scores: three inner
    /// folds of contiguous units (documents stay together, being stored in order) are each
    /// scored by a model trained on the other two (from 3,000 units, the last third only);
    /// with fewer than 6 positives it stays 0.5.
    static func trainModels(
        _ data: SuggestData, features: SuggestFeatures, vectors: [SuggestFeatures.Vector], units: [Int], codes: [Int],
        extraNegatives: [Int: [Int]] = [:]
    ) -> [Int: SuggestModel] {
        let models = Mutex<[Int: SuggestModel]>([:])
        DispatchQueue.concurrentPerform(iterations: codes.count) { i in
            let code = codes[i]
            let rule = features.ruleFeature(for: data.codes[code].key)
            func examples(_ subset: [Int]) -> [(vector: Int, positive: Bool)] {
                subset.map { (vector: $0, positive: data.positives[code].contains($0)) }
                    + (extraNegatives[code] ?? []).map { (vector: $0, positive: false) }
            }
            var model = SuggestModel.train(vectors: vectors, examples: examples(units), rule: rule)
            let positives = units.filter { data.positives[code].contains($0) }.count
            if positives >= 6 {
                var scored: [(score: Float, positive: Bool)] = []
                // Three inner folds; with thousands of units one (the last third) is enough.
                for fold in (units.count >= 3000 ? 2..<3 : 0..<3) {
                    let held = units.indices.filter { $0 * 3 / units.count == fold }.map { units[$0] }
                    let rest = units.indices.filter { $0 * 3 / units.count != fold }.map { units[$0] }
                    let inner = SuggestModel.train(vectors: vectors, examples: examples(rest), rule: rule)
                    scored += held.map { (inner.score(vectors[$0]), data.positives[code].contains($0)) }
                }
                model.threshold = SuggestModel.bestThreshold(scored)
            }
            models.withLock { $0[code] = model }
        }
        return models.withLock { $0 }
    }

    /// Learns a model per code from the people's codings (manual codings and accepted
    /// reviews and suggestions as positives; every other unit of the documents they coded,
    /// and a segment elsewhere where someone rejected the code, as negatives) and stores it,
    /// with its positive examples, in the project; replaces the earlier models.
    public func trainSuggestions(progress: ProgressHandler? = nil) throws -> SuggestTrainingSummary {
        let codebook = try currentCodebook()
        let data = try read { db in try suggestData(db) }
        var summary = SuggestTrainingSummary()
        summary.people = data.people
        summary.units = data.units.count
        progress?(WorkProgress(stage: "features", done: 0, total: data.units.count))
        let features = SuggestFeatures(codebook: codebook)
        // The units' vectors, then those of the rejected segments outside them.
        let vectors = Self.suggestVectors(data.units.map(\.text) + data.rejected.map(\.text), features: features)
        var extraNegatives: [Int: [Int]] = [:]
        for (offset, rejection) in data.rejected.enumerated() {
            extraNegatives[rejection.code, default: []].append(data.units.count + offset)
        }
        let trainable = data.codes.indices.filter { data.positives[$0].count >= Self.suggestMinimumExamples }
        summary.codes = trainable.map { data.codes[$0].key }
        summary.tooFewExamples = data.codes.indices.filter {
            !data.positives[$0].isEmpty && data.positives[$0].count < Self.suggestMinimumExamples
        }.map { data.codes[$0].key }
        summary.positives = trainable.reduce(0) { $0 + data.positives[$1].count }
        progress?(WorkProgress(stage: "train", done: 0, total: trainable.count))
        let models = Self.trainModels(
            data, features: features, vectors: vectors, units: Array(data.units.indices), codes: trainable,
            extraNegatives: extraNegatives)
        progress?(WorkProgress(stage: "train", done: trainable.count, total: trainable.count))
        try write { db in
            try db.execute(sql: "DELETE FROM suggest_model; DELETE FROM suggest_example;")
            // The rules' features are numbered by the codebook's codes: the models hold for it only.
            try db.execute(
                sql: "INSERT OR REPLACE INTO project_info (key, value) VALUES ('suggest_codebook_sha256', ?)",
                arguments: [codebook?.sha256 ?? ""])
            let now = Self.now()
            let example = try db.makeStatement(
                sql: "INSERT INTO suggest_example (code_id, segment_id, positive) VALUES (?, ?, ?)")
            for code in trainable {
                guard let model = models[code] else { continue }
                let weights = model.weights.withUnsafeBufferPointer { Data(buffer: $0) }
                try db.execute(
                    sql: """
                        INSERT INTO suggest_model (code_id, weights, bias, threshold, positives, negatives, trained_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        data.codes[code].id, weights, Double(model.bias), Double(model.threshold),
                        data.positives[code].count, data.units.count - data.positives[code].count, now,
                    ])
                // The positives; the negatives are the other units of the documents people coded.
                for index in data.positives[code].sorted() {
                    try example.execute(arguments: [data.codes[code].id, data.units[index].id, true])
                }
            }
        }
        return summary
    }

    /// Proposes suggestions with the stored models: every countable segment scored for every
    /// code with a model; a score at or above the model's threshold is proposed unless the
    /// segment already has a coding of that code or a person rejected that suggestion.
    /// Replaces the earlier pending suggestions; returns how many are pending.
    public func proposeSuggestions(progress: ProgressHandler? = nil) throws -> Int {
        let codebook = try currentCodebook()
        // The stale check first, then the models straight into the feature-major set: the
        // per-code weight arrays live only while it is built.
        let (modelCodes, modelSet): ([Int64], SuggestModelSet) = try read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT code_id, weights, bias, threshold FROM suggest_model ORDER BY code_id")
            guard !rows.isEmpty else { throw QDAError.noSuggestModel }
            let trainedWith = try String.fetchOne(
                db, sql: "SELECT value FROM project_info WHERE key = 'suggest_codebook_sha256'")
            guard trainedWith == (codebook?.sha256 ?? "") else { throw QDAError.suggestModelStale }
            let models = rows.map { row in
                let data: Data = row[1]
                return SuggestModel(
                    weights: data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) },
                    bias: Float(row[2] as Double), threshold: Float(row[3] as Double))
            }
            return (rows.map { $0[0] }, SuggestModelSet(models))
        }
        let features = SuggestFeatures(codebook: codebook)
        let (total, coded, rejected) = try read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM segment WHERE interviewer = 0") ?? 0
            var coded = Set<SIMD2<Int64>>()
            for row in try Row.fetchAll(db, sql: "SELECT DISTINCT segment_id, code_id FROM coding") {
                coded.insert(SIMD2(row[0], row[1]))
            }
            var rejected = Set<[Int64]>()
            for row in try Row.fetchAll(
                db,
                sql:
                    "SELECT document_id, code_id, start_offset, end_offset FROM coding_review WHERE decision = 'rejected'"
            ) {
                rejected.insert([row[0], row[1], row[2], row[3]])
            }
            return (total, coded, rejected)
        }
        var proposals: [(segment: Int64, document: Int64, code: Int64, score: Double)] = []
        let batch = 20_000
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        var last: Int64 = 0
        var done = 0
        // The segments a batch at a time, so that memory holds one batch of text.
        while true {
            let segments = try read { db in
                var cutter = TextCutter()
                return try Row.fetchAll(
                    db,
                    sql: """
                        SELECT id, document_id, start_offset, end_offset FROM segment
                        WHERE interviewer = 0 AND id > ? ORDER BY id LIMIT ?
                        """, arguments: [last, batch]
                ).map {
                    (
                        id: $0[0] as Int64, document: $0[1] as Int64, start: $0[2] as Int, end: $0[3] as Int,
                        text: try cutter.cut(document: $0[1], start: $0[2], end: $0[3], db)
                    )
                }
            }
            guard let end = segments.last?.id else { break }
            last = end
            let slice = segments[...]
            // Features and scores on all cores, chunk by chunk; the candidates in segment order.
            let chunk = max(64, (slice.count + workers * 4 - 1) / (workers * 4))
            let ranges = stride(from: slice.startIndex, to: slice.endIndex, by: chunk).map {
                $0..<min($0 + chunk, slice.endIndex)
            }
            let found = Mutex<[[(segment: Int, model: Int, score: Float)]]>(Array(repeating: [], count: ranges.count))
            DispatchQueue.concurrentPerform(iterations: ranges.count) { r in
                var normalizer = TextNormalizer()
                var candidates: [(segment: Int, model: Int, score: Float)] = []
                var logits: [Float] = []
                for index in ranges[r] {
                    let vector = features.vector(segments[index].text, normalizer: &normalizer)
                    for (m, score) in modelSet.passing(vector, into: &logits) { candidates.append((index, m, score)) }
                }
                found.withLock { $0[r] = candidates }
            }
            for candidate in found.withLock({ $0.flatMap { $0 } }) {
                let segment = segments[candidate.segment]
                let code = modelCodes[candidate.model]
                let score = candidate.score
                guard !coded.contains(SIMD2(segment.id, code)),
                    !rejected.contains([segment.document, code, Int64(segment.start), Int64(segment.end)])
                else { continue }
                proposals.append((segment.id, segment.document, code, Double(score)))
            }
            done += segments.count
            progress?(WorkProgress(stage: "suggest", done: done, total: total))
        }
        try write { db in
            try db.execute(sql: "DELETE FROM suggestion")
            let now = Self.now()
            let insert = try db.makeStatement(
                sql:
                    "INSERT INTO suggestion (segment_id, document_id, code_id, score, created_at) VALUES (?, ?, ?, ?, ?)"
            )
            for p in proposals { try insert.execute(arguments: [p.segment, p.document, p.code, p.score, now]) }
        }
        return proposals.count
    }

    /// The pending suggestions, best first; only codes under `codes` and segments in
    /// `region` when given.
    public func suggestions(codes: [String] = [], region: String? = nil, limit: Int? = nil) throws -> [Suggestion] {
        let codeIDs = try resolveCodeFilter(codes)
        return try read { db in
            var sql = """
                SELECT s.id, d.name, s.segment_id, k.key, s.score, \(TextCutter.segmentTextSQL(segment: "g"))
                FROM suggestion s
                JOIN document d ON d.id = s.document_id JOIN code k ON k.id = s.code_id
                JOIN segment g ON g.id = s.segment_id
                """
            var arguments: StatementArguments = []
            var conditions: [String] = []
            if let codeIDs {
                conditions.append(Self.underCodes("s.code_id", codeIDs.count))
                arguments += StatementArguments(codeIDs)
            }
            if let region {
                conditions.append("s.segment_id IN (SELECT segment_id FROM segment_region WHERE region = ?)")
                arguments += [region]
            }
            if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
            sql += " ORDER BY s.score DESC, s.id"
            if let limit { sql += " LIMIT \(limit)" }
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map {
                Suggestion(id: $0[0], document: $0[1], segment: $0[2], code: $0[3], score: $0[4], text: $0[5])
            }
        }
    }

    /// Accepts or rejects suggestions `ids` as `reviewer`, in one transaction: an accepted
    /// one becomes the reviewer's coding of the whole segment; a rejected one is remembered
    /// (by document, code and span) and never proposed again. An unknown id changes nothing.
    public func decideSuggestions(_ ids: [Int64], accept: Bool, reviewer: String) throws -> SuggestDecisionSummary {
        guard reviewer != Self.autoCoder, reviewer != Self.suggestCoder else {
            throw QDAError.autoIsNotAPerson(role: "reviewer")
        }
        return try write { db in
            var summary = SuggestDecisionSummary()
            var documents: [Int64] = []
            let now = Self.now()
            for id in ids {
                guard
                    let row = try Row.fetchOne(
                        db,
                        sql: """
                            SELECT s.segment_id, s.document_id, s.code_id, g.start_offset, g.end_offset
                            FROM suggestion s JOIN segment g ON g.id = s.segment_id WHERE s.id = ?
                            """, arguments: [id])
                else { throw QDAError.noSuchSuggestion(id) }
                let (segment, document, code, start, end): (Int64, Int64, Int64, Int, Int) = (
                    row[0], row[1], row[2], row[3], row[4]
                )
                if accept {
                    _ = try Self.insertCodingIfNew(
                        segment: segment, document: document, code: code, coder: reviewer, start: start, end: end,
                        valence: 0, memo: nil, createdAt: now, db)
                    documents.append(document)
                    if let name = try String.fetchOne(
                        db, sql: "SELECT name FROM document WHERE id = ?", arguments: [document])
                    {
                        summary.changedDocuments.append(name)
                    }
                    summary.accepted += 1
                } else {
                    summary.rejected += 1
                }
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO coding_review (document_id, code_id, start_offset, end_offset, decision,
                                                              reviewer, recoded_to, decided_at)
                        VALUES (?, ?, ?, ?, ?, ?, NULL, ?)
                        """, arguments: [document, code, start, end, accept ? "accepted" : "rejected", reviewer, now])
                try db.execute(sql: "DELETE FROM suggestion WHERE id = ?", arguments: [id])
            }
            if !documents.isEmpty { try Self.codingsChanged(documents: documents, db) }
            return summary
        }
    }

    /// Cross-validates the suggestions against the people's codings, `folds` folds by
    /// document, beside the keyword rules on the same held-out units, with a learning curve.
    public func evaluateSuggestions(folds requested: Int) throws -> SuggestEvaluation {
        let codebook = try currentCodebook()
        let data = try read { db in try suggestData(db) }
        let documentIDs = Array(Set(data.units.map(\.document))).sorted()
        // Folds by document; with fewer documents than folds (a project of one long
        // document), by contiguous blocks of units instead, so neighbouring turns stay together.
        let byDocument = documentIDs.count >= requested
        guard byDocument || data.units.count >= requested * 2 else {
            throw QDAError.tooFewDocumentsToFold(documents: documentIDs.count)
        }
        let folds = requested
        // The group (document or block) of each unit; groups are what folds hold out.
        let groupOfUnit: [Int64] = data.units.indices.map { u in
            byDocument ? data.units[u].document : Int64(u * folds * 4 / data.units.count)
        }
        let documents = Array(Set(groupOfUnit)).sorted()
        let foldOf = Dictionary(uniqueKeysWithValues: documents.enumerated().map { ($1, $0 % folds) })
        let features = SuggestFeatures(codebook: codebook)
        let vectors = Self.suggestVectors(data.units.map(\.text), features: features)
        // The keyword rules' verdict per unit: the codes (and their ancestors) they assign.
        var keyword: [Set<Int>] = Array(repeating: [], count: data.units.count)
        if let codebook {
            let matcher = Matcher(codebook: codebook)
            let index = Dictionary(uniqueKeysWithValues: data.codes.enumerated().map { ($1.key, $0) })
            var normalizer = TextNormalizer()
            for (u, unit) in data.units.enumerated() {
                for match in matcher.matches(in: unit.text, normalizer: &normalizer) {
                    var key = Substring(matcher.codes[match.code])
                    while true {
                        if let i = index[String(key)] { keyword[u].insert(i) }
                        guard let dot = key.lastIndex(of: ".") else { break }
                        key = key[..<dot]
                    }
                }
            }
        }
        let trainable = data.codes.indices.filter { data.positives[$0].count >= Self.suggestMinimumExamples }
        func run(fraction: Double) -> (counts: [(tp: Int, fp: Int, fn: Int)], examples: Int) {
            var counts = Array(repeating: (tp: 0, fp: 0, fn: 0), count: data.codes.count)
            var examples = 0
            for fold in 0..<folds {
                var training = data.units.indices.filter { foldOf[groupOfUnit[$0]] != fold }
                if fraction < 1 {
                    // The first share of the training documents, in a fixed order.
                    let trainingDocuments = documents.filter { foldOf[$0] != fold }
                    var shuffled = trainingDocuments
                    var random = SplitMix64(seed: UInt64(fold + 1))
                    shuffled.shuffle(using: &random)
                    let kept = Set(shuffled.prefix(max(1, Int((Double(shuffled.count) * fraction).rounded(.up)))))
                    training = training.filter { kept.contains(groupOfUnit[$0]) }
                }
                let held = data.units.indices.filter { foldOf[groupOfUnit[$0]] == fold }
                let codes = trainable.filter { code in training.contains { data.positives[code].contains($0) } }
                examples += codes.reduce(0) { sum, code in
                    sum + training.filter { data.positives[code].contains($0) }.count
                }
                let models = Self.trainModels(
                    data, features: features, vectors: vectors, units: training, codes: codes)
                for code in data.codes.indices {
                    for u in held {
                        let predicted = models[code].map { $0.score(vectors[u]) >= $0.threshold } ?? false
                        let actual = data.positives[code].contains(u)
                        if predicted && actual { counts[code].tp += 1 }
                        if predicted && !actual { counts[code].fp += 1 }
                        if !predicted && actual { counts[code].fn += 1 }
                    }
                }
            }
            return (counts, examples / folds)
        }
        let full = run(fraction: 1)
        var keywordCounts = Array(repeating: (tp: 0, fp: 0, fn: 0), count: data.codes.count)
        for code in data.codes.indices {
            for u in data.units.indices {
                let predicted = keyword[u].contains(code)
                let actual = data.positives[code].contains(u)
                if predicted && actual { keywordCounts[code].tp += 1 }
                if predicted && !actual { keywordCounts[code].fp += 1 }
                if !predicted && actual { keywordCounts[code].fn += 1 }
            }
        }
        func scores(_ key: String, _ c: (tp: Int, fp: Int, fn: Int)) -> CoderEvaluation.Scores {
            .counts(key: key, truePositives: c.tp, falsePositives: c.fp, falseNegatives: c.fn)
        }
        func micro(_ key: String, _ all: [(tp: Int, fp: Int, fn: Int)]) -> CoderEvaluation.Scores {
            scores(key, all.reduce((0, 0, 0)) { ($0.0 + $1.tp, $0.1 + $1.fp, $0.2 + $1.fn) })
        }
        let rows = data.codes.indices.filter { !data.positives[$0].isEmpty }.map { code -> SuggestEvaluation.Row in
            let s = scores("suggest", full.counts[code])
            let k = scores("keyword", keywordCounts[code])
            let wins: Bool? = s.f1 == nil && k.f1 == nil ? nil : (s.f1 ?? 0) > (k.f1 ?? 0)
            return SuggestEvaluation.Row(
                code: data.codes[code].key, examples: data.positives[code].count, suggest: s, keyword: k,
                suggestWins: wins)
        }
        var curve: [SuggestEvaluation.Point] = []
        for fraction in [0.1, 0.25, 0.5, 0.75] {
            let result = run(fraction: fraction)
            curve.append(.init(fraction: fraction, examples: result.examples, f1: micro("", result.counts).f1))
        }
        curve.append(.init(fraction: 1, examples: full.examples, f1: micro("", full.counts).f1))
        return SuggestEvaluation(
            folds: folds, units: data.units.count, documents: documentIDs.count, byDocument: byDocument, codes: rows,
            suggest: micro("suggest", full.counts), keyword: micro("keyword", keywordCounts), curve: curve)
    }
}
