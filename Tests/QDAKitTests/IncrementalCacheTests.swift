import Foundation
import GRDB
import QDAKitTestSupport
import Testing

@testable import QDAKit
@testable import QDAStore

/// Every change keeps the report cache fresh without a rebuild (schema v9): new and
/// replaced documents, people's codings and reviews, re-coding, codebook loads and edits,
/// region changes and merges update `segment_code` for what they touch. After each step of
/// a random sequence of such edits, the cache and the reports must equal what a full
/// rebuild gives.
@Suite struct IncrementalCacheTests {
    static let root = Fixtures.repositoryRoot

    static let sentences = [
        "Universities train engineers for the software firms nearby.",
        "Customers here demand cheap products, and they want them fast.",
        "The government plans everything, and we follow the plan.",
        "Entrepreneurs take risks; failure is not a shame here.",
        "State-owned firms dominate the industrial base.",
        "Electronics and semiconductor makers lead the region.",
        "高校和研究所很多，技术基础雄厚。",
        "政府定方向，我们去落实。",
        "We rely on the Zhongguancun labs and on Shenzhen suppliers.",
        "Nothing much happens in this town.",
    ]
    static let regions = ["Beijing", "Shanghai", "Shenzhen", "Chongqing", "Atlantis", nil]

    /// The numbers a researcher reads: the matrix and the aggregates.
    func reports(_ project: Project) throws -> String {
        let matrix = try RegionMatrix(project: project, columns: .code)
        let groups = try RegionMatrix(project: project, columns: .group)
        return try ReportRendering.render(matrix, measure: .segments, format: .json)
            + ReportRendering.render(groups, measure: .valence, format: .json)
            + "\(try project.codeAggregates().sorted { ($0.code, $0.region ?? "") < ($1.code, $1.region ?? "") })"
    }

    /// A document of random sentences in a random region.
    func writeDocument(_ folder: TemporaryDirectory, _ name: String, _ random: inout SeededGenerator) throws {
        var text = ""
        if let region = random.pick(Self.regions) { text += "---\nregion: \(region)\n---\n" }
        for _ in 0..<(2 + random.below(5)) {
            text += (0..<(1 + random.below(3))).map { _ in random.pick(Self.sentences) }.joined(separator: " ")
            text += "\n\n"
        }
        try folder.write("extra/\(name).txt", text)
    }

