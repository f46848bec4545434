import ArgumentParser
import QDAKit

/// The command line's wording of the library's errors.
///
/// The library describes a problem in terms of files and values ("name the file's
/// encoding"); only the command line knows that a person answers it with `--encoding`, so
/// this is where the flags are named. Errors this does not know pass through with the
/// library's own description, which always names the file and the problem.
enum ErrorWording {
    /// The message for `error` as `qda` words it, or nil to keep the library's description.
    /// `flags` are the long options of the command that failed.
    static func message(for error: any Error, flags: Set<String>, command: (any ParsableCommand)? = nil) -> String? {
        switch error {
        case .fileExists(let path)? as QDAError?:
            switch command {
            case is Init: return "\(path): a file already exists here; pass another --project path."
            case is Backup: return "\(path): a file already exists here; name a new backup file."
            default: return "\(path): a file already exists here; pass another path."
            }
        case let error as CorpusError: return message(for: error, flags: flags)
        case let error as QDAError: return message(for: error)
        case let error as AnalysisError: return message(for: error)
        case .renameLeavesGroup(_, let group)? as CodebookError?:
            return
                "A rename keeps the code under \(group.isEmpty ? "the top level" : group); "
                + "use qda codebook move to change its group."
        default: return nil
        }
    }

    static func message(for error: AnalysisError) -> String? {
        switch error {
        case .inclusionCutOutOfRange: return "--incl-cut must be between 0 and 1."
        case .frequencyCutBelowOne: return "--n-cut must be at least 1."
        case .notMemberships(let column):
            return "\(column): values outside [0, 1] are not memberships; calibrate them (--calibrate fuzzy or crisp)."
        default: return nil
        }
    }

    static func message(for error: CorpusError, flags: Set<String> = ingestFlags) -> String? {
        switch error {
        case .invalidEncoding(let path, let offset, let detail) where flags.contains("encoding"):
            return
                "\(path): cannot be read as text at byte \(offset) (\(detail)). "
                + "Name the file's encoding with --encoding (" + TextEncoding.acceptedNames + "), "
                + "or save it as UTF-8."
        case .noSuchColumn(let path, let role, let name, let columns):
            let flag: String
            switch role {
            case .text: flag = "--text-column"
            case .id: flag = "--id-column"
            case .attribute: flag = "--attribute-columns"
            }
            return CorpusError.csv(
                path, "\(flag) '\(name)' is not a column; the columns are " + CorpusError.list(columns))
        case .noTextColumn(let path, let columns):
            return CorpusError.csv(
                path,
                "no column is headed text, response or answer; name the text column with --text-column (columns: "
                    + CorpusError.list(columns) + ")")
        case .attributeVaries(let path, let line, let column, let value, let earlier, let earlierLine):
            return CorpusError.csv(
                path,
                "line \(line): column '\(column)' is '\(value)' but '\(earlier)' on line \(earlierLine); with --rows "
                    + "segments the file is one document, so attribute columns must hold one value (leave them out "
                    + "with --attribute-columns)")
        default:
            return nil
        }
    }

    static func message(for error: QDAError) -> String? {
        switch error {
        case .projectNotFound(let path):
            return "\(path): no project here. Create one with `qda init --project \(path)`, or pass --project."
        case .regionNotRated(let region, let minimumSegments):
            return "\(region) has fewer than \(minimumSegments) segments and is not rated; lower --min-segments."
        case .tooFewCoders(let coders):
            return
                "Agreement needs two coders or more; this project has: \(coders.joined(separator: ", ")). "
                + "Name them with --coders (auto is the auto-coder)."
        case .emptyGridCell:
            return "Give a --rating, a --descriptor or a --note for the cell."
        case .autoIsNotAPerson(let role):
            return role == "reviewer"
                ? "The reviewer cannot be 'auto'; give your name with --coder."
                : "The coder name 'auto' is the auto-coder's; give your own with --coder."
        case .noSuchDocument(let name):
            return "No document '\(name)' in the project; qda segments lists them."
        case .noSuchSegment(let id):
            return "No segment #\(id) in the project; qda segments lists them."
        case .noSuchCoding(let id):
            return "No coding #\(id); qda review lists the pending ones."
        case .unknownCode(let key, let near) where near.isEmpty:
            return "No code '\(key)' in the codebook; qda codebook show lists the codes."
        case .invalidValence:
            return "A valence is -1, 0 or 1."
        case .passageAmbiguous(let passage, let places):
            return
                "The passage \"\(passage)\" occurs \(places.count) times (\(QDAError.list(places))); quote more of it, "
                + "or give --document or --start/--end."
        case .copyFailed(let path, let reason):
            return "\(path): \(reason)."
        case .projectNotEmpty(let documents, let archive):
            return
                "The project already holds \(plural(documents, "document")); import into a new one "
                + "(qda import \(archive) --project NEW.sqlite)."
        case .codingRowWithoutCoder(let path, let line):
            return "\(path): not a readable CSV file (line \(line): no coder (give a coder column or --coder))."
        case .noCodebook:
            return
                "The project has no codebook. Load one with `qda codebook load FILE.yaml` (the bundled one: "
                + "codebooks/china-regional-innovation.yaml)."
        default:
            return nil
        }
    }

    /// The long options of the commands that read files (`ReadsFiles`).
    static let ingestFlags: Set<String> = ["encoding", "text-column", "id-column", "attribute-columns", "rows"]
}

/// A command with the flags that say how files are read (`IngestFlags`): its errors about
/// reading a file name those flags.
protocol ReadsFiles {}

extension QDA {
    /// `ParsableCommand.main`, with the library's errors worded by `ErrorWording`.
    static func main() {
        var command: (any ParsableCommand)?
        do {
            command = try parseAsRoot()
            try command!.run()
        } catch {
            let flags = command is ReadsFiles ? ErrorWording.ingestFlags : []
            if let message = ErrorWording.message(for: error, flags: flags, command: command) {
                exit(withError: WordedError(message: message))
            }
            exit(withError: error)
        }
    }
}

/// A library error as the command line words it.
struct WordedError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
