import Foundation
import QDAKitTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `qda serve` as a script uses it: the first line of standard output is the address with
/// the launch token, the token opens the API, and SIGINT ends the server with status 0.
@Suite struct ServeCommandTests {
    @Test func theFirstLineIsTheAddressAndSIGINTEndsIt() async throws {
        let qda = try CommandRunner()
        let folder = try TemporaryDirectory()
        #expect(try qda.run(["init", "--project", "p.sqlite"], in: folder.path).status == 0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: qda.executable)
        process.arguments = ["serve", "--port", "0", "--project", "p.sqlite"]
        process.currentDirectoryURL = URL(fileURLWithPath: folder.path)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        // The first line, read byte by byte up to the newline.
        var line = Data()
        let handle = output.fileHandleForReading
        while let byte = try handle.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line += byte }
        let url = String(decoding: line, as: UTF8.self)
        let match = try #require(url.wholeMatch(of: /http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]{64})/))
        let base = "http://127.0.0.1:\(match.1)"
        var request = URLRequest(url: URL(string: base + "/api/documents")!)
        request.setValue("Bearer \(match.2)", forHTTPHeaderField: "Authorization")
        let (body, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: body, as: UTF8.self) == "[]")
        let (_, refused) = try await URLSession.shared.data(from: URL(string: base + "/api/documents")!)
        #expect((refused as? HTTPURLResponse)?.statusCode == 401)
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
