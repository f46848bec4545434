public import Foundation

/// What goes wrong reading a codebook or a gazetteer: every case names the file, and the
/// line and problem where there is one.
public enum CodebookError: Error, Equatable, Sendable {
    /// The file cannot be read at all.
    case unreadable(path: String, reason: String)
    /// The file is not UTF-8 text: the byte offset and what was found there.
    case invalidEncoding(path: String, byteOffset: Int, detail: String)
    /// The codebook has problems (errors and warnings, each with its line); nothing loaded.
    case invalidCodebook(path: String, problems: [ValidationProblem])
    /// The gazetteer has problems; nothing loaded.
    case invalidGazetteer(path: String, problems: [ValidationProblem])
    /// An edit names a code or group the codebook does not have.
    case noSuchCode(String)
    /// An edit would make a key the codebook has already.
    case codeExists(String)
    /// A rename would take `code` out of its group (`group`, empty for the top level).
    case renameLeavesGroup(code: String, group: String)
    /// An edit that cannot be made, said in a sentence.
    case invalidEdit(String)
    /// The codebook to be edited cannot be read or written back: why.
    case editFailed(String)
}

extension CodebookError: LocalizedError, CustomStringConvertible {
    /// The description, for `localizedDescription`.
    public var errorDescription: String? { description }

    /// The problem as a sentence that names the file (or the key) and what is wrong, in no client's terms.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "\(path): cannot be read (\(reason))."
        case .invalidEncoding(let path, let offset, let detail):
            return
                "\(path): cannot be read as text at byte \(offset) (\(detail)). "
                + "Save it as UTF-8."
        case .invalidCodebook(let path, let problems):
            let errors = problems.filter { $0.severity == .error }
            var text =
                "\(path): the codebook has \(errors.count) problem\(errors.count == 1 ? "" : "s"); nothing was loaded."
            for problem in problems {
                text += "\n  " + problem.formatted(file: path)
            }
            return text
        case .noSuchCode(let key):
            return "No code or group '\(key)' in the codebook."
        case .codeExists(let key):
            return "The code '\(key)' exists already."
        case .renameLeavesGroup(_, let group):
            return
                "A rename keeps the code under \(group.isEmpty ? "the top level" : group); move it to change its group."
        case .invalidEdit(let sentence):
            return sentence
        case .editFailed(let reason):
            return "The codebook cannot be edited: \(reason)."
        case .invalidGazetteer(let path, let problems):
            var text =
                "\(path): the gazetteer has \(problems.count) problem\(problems.count == 1 ? "" : "s"); nothing was loaded."
            for problem in problems {
                text += "\n  " + problem.formatted(file: path)
            }
            return text
        }
    }
}
