public import Foundation

/// Runs the built `qda` binary, as a user would, and captures what it prints.
public struct CommandRunner: Sendable {
    /// What a run of the binary did.
    public struct Result: Sendable {
        /// The exit status.
        public var status: Int32
        /// Everything written to standard output.
        public var stdout: String
        /// Everything written to standard error.
        public var stderr: String
    }

    /// The path of the built `qda` binary.
    public let executable: String

    /// Finds `qda` next to the running test bundle (`.build/<config>/`).
    public init() throws {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("qda").path
            if FileManager.default.isExecutableFile(atPath: candidate) {
                executable = candidate
                return
            }
            folder = folder.deletingLastPathComponent()
        }
        let fallback = Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("qda").path
        guard FileManager.default.isExecutableFile(atPath: fallback) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "qda executable"])
        }
        executable = fallback
    }

    /// Runs `qda arguments…` in `directory` with `environment` added to a minimal one, and
    /// `input` (if any) on its standard input.
    public func run(
        _ arguments: [String], in directory: String, environment: [String: String] = [:], input: String? = nil
    ) throws -> Result {
        let process = makeProcess(arguments, in: directory, environment: environment)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        // Read before waiting so a large report cannot fill the pipe and block the child;
        // standard error is read second, which is safe because qda writes little there.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Starts `qda arguments…` in `directory` without waiting, output discarded, so a
    /// test can kill it; `wait` or `kill` it.
    public func start(_ arguments: [String], in directory: String, environment: [String: String] = [:]) throws
        -> Process
    {
        let process = makeProcess(arguments, in: directory, environment: environment)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// `qda arguments…` in `directory`, with `environment` added to a minimal one.
    private func makeProcess(_ arguments: [String], in directory: String, environment: [String: String]) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        // The tests' own PATH, so that a program hidden from them (pdftotext, for the
        // fresh-clone check) is hidden from qda too.
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        var env = ["PATH": path, "HOME": directory, "COLUMNS": "80"]
        for (key, value) in environment { env[key] = value }
        process.environment = env
        return process
    }
}
