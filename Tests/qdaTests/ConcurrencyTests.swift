import Foundation
import GRDB
import QDAKitTestSupport
import Testing

@testable import QDAKit
@testable import QDAStore

/// Two terminals on one project: a second writer waits for the first (or says clearly
/// that it is busy), readers run while a writer works, and `qda backup` takes a
/// consistent copy meanwhile; `qda check` finds broken invariants.
@Suite(.serialized) struct ConcurrencyTests {
    static let root = Fixtures.repositoryRoot

    let qda: CommandRunner
    let folder: TemporaryDirectory

    init() throws {
        qda = try CommandRunner()
        folder = try TemporaryDirectory()
        let result = try qda.run(
            [
                "analyze", Self.root + "/corpus", "--codebook", Self.root + "/codebooks/china-regional-innovation.yaml",
                "--project", "p.sqlite",
            ], in: folder.path)
        #expect(result.status == 0, "\(result.stderr)")
    }

    func count(_ project: Project, _ sql: String) throws -> Int {
        try project.read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
    }

    /// Holds the write lock of `project` (p.sqlite by default) for `seconds` on another
    /// thread, as another command writing would (a first ingest with `firstFill`); returns
    /// when the lock is held.
    func holdWriteLock(_ seconds: Double, on project: Project? = nil, firstFill: Bool = false) throws {
        let project = try project ?? Project.open(at: folder.url("p.sqlite"))
        let held = DispatchSemaphore(value: 0)
        let thread = Thread {
            let hold = { (db: Database) in
                try db.execute(sql: "INSERT INTO project_info (key, value) VALUES ('held', '1')")
                held.signal()
                Thread.sleep(forTimeInterval: seconds)
                try db.execute(sql: "DELETE FROM project_info WHERE key = 'held'")
            }
            _ = try? firstFill ? project.writeFirstFill(hold) : project.write(hold)
        }
        thread.start()
        held.wait()
    }

    @Test func aSecondWriterWaitsOrSaysTheProjectIsBusy() throws {
        try holdWriteLock(4)
        // A reader does not wait (WAL), nor does it wait to cache its numbers.
        let report = try qda.run(["report", "matrix", "--project", "p.sqlite"], in: folder.path)
        #expect(report.status == 0, "\(report.stderr)")
        // A writer that will not wait long enough is told why.
        let impatient = try qda.run(
            ["code", "add", "market.orientation", "--segment", "1", "--coder", "ann", "--project", "p.sqlite"],
            in: folder.path, environment: ["QDA_BUSY_TIMEOUT": "0.2"])
        #expect(impatient.status == 1)
        #expect(impatient.stderr.contains("another qda command is writing to this project (waited 0.2 s)"))
        // One that waits gets its turn.
        let patient = try qda.run(
            ["code", "add", "market.orientation", "--segment", "1", "--coder", "ann", "--project", "p.sqlite"],
            in: folder.path)
        #expect(patient.status == 0, "\(patient.stderr)")
        let project = try Project.open(at: folder.url("p.sqlite"))
        #expect(try project.codingRecords(coders: ["ann"]).count == 1)
    }

    @Test func aCommandDuringAFirstIngestWaitsOrSaysTheProjectIsBusy() throws {
        // A first ingest writes through a rollback journal (Project.writeFirstFill), which
        // no reader can share: another command waits for it, as for a second writer.
        let fresh = try Project.create(at: folder.url("fresh.sqlite"))
        try holdWriteLock(2, on: fresh, firstFill: true)
        let impatient = try qda.run(
            ["report", "matrix", "--project", "fresh.sqlite"], in: folder.path,
            environment: ["QDA_BUSY_TIMEOUT": "0.2"])
        #expect(impatient.status == 1)
        #expect(impatient.stderr.contains("another qda command is writing to this project (waited 0.2 s)"))
        let patient = try qda.run(["check", "--project", "fresh.sqlite"], in: folder.path)
        #expect(patient.status == 0, "\(patient.stderr) \(patient.stdout)")
    }

