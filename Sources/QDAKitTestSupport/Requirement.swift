import Foundation
public import Testing

/// Something a test needs from outside the package: a program on `PATH`, a Python module,
/// a folder beside the checkout (`../shared`).
///
/// On a developer's machine a test whose requirement is missing is skipped, with one line
/// that says what to install. Under CI (`CI` set in the environment, as `.ci/run` runs)
/// it is never skipped: it runs and fails, so that a test cannot silently stop running
/// because an install step went missing.
public struct Requirement: Sendable, CustomStringConvertible {
    /// What is needed, as a person would name it.
    public var name: String
    /// How to get it ("apt-get install poppler-utils").
    public var remedy: String
    /// Whether it is there.
    public var isMet: Bool

    /// A requirement named `name`, met or not, with what to do when it is not.
    public init(name: String, remedy: String, isMet: Bool) {
        self.name = name
        self.remedy = remedy
        self.isMet = isMet
    }

    /// True when the tests run under CI, where every requirement must be met.
    public static let underCI: Bool = {
        let value = ProcessInfo.processInfo.environment["CI"]?.lowercased() ?? ""
        return !value.isEmpty && value != "0" && value != "false"
    }()

    /// A program found on `PATH`.
    public static func program(_ name: String, package: String) -> Requirement {
        Requirement(
            name: "`\(name)`", remedy: "apt-get install \(package)", isMet: ProgramLocator.find(name) != nil)
    }

    /// A file or folder, given relative to the package root.
    public static func path(_ relative: String, what: String) -> Requirement {
        Requirement(
            name: "\(what) (\(relative))", remedy: "run the tests in a checkout with \(relative) beside it",
            isMet: FileManager.default.fileExists(atPath: ProgramLocator.packageRoot + "/" + relative))
    }

    /// A Python module importable by `python3`.
    public static func pythonModule(_ module: String, package: String) -> Requirement {
        Requirement(
            name: "the Python module `\(module)`", remedy: "python3 -m pip install \(package)",
            isMet: ProgramLocator.pythonHas(module))
    }

    /// poppler's `pdftotext` on `PATH` (PDF input).
    public static let pdftotext = program("pdftotext", package: "poppler-utils")
    /// libxml2's `xmllint` on `PATH` (checking exported REFI-QDA files against the schemas).
    public static let xmllint = program("xmllint", package: "libxml2-utils")
    /// The REFI-QDA files from other tools beside the checkout.
    public static let refiSamples = path("../shared/refi-samples", what: "the REFI-QDA samples")
    /// The benchmark's corpus generator and peer matchers beside the checkout.
    public static let benchPeers = path("../shared/bench", what: "the benchmark peers")
    /// The Python module `ahocorasick` (the benchmark's peer).
    public static let pyahocorasick = pythonModule("ahocorasick", package: "pyahocorasick")

    /// The line a skipped test prints.
    public var description: String { "needs \(name), which is missing: \(remedy)" }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test when every requirement is met, and always under CI; skips it
    /// otherwise with a line naming what to install.
    public static func requires(_ requirements: Requirement...) -> Self {
        let missing = requirements.filter { !$0.isMet }
        let comment = Comment(rawValue: missing.map(\.description).joined(separator: "; "))
        return .enabled(if: Requirement.underCI || missing.isEmpty, comment)
    }
}

/// Finds programs and the package's own folder, for `Requirement`.
public enum ProgramLocator {
    /// The package root: three folders above this file.
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().standardizedFileURL.path

    /// The program's path on `PATH`, or nil.
    public static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = String(folder) + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func pythonHas(_ module: String) -> Bool {
        guard let python = find("python3") else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import \(module)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus == 0
        } catch {
            return false
        }
    }
}
