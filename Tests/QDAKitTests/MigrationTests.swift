import Foundation
import GRDB
import QDAKitTestSupport
import Testing

@testable import QDAKit

/// Project files written by every released schema version open, migrate and report the
/// same numbers (Fixtures/projects/README.md).
@Suite struct MigrationTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Fixtures/projects"

    /// The matrix JSON without the fields later versions added.
    func numbers(_ json: String) throws -> NSDictionary {
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] ?? [:]
        return object.filter { $0.key != "dimension" } as NSDictionary
    }

    @Test(arguments: ["schema-v1"])
    func anEarlierProjectMigratesAndReportsTheSameNumbers(version: String) throws {
        let folder = try TemporaryDirectory()
        let copy = folder.url("old.sqlite")
        try FileManager.default.copyItem(atPath: Self.fixtures + "/\(version).sqlite", toPath: copy)
        let project = try Project.open(at: copy)
        let matrix = try RegionMatrix(project: project, columns: .code)
        let now = try ReportRendering.render(matrix, measure: .segments, format: .json)
        let then = try String(contentsOfFile: Self.fixtures + "/\(version)-matrix.json", encoding: .utf8)
        #expect(try numbers(now) == numbers(then))
        // Migrated documents say how they were read, so an unchanged file is not read again.
        let row = try project.read { db in
            try Row.fetchOne(db, sql: "SELECT source, format, encoding, options FROM document ORDER BY id LIMIT 1")
        }
        #expect(row?["format"] == "text")
        #expect(row?["encoding"] == "UTF-8")
        #expect(row?["options"] == "unit=turn")
        #expect((row?["source"] as String?)?.hasSuffix(".txt") == true)
        #expect(try project.count("SELECT COUNT(*) FROM segment WHERE page IS NOT NULL") == 0)
    }
}
