/// One problem found while validating a codebook or gazetteer, with the line it is on.
public struct ValidationProblem: Sendable, Equatable, CustomStringConvertible {
    /// Whether a problem stops a load (`error`) or is only reported (`warning`).
    public enum Severity: String, Sendable {
        case error
        case warning
    }

    /// Whether the problem stops the load.
    public var severity: Severity
    /// 1-based line in the codebook file, when known.
    public var line: Int?
    /// What is wrong, as a sentence.
    public var message: String

    /// Creates the value from its fields.
    public init(_ severity: Severity, line: Int?, _ message: String) {
        self.severity = severity
        self.line = line
        self.message = message
    }

    /// `file:line: error: message`, the form editors and compilers use.
    public func formatted(file: String) -> String {
        let location = line.map { "\(file):\($0)" } ?? file
        return "\(location): \(severity.rawValue): \(message)"
    }

    /// The problem as `codebook:LINE: severity: message`.
    public var description: String { formatted(file: "codebook") }
}
