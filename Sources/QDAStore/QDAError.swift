public import Foundation
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
    /// A file is where a new one (a project, a backup) was to be written.
    case fileExists(path: String)
    /// A copy of the project (a backup) could not be made: why.
    case copyFailed(path: String, reason: String)
    /// A REFI-QDA project is imported only into a project without documents.
    case projectNotEmpty(documents: Int, archive: String)
    /// No document of that name.
    case noSuchDocument(String)
    /// No segment with that id.
    case noSuchSegment(Int64)
    /// No coding with that id.
    case noSuchCoding(Int64)
    /// No memo with this id.
    case noSuchMemo(Int64)
    /// A coding that belongs to another coder (a team server's coder changes only their own).
    case codingOfAnother(Int64, coder: String)
    /// A review names a coding a person made (only the auto-coder's are reviewed).
    case notAnAutoCoding(Int64, coder: String)
    /// No active code with that key; `near` are keys it may have meant.
    case unknownCode(String, near: [String])
    /// No code or group with that key; `groups` are the codebook's groups.
    case unknownCodeOrGroup(String, groups: [String])
    /// No code with that key or starting with it; `groups` are the codebook's groups.
    case unknownCodePrefix(String, groups: [String])
    /// A QCA condition that is no group or code; `groups` are the codebook's groups.
    case unknownCondition(String, groups: [String])
    /// A QCA outcome that is no group or code, `type:KEY` or `attr:KEY=VALUE`.
    case invalidOutcome(String)
    /// No document attribute of that name; `attributes` are those the project has.
    case unknownAttribute(key: String, attributes: [String])
    /// The coder (or reviewer) name `auto` belongs to the auto-coder.
    case autoIsNotAPerson(role: String)
    /// A valence is -1, 0 or 1.
    case invalidValence(Int)
    /// A memo without text.
    case emptyMemo
    /// A grid cell without a rating, a descriptor or a note.
    case emptyGridCell
    /// A quoted passage without text.
    case emptyPassage
    /// The quoted passage is not in the document (or in any, without one).
    case passageNotFound(String, document: String?)
    /// The quoted passage occurs more than once: where (document, offset).
    case passageAmbiguous(String, places: [PassagePlace])
    /// A span of a document lies in no segment.
    case spanInNoSegment(start: Int, end: Int)
    /// A span of a document crosses segments (their ids).
    case spanAcrossSegments(start: Int, end: Int, segments: [Int64])
    /// A span beyond the document's `length`, or empty.
    case spanOutsideDocument(document: String, start: Int, end: Int, length: Int)
    /// A coder has no coding of the code on the target: nothing was removed.
    case nothingToRemove(coder: String, code: String)
    /// A full-text search opens a quote it does not close.
    case searchQuoteNotClosed(query: String)
    /// A full-text search has no word to look for.
    case searchWithoutWords(query: String)
    /// SQLite's full-text engine cannot read the search: why.
    case searchUnreadable(query: String, reason: String)
    /// A row of a coding CSV has no coder, and no default coder was given.
    case codingRowWithoutCoder(path: String, line: Int)
    /// A client's passage is not the document's text at that span (`stored` is).
    case textMismatch(document: String, start: Int, end: Int, stored: String)
    /// An auto-coder's coding is not removed; a review rejects it.
    case autoCodingNotRemoved(Int64)
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
    /// `qda suggest` before `qda suggest train`.
    case noSuggestModel
    /// The codebook changed since the suggestion models were trained.
    case suggestModelStale
    /// No pending suggestion has this id.
    case noSuchSuggestion(Int64)
    /// Cross-validation needs people's codings in two documents or more.
    case tooFewDocumentsToFold(documents: Int)
}

extension QDAError: LocalizedError, CustomStringConvertible {
    /// The description, for `localizedDescription`.
    public var errorDescription: String? { description }

    /// "a.txt at 12, b.txt at 40" (the first five).
    public static func list(_ places: [PassagePlace]) -> String {
        places.prefix(5).map { "\($0.document) at \($0.offset)" }.joined(separator: ", ")
    }

