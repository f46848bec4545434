import Foundation
import Testing

@testable import QDAKit

/// Every input that once crashed a fuzz target (`Fixtures/fuzz/TARGET/`) is replayed: it
/// must now end in a clear error or a result, never a crash (docs/testing.md).
@Suite struct FuzzRegressionTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Fixtures/fuzz"

    static var inputs: [String] {
        let targets = (try? FileManager.default.contentsOfDirectory(atPath: fixtures)) ?? []
        return targets.sorted().flatMap { target in
            ((try? FileManager.default.contentsOfDirectory(atPath: fixtures + "/" + target)) ?? []).sorted().map {
                "\(target)/\($0)"
            }
        }
    }

    @Test func everyTargetIsKnownAndTakesAnEmptyInput() {
        for name in FuzzTargets.names {
            #expect(FuzzTargets.run(name, Data()), "\(name)")
        }
        #expect(!FuzzTargets.run("no-such-target", Data()))
    }

    @Test(arguments: inputs)
    func aFormerCrashIsNowAnAnswer(input: String) throws {
        let target = String(input.prefix { $0 != "/" })
        #expect(FuzzTargets.names.contains(target), "\(input): unknown target folder")
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/" + input))
        #expect(FuzzTargets.run(target, data))
    }
}
