import Foundation
import QDAAnalysis
import QDACodebook
import QDACorpus
import QDAFormats
import QDAMatching
import QDAText

/// An error that reaches the user as a sentence naming the file and what to do.
///
/// Every case carries enough context (file, line, byte offset) for the message to be
/// acted on without a stack trace.
public enum QDAError: Error, Equatable, Sendable {
    /// A file or folder given on the command line does not exist or cannot be read.
    case unreadable(path: String, reason: String)
    /// A document in a container format (.docx, .odt, .pdf, .rtf, .csv, ...) is damaged or
    /// cannot be read; `reason` says what was wrong.
    case malformedDocument(path: String, format: String, reason: String)
    /// No project file exists at the given path.
    case projectNotFound(path: String)
    /// The project file exists but is not a `qda` project (or is damaged).
    case notAProject(path: String, reason: String)
    /// The project has no codebook loaded.
    case noCodebook
    /// Re-ingesting a changed file would drop codings made by people.
    case wouldDropHumanCodings(document: String, count: Int)
    /// A value given by the user is not valid (flag values, attribute values).
    case invalidArgument(String)
    /// Another command held the project for longer than the busy timeout.
    case busy(path: String, seconds: Double)
    /// A region has fewer segments than a rating needs (`minimumSegments`).
    case regionNotRated(region: String, minimumSegments: Int)
    /// A region is not among those a report rates (`rated`).
    case noSuchRegion(region: String, rated: [String])
    /// No codings by `coder`; `coders` are those who coded.
    case unknownCoder(coder: String, coders: [String])
    /// Agreement needs two coders or more; `coders` are those who coded.
    case tooFewCoders(coders: [String])
}

extension QDAError: LocalizedError, CustomStringConvertible {
    public var errorDescription: String? { description }

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "\(path): cannot be read (\(reason))."
        case .malformedDocument(let path, let format, let reason):
            return "\(path): not a readable \(format) file (\(reason))."
        case .projectNotFound(let path):
            return "\(path): no project here; create one there, or open another file."
        case .notAProject(let path, let reason):
            return "\(path): not a qda project (\(reason))."
        case .noCodebook:
            return "The project has no codebook; load one (the bundled one: codebooks/china-regional-innovation.yaml)."
        case .wouldDropHumanCodings(let document, let count):
            return
                "\(document): the file changed, but its old version carries \(count) coding\(count == 1 ? "" : "s"), "
                + "memo\(count == 1 ? "" : "s") or review decision\(count == 1 ? "" : "s") made by people; replacing it "
                + "would lose them. Ingest the new version under another name."
        case .invalidArgument(let message):
            return message
        case .regionNotRated(let region, let minimumSegments):
            return
                "\(region) has fewer than \(minimumSegments) segments and is not rated; lower the minimum of segments."
        case .noSuchRegion(let region, let rated):
            return "No region '\(region)'; the rated regions are: \(rated.joined(separator: ", "))."
        case .unknownCoder(let coder, let coders):
            return "No codings by '\(coder)'; the coders are: \(coders.joined(separator: ", "))."
        case .tooFewCoders(let coders):
            return
                "Agreement needs two coders or more; this project has: \(coders.joined(separator: ", ")). "
                + "Name them (auto is the auto-coder)."
        case .busy(let path, let seconds):
            return
                "\(path): another qda command is writing to this project (waited \(String(format: "%g", seconds)) s); "
                + "run this one again when it has finished."
        }
    }
}
