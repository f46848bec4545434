import Foundation

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
}

extension CodebookError: LocalizedError, CustomStringConvertible {
    public var errorDescription: String? { description }

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