    @Test(arguments: [1, 2, 3])
    func randomEditsKeepTheCacheEqualToARebuild(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let folder = try TemporaryDirectory()
        let project = try Project.create(at: folder.url("p.sqlite"))
        let codebookPath = folder.url("codebook.yaml")
        let original = try String(
            contentsOfFile: Self.root + "/codebooks/china-regional-innovation.yaml", encoding: .utf8)
        try original.write(toFile: codebookPath, atomically: true, encoding: .utf8)
        _ = try project.loadGazetteer(path: Self.root + "/codebooks/gazetteer/china.yaml")
        _ = try project.loadCodebook(path: codebookPath)
        for index in 0..<4 { try writeDocument(folder, "doc\(index)", &random) }
        _ = try project.ingest(paths: [Self.root + "/corpus/beijing", Self.root + "/corpus/chongqing"])
        _ = try project.ingest(paths: [folder.url("extra")], autoCode: true)
        _ = try project.autoCode()
        _ = try reports(project)  // builds the cache once; every step after keeps it fresh
        var documents = 4
        var done: [String] = []

        for step in 0..<14 {
            let kind = random.below(10)
            switch kind {
            case 0:  // new documents, coded as they are read
                for _ in 0..<(1 + random.below(2)) {
                    try writeDocument(folder, "doc\(documents)", &random)
                    documents += 1
                }
                _ = try project.ingest(paths: [folder.url("extra")], autoCode: true)
                done.append("ingest new")
            case 1:  // a document replaced (refused, and nothing changed, when people coded it)
                try writeDocument(folder, "doc\(random.below(documents))", &random)
                _ = try project.ingest(paths: [folder.url("extra")], autoCode: random.below(2) == 0)
                _ = try project.autoCode()
                done.append("ingest replaced")
            case 2, 3:  // a person codes a segment
                let segments = try project.read { db in
                    try Int64.fetchAll(db, sql: "SELECT id FROM segment WHERE interviewer = 0 ORDER BY id")
                }
                let code = random.pick(["market.income", "technology.base", "mindset.agency", "technology"])
                try project.addCoding(
                    .segment(random.pick(segments)), code: code, coder: random.pick(["ann", "bo"]),
                    valence: random.below(3) - 1)
                done.append("code add \(code)")
            case 4:  // a person removes codings
                let coded = try project.read { db in
                    try Row.fetchAll(
                        db,
                        sql: "SELECT segment_id, k.key, coder FROM coding c JOIN code k ON k.id = c.code_id "
                            + "WHERE coder <> 'auto' ORDER BY c.id")
                }
                if !coded.isEmpty {
                    let row = random.pick(coded)
                    _ = try project.removeCodings(.segment(row[0]), code: row[1], coder: row[2])
                }
                done.append("code remove")
            case 5:  // a review of auto-codings
                let auto = try project.read { db in
                    try Int64.fetchAll(db, sql: "SELECT id FROM coding WHERE coder = 'auto' ORDER BY id")
                }
                let decision: ReviewDecision = random.pick([.accept, .reject, .recode("market.orientation")])
                try project.review([random.pick(auto)], decision: decision, reviewer: "ann")
                done.append("review \(decision)")
            case 6:  // a codebook edit that changes the tree, and re-coding
                let edit: CodebookEdit = random.pick([
                    .move("market.income", toGroup: "mindset"), .merge("technology.sectors", into: "technology.base"),
                    .rename("mindset.agency", to: "initiative"),
                ])
                if (try? project.editCodebook(edit)) != nil { _ = try project.autoCode() }
                done.append("codebook \(edit)")
            case 7:  // a changed codebook loaded, then the re-coding it asks for
                let current = try String(contentsOfFile: codebookPath, encoding: .utf8)
                let changed =
                    current.contains("university, universities, ")
                    ? current.replacingOccurrences(of: "university, universities, ", with: "")
                    : original
                try changed.write(toFile: codebookPath, atomically: true, encoding: .utf8)
                if (try? project.loadCodebook(path: codebookPath)) != nil { _ = try project.autoCode() }
                done.append("codebook load")
            case 8:  // the regions change: another gazetteer
                let gazetteer = try String(
                    contentsOfFile: Self.root + "/codebooks/gazetteer/china.yaml", encoding: .utf8)
                let path = folder.url("gazetteer-\(step).yaml")
                try gazetteer.replacingOccurrences(of: "Zhongguancun, Zhong Guan Cun, ", with: "")
                    .replacingOccurrences(of: "version: \"2020 divisions\"", with: "version: \"\(step)\"")
                    .write(toFile: path, atomically: true, encoding: .utf8)
                _ = try project.loadGazetteer(path: path)
                done.append("gazetteer")
            default:  // another coder's copy merged in
                let copy = folder.url("copy-\(step).sqlite")
                _ = try project.backup(to: copy)
                let theirs = try Project.open(at: copy)
                let segments = try theirs.read { db in
                    try Int64.fetchAll(db, sql: "SELECT id FROM segment WHERE interviewer = 0 ORDER BY id")
                }
                try theirs.addCoding(.segment(random.pick(segments)), code: "market.government", coder: "cy")
                _ = try project.merge(path: copy)
                done.append("merge")
            }
            let trail = "seed \(seed): " + done.joined(separator: " → ")
            #expect(
                try project.count("SELECT value FROM project_info WHERE key = 'segment_code_fresh'") == 1, "\(trail)")
            let incremental = try project.segmentCodeRows()
            let reported = try reports(project)
            try project.write { db in
                try db.execute(
                    sql:
                        "UPDATE project_info SET value = '0' WHERE key = 'segment_code_fresh'; DELETE FROM report_cache"
                )
            }
            try project.refreshSegmentCodes()
            let rebuilt = try project.segmentCodeRows()
            let differences = Set(incremental).symmetricDifference(rebuilt)
            #expect(incremental.count == rebuilt.count && differences.isEmpty, "\(trail): \(differences.prefix(6))")
            #expect(try reports(project) == reported, "\(trail)")
            if incremental != rebuilt { return }
        }
    }
}

extension SeededGenerator {
    /// A number in 0..<n.
    mutating func below(_ n: Int) -> Int { Int.random(in: 0..<max(n, 1), using: &self) }
    /// One of `items`.
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}