    /// The problem as a sentence that names the file (or the key) and what is wrong, in no client's terms.
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
        case .regionNotRated(let region, let minimumSegments):
            return
                "\(region) has fewer than \(minimumSegments) segments and is not rated; lower the minimum of segments."
        case .noSuchRegion(let region, let rated):
            return "No region '\(region)'; the rated regions are: \(rated.joined(separator: ", "))."
        case .unknownCoder(let coder, let coders):
            return "No codings by '\(coder)'; the coders are: \(coders.joined(separator: ", "))."
        case .noSuggestModel:
            return "No suggestion model yet; learn one from your codings with `qda suggest train`."
        case .suggestModelStale:
            return
                "The codebook changed since the suggestion models were trained; train them again with `qda suggest train`."
        case .noSuchSuggestion(let id):
            return "No pending suggestion \(id); list them with `qda suggest list`."
        case .tooFewDocumentsToFold(let documents):
            return "Cross-validation needs people's codings in as many documents as folds, or twice as many "
                + "coded units; people coded \(documents) document\(documents == 1 ? "" : "s")."
        case .tooFewCoders(let coders):
            return
                "Agreement needs two coders or more; this project has: \(coders.joined(separator: ", ")). "
                + "Name them (auto is the auto-coder)."
        case .fileExists(let path):
            return "\(path): a file already exists here; choose another path."
        case .copyFailed(let path, let reason):
            return "\(path): the copy failed (\(reason))."
        case .projectNotEmpty(let documents, let archive):
            return
                "The project already holds \(documents) document\(documents == 1 ? "" : "s"); import \(archive) into a "
                + "new one."
        case .noSuchDocument(let name):
            return "No document '\(name)' in the project."
        case .noSuchSegment(let id):
            return "No segment #\(id) in the project."
        case .noSuchCoding(let id):
            return "No coding #\(id)."
        case .noSuchMemo(let id):
            return "No memo #\(id) in the project."
        case .codingOfAnother(let id, let coder):
            return "Coding #\(id) is \(coder)'s; only they (or an admin) can change it."
        case .notAnAutoCoding(let id, let coder):
            return "Coding #\(id) is \(coder)'s, not the auto-coder's; only auto codings are reviewed."
        case .unknownCode(let key, let near):
            return
                "No code '\(key)' in the codebook"
                + (near.isEmpty ? "." : "; did you mean \(near.joined(separator: ", "))?")
        case .unknownCodeOrGroup(let key, let groups):
            return "No code or group '\(key)' in the codebook; groups: \(groups.joined(separator: ", "))."
        case .unknownCodePrefix(let name, let groups):
            return "No code '\(name)' and no code starting with it; the groups are: \(groups.joined(separator: ", "))."
        case .unknownCondition(let key, let groups):
            return "'\(key)' is not a group or code of the codebook; groups: \(groups.joined(separator: ", "))."
        case .invalidOutcome(let outcome):
            return
                outcome.hasPrefix("attr:")
                ? "An attribute outcome is written attr:KEY=VALUE."
                : "The outcome '\(outcome)' is not a group or code, type:KEY or attr:KEY=VALUE."
        case .unknownAttribute(let key, let attributes):
            return "No document attribute '\(key)'; this project has: \(attributes.joined(separator: ", "))."
        case .autoIsNotAPerson(let role):
            return "The \(role) cannot be 'auto', the auto-coder's name; give a person's name."
        case .invalidValence(let valence):
            return "A valence is -1, 0 or 1, not \(valence)."
        case .emptyMemo:
            return "The memo is empty."
        case .emptyGridCell:
            return "Give a rating, a descriptor or a note for the cell."
        case .emptyPassage:
            return "The quoted passage is empty."
        case .passageNotFound(let passage, let document):
            return
                "The passage \"\(passage)\" is not in \(document ?? "any document") (it must match the text exactly)."
        case .passageAmbiguous(let passage, let places):
            return
                "The passage \"\(passage)\" occurs \(places.count) times (\(Self.list(places))); quote more of it, or "
                + "name the document or the span."
        case .spanInNoSegment(let start, let end):
            return "The span \(start)–\(end) lies in no segment (between paragraphs or past the end of the text)."
        case .spanAcrossSegments(let start, let end, let segments):
            return
                "The span \(start)–\(end) is not inside one segment (it touches "
                + segments.map { "#\($0)" }.joined(separator: ", ") + "); code each segment's part."
        case .spanOutsideDocument(let document, let start, let end, let length):
            return
                "The span \(start)–\(end) is not within \(document), which has \(length) characters (start < end required)."
        case .nothingToRemove(let coder, let code):
            return "\(coder) has no coding of \(code) there; nothing removed."
        case .searchQuoteNotClosed(let query):
            return "The search \(query) has an opening quote without a closing one."
        case .searchWithoutWords(let query):
            return
                "The search \(query.isEmpty ? "\"\"" : query) has no word to look for (only excluded words or punctuation)."
        case .searchUnreadable(let query, let reason):
            return "The search \(query) cannot be read (\(reason)); check its parentheses and quotes."
        case .codingRowWithoutCoder(let path, let line):
            return "\(path): not a readable CSV file (line \(line): no coder; give a coder column or a default coder)."
        case .textMismatch(let document, let start, let end, let stored):
            return
                "The passage at \(start)–\(end) of \(document) is \"\(stored)\", not the text sent; "
                + "reload the document and select again."
        case .autoCodingNotRemoved(let id):
            return "Coding #\(id) is the auto-coder's; reject it in review instead, so that it does not come back."
        case .busy(let path, let seconds):
            return
                "\(path): another qda command is writing to this project (waited \(String(format: "%g", seconds)) s); "
                + "run this one again when it has finished."
        }
    }
}

/// Where a quoted passage occurs: a document and the offset of its first character.
public struct PassagePlace: Sendable, Equatable {
    /// The document's name.
    public var document: String
    /// Where the passage starts, in code points.
    public var offset: Int

    /// Creates the value from its fields.
    public init(document: String, offset: Int) {
        self.document = document
        self.offset = offset
    }
}
