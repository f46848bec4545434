import Foundation
import GRDB
import QDAKitTestSupport
import Synchronization
import Testing

@testable import QDAKit
@testable import QDAStore

/// The kill harness: `qda ingest`, `code`, `import` and `merge` are killed (SIGKILL) at
/// random moments on a sizeable corpus; after every kill the file passes `PRAGMA
/// integrity_check` and `qda check`, no document is half-present, people's codings are
/// all there, and running the command again ends in the state an uninterrupted run
/// gives. `QDA_KILLS` sets the kills per command (3 by default; `Tests/kill-harness.sh`
/// runs 100).
@Suite(.serialized) struct CrashSafetyTests {
    static let root = Fixtures.repositoryRoot
    static let kills = ProcessInfo.processInfo.environment["QDA_KILLS"].flatMap(Int.init) ?? 3

    static let copies = 8

    let qda: CommandRunner
    let folder: TemporaryDirectory
    let documents: Int
    /// Kills that stopped a running command, by command.
    let interrupted = Tally()

    final class Tally: Sendable {
        let counts = Mutex<[String: Int]>([:])
        func withLock<T>(_ body: (inout [String: Int]) -> T) -> T { counts.withLock { body(&$0) } }
    }

    /// Says how many kills hit a running command (the others came after it finished).
    func report(_ command: String) {
        let count = interrupted.withLock { $0[command] ?? 0 }
        print("kill harness: qda \(command): \(Self.kills) kills, \(count) while it ran; the file checked after each")
    }

    init() throws {
        qda = try CommandRunner()
        folder = try TemporaryDirectory()
        // A corpus of many documents: the demo corpus in numbered copies.
        let corpus = Self.root + "/corpus"
        let files = try FileManager.default.subpathsOfDirectory(atPath: corpus).filter {
            $0.hasSuffix(".txt")
        }.sorted()
        documents = files.count * Self.copies
        for copy in 1...Self.copies {
            for file in files {
                let text = try String(contentsOfFile: corpus + "/" + file, encoding: .utf8)
                try folder.write("corpus/\(copy)/\(file)", text + "\n\nCopy \(copy) of \(file).\n")
            }
        }
    }

    func run(_ arguments: String...) throws -> CommandRunner.Result {
        let result = try qda.run(arguments, in: folder.path)
        #expect(result.status == 0, "qda \(arguments.joined(separator: " ")): \(result.stderr)")
        return result
    }

    /// The project's content, for comparing a run with an uninterrupted one.
    struct State: Equatable {
        var documents: [String]
        var codings: [String]
    }

    func state(_ file: String) throws -> State {
        let project = try Project.open(at: folder.url(file))
        return try project.read { db in
            State(
                documents: try String.fetchAll(
                    db,
                    sql: """
                        SELECT d.name || ' ' || d.sha256 || ' ' || COUNT(s.id) FROM document d
                        LEFT JOIN segment s ON s.document_id = d.id GROUP BY d.id ORDER BY d.name
                        """),
                codings: try String.fetchAll(
                    db,
                    sql: """
                        SELECT d.name || ' ' || c.start_offset || '-' || c.end_offset || ' ' || k.key || ' ' || c.coder
                        FROM coding c JOIN document d ON d.id = c.document_id JOIN code k ON k.id = c.code_id
                        ORDER BY 1
                        """))
        }
    }

    /// Integrity, the invariants of `qda check`, and no document without its segments.
    func expectSound(_ file: String, after: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        guard FileManager.default.fileExists(atPath: folder.url(file)) else { return }
        let project = try Project.open(at: folder.url(file))
        for result in try project.check() where !result.ok {
            Issue.record("after \(after): \(result.name): \(result.examples)", sourceLocation: sourceLocation)
        }
        let empty = try project.read { db in
            try Int.fetchOne(
                db,
                sql: "SELECT COUNT(*) FROM document WHERE length > 0 AND id NOT IN (SELECT document_id FROM segment)")
        }
        #expect(empty == 0, "after \(after): documents without segments", sourceLocation: sourceLocation)
    }

    /// Runs `arguments` and kills it after a random share of `duration`; returns what the
    /// kill interrupted, for messages.
    func kill(_ arguments: [String], within duration: Double, _ index: Int) throws -> String {
        let delay = Double.random(in: 0...(duration * 1.1))
        let process = try qda.start(arguments, in: folder.path)
        Thread.sleep(forTimeInterval: delay)
        let finished = !process.isRunning
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        if !finished { interrupted.withLock { $0[arguments.first ?? "", default: 0] += 1 } }
        return "kill \(index) of qda \(arguments.first ?? "") at \(String(format: "%.3f", delay)) s"
            + (finished ? " (it had finished)" : "")
    }

    func timed(_ body: () throws -> Void) rethrows -> Double {
        let start = Date()
        try body()
        return Date().timeIntervalSince(start)
    }

    @Test func killedIngestLeavesAllOrNothingAndARunCompletesIt() throws {
        let duration = try timed { _ = try run("ingest", "corpus", "--project", "reference.sqlite") }
        let reference = try state("reference.sqlite")
        #expect(reference.documents.count == documents)
        for index in 1...Self.kills {
            try? FileManager.default.removeItem(atPath: folder.url("p.sqlite"))
            let what = try kill(["ingest", "corpus", "--project", "p.sqlite"], within: duration, index)
            try expectSound("p.sqlite", after: what)
            if FileManager.default.fileExists(atPath: folder.url("p.sqlite")) {
                let documents = try state("p.sqlite").documents
                #expect(documents.isEmpty || documents == reference.documents, "\(what): half an ingest")
            }
            _ = try run("ingest", "corpus", "--project", "p.sqlite")
            #expect(try state("p.sqlite") == reference, "\(what): the re-run differs")
        }
        report("ingest")
    }

