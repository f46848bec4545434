public import Foundation

/// What goes wrong when matching a file directly (the benchmark's corpus counter): the
/// file, and why.
public enum MatchingError: Error, Equatable, Sendable {
    /// The file cannot be opened or mapped.
    case unreadable(path: String, reason: String)
    /// A keyword list names the same keyword twice.
    case duplicateKeyword(String)
}

extension MatchingError: LocalizedError, CustomStringConvertible {
    /// The description, for `localizedDescription`.
    public var errorDescription: String? { description }

    /// The problem as a sentence that names the file (or the key) and what is wrong, in no client's terms.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "\(path): cannot be read (\(reason))."
        case .duplicateKeyword(let keyword): return "duplicate keyword \(keyword)"
        }
    }
}
