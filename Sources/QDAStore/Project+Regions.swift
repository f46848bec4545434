import Foundation
internal import GRDB
package import QDAAnalysis
package import QDACodebook
import QDACorpus
import QDAFormats
import QDAMatching
import QDAText

/// What loading a gazetteer changed.
public struct GazetteerLoadSummary: Sendable, Equatable {
    /// The gazetteer's name.
    public var name: String
    /// Its regions.
    public var regions: Int
    /// Its places.
    public var places: Int
    /// Its groupings.
    public var groupings: Int
    /// False when the same gazetteer was loaded already.
    public var changed: Bool
}

extension RegionLevel {
    /// The SQL expression of a document's value for an attribute dimension, reading the
    /// document as `d` (the key is bound as an argument, never spliced into the SQL).
    static func attributeValueSQL(_ key: String) -> (sql: String, arguments: StatementArguments) {
        if documentColumns.contains(key) { return ("d.\(key)", []) }
        return ("(SELECT value FROM document_attribute a WHERE a.document_id = d.id AND a.key = ?)", [key])
    }

}

extension Project {
    /// Validates the gazetteer at `path`, makes it the project's, and places every
    /// segment anew: document regions are resolved to canonical names, and segments are
    /// attributed to the regions they name (see `docs/methods.md#regions`).
    public func loadGazetteer(path: String) throws -> GazetteerLoadSummary {
        let (yaml, sha256) = try TextDecoding.readFile(path)
        let gazetteer = try GazetteerLoader().parse(yaml: yaml, path: path, sha256: sha256)
        let finder = RegionFinder(gazetteer: gazetteer)
        return try write { db in
            let current = try String.fetchOne(db, sql: "SELECT sha256 FROM gazetteer ORDER BY id DESC LIMIT 1")
            let summary = GazetteerLoadSummary(
                name: gazetteer.name, regions: gazetteer.regions.count,
                places: gazetteer.regions.reduce(0) { $0 + $1.places.count }, groupings: gazetteer.groupings.count,
                changed: current != gazetteer.sha256)
            guard summary.changed else { return summary }
            try db.execute(
                sql:
                    "INSERT INTO gazetteer (name, version, sha256, source_path, yaml, loaded_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [gazetteer.name, gazetteer.version, gazetteer.sha256, path, yaml, Self.now()])
            try db.execute(sql: "DELETE FROM region_grouping")
            for grouping in gazetteer.groupings {
                for member in grouping.members {
                    try db.execute(
                        sql: "INSERT OR IGNORE INTO region_grouping (set_name, region, grouping) VALUES (?, ?, ?)",
                        arguments: [grouping.set, member, grouping.name])
                }
            }
            let documents = try Int64.fetchAll(db, sql: "SELECT id FROM document ORDER BY id")
            for documentID in documents {
                try attributeRegions(documentID: documentID, gazetteer: gazetteer, finder: finder, db)
            }
            try Self.documentsChanged(documents, db)
            return summary
        }
    }

    /// The project's current gazetteer, parsed from the copy stored in the project.
    public func currentGazetteer() throws -> Gazetteer? {
        guard let stored = try latestStoredYAML(in: "gazetteer") else { return nil }
        return try GazetteerLoader().parse(yaml: stored.yaml, path: stored.path, sha256: stored.sha256)
    }

    /// The grouping sets of the current gazetteer, the default first.
    public func groupingSets() throws -> [String] {
        try currentGazetteer()?.groupingSets ?? []
    }

    /// Places the segments of one document in regions.
    ///
    /// Every segment belongs to its document's region (resolved through the gazetteer).
    /// Mentions are recorded for every segment; they add regions only in documents that
    /// are not interviews, where one text discusses several regions. In an interview the
    /// speaker's comparisons ("less aggressive than Shenzhen") speak to the interview's
    /// own region, so they do not move its evidence elsewhere.
    ///
    /// Outside interviews the subject rule applies: a sentence is about the first region
    /// it names ("Beijing dominates …, five times Shanghai" is about Beijing), a sentence
    /// naming none is about the region of the sentence before it, and a segment belongs to
    /// the regions its sentences are about.
    func attributeRegions(documentID: Int64, gazetteer: Gazetteer?, finder: RegionFinder?, _ db: Database) throws {
        guard
            let document = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT region, kind FROM document WHERE id = ?"), arguments: [documentID])
        else { return }
        let written: String? = document["region"]
        let region = written.map { finder?.resolve($0) ?? $0 }
        let kind = DocumentKind(rawValue: document["kind"]) ?? .other
        try db.cachedStatement(
            sql: "DELETE FROM segment_region WHERE segment_id IN (SELECT id FROM segment WHERE document_id = ?)"
        ).execute(arguments: [documentID])
        try db.cachedStatement(
            sql: "DELETE FROM segment_mention WHERE segment_id IN (SELECT id FROM segment WHERE document_id = ?)"
        ).execute(arguments: [documentID])
        guard let finder else {
            // Without a gazetteer a segment's region is its document's: no text to read.
            if let region {
                try db.cachedStatement(
                    sql: """
                        INSERT OR IGNORE INTO segment_region (segment_id, document_id, region, basis)
                        SELECT id, document_id, ?, 'document' FROM segment WHERE document_id = ? AND interviewer = 0
                        """
                ).execute(arguments: [region, documentID])
            }
            return
        }
        var normalizer = TextNormalizer()
        var cutter = TextCutter()
        let segments = try Row.fetchAll(
            db,
            sql: """
                SELECT id, start_offset, end_offset, interviewer, block FROM segment WHERE document_id = ?
                ORDER BY ordinal
                """,
            arguments: [documentID]
        ).map { row in
            // Interviewer turns (and headings, captions, tables, references) count nowhere,
            // so they are placed nowhere either.
            let counted = !(row["interviewer"] as Bool)
            let text = try cutter.cut(document: documentID, start: row["start_offset"], end: row["end_offset"], db)
            return PlacedSegment(
                id: row["id"], start: row["start_offset"], counted: counted, block: row["block"],
                places: SegmentPlaces(
                    text: text, kind: kind, counted: counted, finder: finder, normalizer: &normalizer))
        }
        try Self.storePlaces(of: segments, document: documentID, region: region, db)
    }

    /// One segment of a document with the places its text names.
    struct PlacedSegment {
        var id: Int64
        /// The segment's offset in the document, in Unicode scalars.
        var start: Int
        /// False for interviewer turns, which count in no region.
        var counted: Bool
        /// The paragraph a sentence was cut from (`SegmentDraft.block`).
        var block: Int?
        var places: SegmentPlaces
    }

    /// Stores where a document's segments are: each counted segment in the document's
    /// `region`, every place name found, and the regions the segments' sentences are about.
    /// A sentence cut from a paragraph that names no region is about the regions the
    /// other sentences of its paragraph are about (outside interviews: only there are
    /// subjects found).
    static func storePlaces(of segments: [PlacedSegment], document: Int64, region: String?, _ db: Database) throws {
        var segments = segments
        var byBlock: [Int: [String]] = [:]
        for segment in segments where segment.counted {
            guard let block = segment.block else { continue }
            for subject in segment.places.subjects where !(byBlock[block]?.contains(subject) ?? false) {
                byBlock[block, default: []].append(subject)
            }
        }
        if !byBlock.isEmpty {
            for index in segments.indices where segments[index].counted && segments[index].places.mentions.isEmpty {
                if let block = segments[index].block, let subjects = byBlock[block] {
                    segments[index].places.subjects = subjects
                }
            }
        }
        let insertRegion = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO segment_region (segment_id, document_id, region, basis) VALUES (?, ?, ?, ?)")
        let insertMention = try db.cachedStatement(
            sql:
                "INSERT INTO segment_mention (segment_id, region, name, start_offset, end_offset) VALUES (?, ?, ?, ?, ?)"
        )
        for segment in segments {
            if let region, segment.counted {
                try insertRegion.execute(arguments: [segment.id, document, region, "document"])
            }
            for (mention, name) in zip(segment.places.mentions, segment.places.names) {
                try insertMention.execute(arguments: [
                    segment.id, mention.region, name, segment.start + mention.start, segment.start + mention.end,
                ])
            }
            for subject in segment.places.subjects {
                try insertRegion.execute(arguments: [segment.id, document, subject, "mention"])
            }
        }
    }

    /// The regions the sentences of a text are about: the first region each sentence names.
    static func sentenceSubjects(_ mentions: [RegionFinder.Mention], in scalars: [Unicode.Scalar]) -> [String] {
        var subjects: [String] = []
        var sentenceStart = 0
        var index = 0
        for (i, c) in scalars.enumerated() where ScriptClass.isSentenceTerminator(c) {
            let next = i + 1 < scalars.count ? scalars[i + 1] : " "
            guard c != "." || next.properties.isWhitespace else { continue }
            if let first = mentions[index...].first(where: { $0.start >= sentenceStart && $0.start <= i }),
                !subjects.contains(first.region)
            {
                subjects.append(first.region)
            }
            while index < mentions.count, mentions[index].start <= i { index += 1 }
            sentenceStart = i + 1
        }
        if let first = mentions[index...].first(where: { $0.start >= sentenceStart }), !subjects.contains(first.region)
        {
            subjects.append(first.region)
        }
        return subjects
    }

    /// How segments (interviewer turns aside) came to their regions.
    public func regionAttribution() throws -> RegionAttribution {
        try regionCounts().attribution
    }

    /// The SQL of a common table `unit(segment_id, document_id, region)`: every countable
    /// segment with each region it belongs to at `level` (NULL for none).
    static func unitTable(_ level: RegionLevel) -> (sql: String, arguments: StatementArguments) {
        // Countable segments in no region, read from the covering index on segment.
        let unassigned = """
            SELECT s.id, s.document_id, NULL FROM segment s
            WHERE s.interviewer = 0 AND NOT EXISTS (SELECT 1 FROM segment_region r WHERE r.segment_id = s.id)
            """
        switch level {
        case .region:
            return (
                """
                unit(segment_id, document_id, region) AS (
                    SELECT segment_id, document_id, region FROM segment_region
                    UNION ALL \(unassigned)
                )
                """, []
            )
        case .grouping(let set):
            return (
                """
                unit(segment_id, document_id, region) AS (
                    SELECT DISTINCT sr.segment_id, sr.document_id, rg.grouping
                    FROM segment_region sr LEFT JOIN region_grouping rg ON rg.region = sr.region AND rg.set_name = ?
                    UNION ALL \(unassigned)
                )
                """, [set]
            )
        case .attribute(let key):
            let value = RegionLevel.attributeValueSQL(key)
            return (
                """
                unit(segment_id, document_id, region) AS (
                    SELECT s.id, s.document_id, \(value.sql) FROM segment s JOIN document d ON d.id = s.document_id
                    WHERE s.interviewer = 0
                )
                """, value.arguments
            )
        }
    }

}