    @Test func parallelWritersAllLand() throws {
        // Eight people code at once; every coding arrives.
        let processes = try (1...8).map { id in
            try qda.start(
                ["code", "add", "mindset.agency", "--segment", "\(id)", "--coder", "p\(id)", "--project", "p.sqlite"],
                in: folder.path)
        }
        for process in processes { process.waitUntilExit() }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 })
        let project = try Project.open(at: folder.url("p.sqlite"))
        #expect(try project.codingRecords().filter { $0.coder.hasPrefix("p") }.count == 8)
        #expect(try project.check().allSatisfy(\.ok))
    }

    @Test func aBackupIsConsistentWhileAWriterWorks() throws {
        try holdWriteLock(1.0)
        let result = try qda.run(["backup", "copy.sqlite", "--project", "p.sqlite"], in: folder.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("integrity checked"))
        // The copy holds the state before the uncommitted write, and checks out.
        let copy = try Project.open(at: folder.url("copy.sqlite"))
        #expect(try count(copy, "SELECT COUNT(*) FROM project_info WHERE key = 'held'") == 0)
        #expect(try copy.check().allSatisfy(\.ok))
        #expect(
            try count(copy, "SELECT COUNT(*) FROM coding")
                == count(Project.open(at: folder.url("p.sqlite")), "SELECT COUNT(*) FROM coding"))
        // An existing file is not overwritten.
        let again = try qda.run(["backup", "copy.sqlite", "--project", "p.sqlite"], in: folder.path)
        #expect(again.status == 1)
        #expect(again.stderr.contains("a file already exists here; name a new backup file."))
    }

    @Test func checkFindsBrokenInvariants() throws {
        let sound = try qda.run(["check", "--project", "p.sqlite"], in: folder.path)
        #expect(sound.status == 0, "\(sound.stderr)")
        #expect(sound.stdout.contains("all 8 checks passed"))
        _ = try qda.run(["report", "matrix", "--project", "p.sqlite"], in: folder.path)
        let project = try Project.open(at: folder.url("p.sqlite"))
        try project.write { db in
            try db.execute(sql: "UPDATE coding SET end_offset = end_offset + 100000 WHERE id = 1")
            try db.execute(
                sql: "UPDATE segment SET end_offset = end_offset + 100000 WHERE id = (SELECT MAX(id) FROM segment)")
            try db.execute(sql: "UPDATE project_info SET value = 'x' WHERE key = 'codebook_sha256'")
            // A coding deleted by hand: the report cache still counts it.
            try db.execute(sql: "DELETE FROM coding WHERE id = (SELECT MAX(id) FROM coding)")
        }
        func failedChecks(_ arguments: [String]) throws -> (status: Int32, failed: [String], stderr: String) {
            let result = try qda.run(
                ["check", "--project", "p.sqlite", "--format", "json"] + arguments, in: folder.path)
            let checks = try #require(
                (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])?["checks"]
                    as? [[String: Any]])
            return (
                result.status, checks.filter { ($0["ok"] as? Bool) == false }.compactMap { $0["name"] as? String },
                result.stderr
            )
        }
        let broken = try failedChecks([])
        #expect(broken.status == 2)
        #expect(
            broken.failed == [
                "segments lie in their document's text", "codings lie inside their segment and document",
                "the current codebook's hash is recorded", "the report cache holds every coding",
            ])
        // --repair rebuilds the report cache; what it cannot know stays reported.
        let repaired = try failedChecks(["--repair"])
        #expect(repaired.status == 2)
        #expect(repaired.stderr.contains("Rebuilt the report cache ("), "\(repaired.stderr)")
        #expect(
            repaired.failed == [
                "segments lie in their document's text", "codings lie inside their segment and document",
                "the current codebook's hash is recorded",
            ])
    }
}
