import Foundation
import GRDB
import QDAKitTestSupport
import Testing

@testable import QDAKit
@testable import QDAStore

@Suite struct ManifestTests {
    let folder: TemporaryDirectory
    let project: Project

    init() throws {
        folder = try TemporaryDirectory()
        project = try Project.inMemory()
        try folder.write("data/a.txt", "R1: The market is strong.\n")
        try folder.write("data/b.txt", "---\nregion: Shanghai\n---\nForeign capital matters.\n")
        try folder.write("data/sub/c.txt", "Suppliers are close.\n")
    }

    func attributes(_ name: String) throws -> [String: String] {
        try project.read { db in
            var result: [String: String] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT key, value FROM document_attribute JOIN document ON document.id = document_id
                    WHERE document.name = ?
                    """, arguments: [name])
            {
                result[row["key"]] = row["value"]
            }
            let document = try Row.fetchOne(
                db, sql: "SELECT region, kind FROM document WHERE name = ?", arguments: [name])
            result["(region)"] = document?["region"]
            result["(kind)"] = document?["kind"]
            return result
        }
    }

    @Test func aCSVManifestGivesMetadataAndFrontMatterWins() throws {
        let path = try folder.write(
            "data/manifest.csv",
            "path,region,kind,role,wave\na.txt,Shenzhen,interview,founder,1\nb.txt,Beijing,,official,1\nsub/c.txt,Guizhou,,,2\n"
        )
        let manifest = try Manifest.load(path)
        let options = IngestOptions(manifest: manifest, defaults: ["region": "Chongqing", "source": "fieldwork"])
        let summary = try project.ingest(paths: [], options: options)
        #expect(summary.failures.isEmpty)
        #expect(summary.added == 3)
        #expect(
            try attributes("a.txt") == [
                "role": "founder", "wave": "1", "source": "fieldwork", "(region)": "Shenzhen", "(kind)": "interview",
            ])
        // Front matter beats the manifest; the manifest beats the command line.
        #expect(try attributes("b.txt")["(region)"] == "Shanghai")
        #expect(try attributes("b.txt")["role"] == "official")
        #expect(try attributes("sub/c.txt")["(region)"] == "Guizhou")
        #expect(try project.dimensions().contains("role"))
    }

    @Test func aYAMLManifestAsAListOrAMapping() throws {
        let list = try folder.write(
            "data/list.yaml",
            "- path: a.txt\n  region: Shenzhen\n  role: founder\n- path: sub/c.txt\n  role: [maker, founder]\n")
        let manifest = try Manifest.load(list)
        #expect(manifest.fields(for: folder.url("data/sub/c.txt")) == ["role": "maker; founder"])
        let mapping = try folder.write("data/map.yml", "a.txt: {region: Shenzhen}\nsub/c.txt:\n  region: Guizhou\n")
        #expect(try Manifest.load(mapping).fields(for: folder.url("data/a.txt")) == ["region": "Shenzhen"])
    }

    @Test func manifestProblemsAreNamedWithTheirLine() throws {
        let noPath = try folder.write("m1.csv", "file_name,region\na.txt,X\n")
        #expect(
            throws: CorpusError.malformedDocument(
                path: noPath, format: "manifest", reason: "line 1: the header needs a 'path' column")
        ) {
            try Manifest.load(noPath)
        }
        let twice = try folder.write("m2.csv", "path,region\na.txt,X\na.txt,Y\n")
        #expect(
            throws: CorpusError.malformedDocument(
                path: twice, format: "manifest", reason: "line 3: 'a.txt' is listed on line 2 too")
        ) {
            try Manifest.load(twice)
        }
        let nested = try folder.write("m3.yaml", "- path: a.txt\n  region: {name: X}\n")
        #expect(
            throws: CorpusError.malformedDocument(
                path: nested, format: "manifest", reason: "line 2: 'region' must be a single value or a list")
        ) {
            try Manifest.load(nested)
        }
    }

    @Test func aListedFileThatIsMissingIsReported() throws {
        let path = try folder.write("data/manifest.csv", "path,region\na.txt,Shenzhen\ngone.txt,Beijing\n")
        let summary = try project.ingest(paths: [], options: IngestOptions(manifest: try Manifest.load(path)))
        #expect(summary.added == 1)
        #expect(summary.failures.map(\.path) == [folder.url("data/gone.txt")])
        #expect(summary.failures.first?.reason.contains("line 3, but not found") == true)
    }

    @Test func otherOptionsReadAnUnchangedFileAgain() throws {
        _ = try project.ingest(paths: [folder.url("data/a.txt")])
        let same = try project.ingest(paths: [folder.url("data/a.txt")])
        #expect(same.skipped == 1)
        let sentences = try project.ingest(paths: [folder.url("data/a.txt")], options: IngestOptions(unit: .sentence))
        #expect(sentences.replaced == 1)
        let region = try project.ingest(
            paths: [folder.url("data/a.txt")], options: IngestOptions(unit: .sentence, defaults: ["region": "Beijing"]))
        #expect(region.replaced == 1)
        #expect(try attributes("a.txt")["(region)"] == "Beijing")
        #expect(try project.count("SELECT COUNT(*) FROM document") == 1)
    }

    @Test func attributesAreReportDimensions() throws {
        let path = try folder.write(
            "data/manifest.csv", "path,role\na.txt,founder\nb.txt,official\nsub/c.txt,founder\n")
        _ = try project.ingest(paths: [], options: IngestOptions(manifest: try Manifest.load(path)))
        _ = try project.loadCodebook(path: try folder.write("cb.yaml", Fixtures.tinyCodebook))
        try folder.write("data/d.txt", "The market demand is strong.\n")
        _ = try project.ingest(paths: [folder.url("data/d.txt")])
        _ = try project.autoCode()
        let matrix = try RegionMatrix(project: project, columns: .code, level: .attribute("role"))
        #expect(matrix.dimension == "role")
        #expect(matrix.regions.map(\.region) == ["founder", "official", nil])
        #expect(matrix.regions.map(\.segments) == [2, 1, 1])
        let demand = try #require(matrix.columns.firstIndex { $0.key == "market.demand" })
        #expect(matrix.cells.map { $0[demand].segments } == [0, 0, 1])
    }
}