    @Test func killedCodingKeepsPeoplesCodingsAndEachDocumentWhole() throws {
        _ = try run("ingest", "corpus", "--project", "base.sqlite")
        _ = try run(
            "codebook", "load", Self.root + "/codebooks/china-regional-innovation.yaml", "--project", "base.sqlite")
        let people = try run("segments", "--project", "base.sqlite", "--format", "json", "--limit", "3")
        let ids = try #require(
            (try JSONSerialization.jsonObject(with: Data(people.stdout.utf8)) as? [String: Any])?["segments"]
                as? [[String: Any]]
        ).compactMap { $0["id"] as? Int }
        #expect(ids.count == 3)
        for id in ids {
            _ = try run(
                "code", "add", "--segment", "\(id)", "market.orientation", "--coder", "ann", "--project", "base.sqlite")
        }
        try FileManager.default.copyItem(atPath: folder.url("base.sqlite"), toPath: folder.url("reference.sqlite"))
        let duration = try timed { _ = try run("code", "--project", "reference.sqlite") }
        let reference = try state("reference.sqlite")
        let humans = reference.codings.filter { $0.hasSuffix(" ann") }
        #expect(humans.count == 3)
        for index in 1...Self.kills {
            for suffix in ["", "-wal", "-shm"] {
                try? FileManager.default.removeItem(atPath: folder.url("p.sqlite") + suffix)
            }
            try FileManager.default.copyItem(atPath: folder.url("base.sqlite"), toPath: folder.url("p.sqlite"))
            let what = try kill(["code", "--project", "p.sqlite"], within: duration, index)
            try expectSound("p.sqlite", after: what)
            let now = try state("p.sqlite")
            #expect(now.codings.filter { $0.hasSuffix(" ann") } == humans, "\(what): people's codings changed")
            // Each document is coded wholly or not at all.
            let project = try Project.open(at: folder.url("p.sqlite"))
            let coded = Set(
                try project.read { db in
                    try String.fetchAll(
                        db, sql: "SELECT d.name FROM coding_state s JOIN document d ON d.id = s.document_id")
                })
            for line in reference.codings where !line.hasSuffix(" ann") {
                let document = String(line.prefix { $0 != " " })
                #expect(
                    now.codings.contains(line) == coded.contains(document), "\(what): \(document) is half coded")
            }
            _ = try run("code", "--project", "p.sqlite")
            #expect(try state("p.sqlite") == reference, "\(what): the re-run differs")
        }
        report("code")
    }

    @Test func killedImportAndMergeAreAllOrNothing() throws {
        _ = try run(
            "analyze", "corpus", "--codebook", Self.root + "/codebooks/china-regional-innovation.yaml", "--project",
            "source.sqlite")
        _ = try run("export", "qdpx", "study.qdpx", "--project", "source.sqlite")
        let importing = try timed { _ = try run("import", "study.qdpx", "--project", "reference.sqlite") }
        let reference = try state("reference.sqlite")
        #expect(reference.documents.count == documents)
        for index in 1...Self.kills {
            for suffix in ["", "-wal", "-shm"] {
                try? FileManager.default.removeItem(atPath: folder.url("p.sqlite") + suffix)
            }
            let what = try kill(["import", "study.qdpx", "--project", "p.sqlite"], within: importing, index)
            try expectSound("p.sqlite", after: what)
            if FileManager.default.fileExists(atPath: folder.url("p.sqlite")) {
                let now = try state("p.sqlite")
                #expect(now.documents.isEmpty || now == reference, "\(what): half an import")
            }
            _ = try run("import", "study.qdpx", "--project", "p.sqlite")
            #expect(try state("p.sqlite") == reference, "\(what): the re-run differs")
        }
        report("import")

        // Merge: bo coded a copy in parallel.
        try FileManager.default.copyItem(atPath: folder.url("source.sqlite"), toPath: folder.url("bo.sqlite"))
        for id in [1, 2, 3, 5, 8] {
            _ = try run(
                "code", "add", "--segment", "\(id)", "mindset.agency", "--coder", "bo", "--project", "bo.sqlite")
        }
        try FileManager.default.copyItem(atPath: folder.url("source.sqlite"), toPath: folder.url("merged.sqlite"))
        let merging = try timed { _ = try run("merge", "bo.sqlite", "--project", "merged.sqlite") }
        let merged = try state("merged.sqlite")
        #expect(merged.codings.filter { $0.hasSuffix(" bo") }.count == 5)
        for index in 1...Self.kills {
            for suffix in ["", "-wal", "-shm"] {
                try? FileManager.default.removeItem(atPath: folder.url("m.sqlite") + suffix)
            }
            try FileManager.default.copyItem(atPath: folder.url("source.sqlite"), toPath: folder.url("m.sqlite"))
            let what = try kill(["merge", "bo.sqlite", "--project", "m.sqlite"], within: merging, index)
            try expectSound("m.sqlite", after: what)
            let bo = try state("m.sqlite").codings.filter { $0.hasSuffix(" bo") }.count
            #expect(bo == 0 || bo == 5, "\(what): half a merge (\(bo) of 5)")
            _ = try run("merge", "bo.sqlite", "--project", "m.sqlite")
            #expect(try state("m.sqlite") == merged, "\(what): the re-run differs")
        }
        report("merge")
    }
}
