/// Why a file for another program cannot be written. (Reading one that is damaged is a
/// `CorpusError`, as for every file read.)
public enum FormatError: Error, Equatable, Sendable {
    /// The archive (`.qdpx`) cannot be made: why.
    case archiveFailed(reason: String)
}

extension FormatError: CustomStringConvertible {
    /// The problem as a sentence that names the file (or the key) and what is wrong, in no client's terms.
    public var description: String {
        switch self {
        case .archiveFailed(let reason): return "The .qdpx archive cannot be made (\(reason))."
        }
    }
}
