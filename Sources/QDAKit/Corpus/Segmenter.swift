/// A stretch of a document that is coded as one unit, before it is stored.
public struct SegmentDraft: Sendable, Equatable {
    /// 0-based position of the segment in its document.
    public var ordinal: Int
    /// Offset of the first character, in Unicode scalar values into the document text.
    public var start: Int
    /// Offset just past the last character (same unit).
    public var end: Int
    /// The speaker label of a transcript turn ("Interviewer", "R1", "张伟").
    public var speaker: String?
    /// A timestamp written at the turn ("00:12:31").
    public var timestamp: String?
    /// The segment's text: the document text from `start` to `end`.
    public var text: String
    /// True for a turn of the interviewer: stored, listed, but not auto-coded, so that a
    /// question ("Are the universities strong?") does not count as evidence.
    public var isInterviewer = false
}

/// Splits a document's text into segments: speaker turns for transcripts, paragraphs
/// for everything else.
///
/// A turn opens with a line such as `R1: …`, `Interviewer: …`, `Zhang Wei: …`,
/// `[00:12:31] Q: …` or `张伟：…` and runs until the next turn (blank lines and
/// continuation paragraphs included); the label and timestamp are not part of the
/// segment's span. A paragraph is a run of non-blank lines; a Markdown heading line is a
/// paragraph of its own. Offsets count Unicode scalar values.
public struct Segmenter: Sendable {
    public init() {}

    /// Whether `text` reads as a transcript: for interviews one turn line suffices; other
    /// documents need three turn lines and a speaker who speaks more than once, so that a
    /// "Note:" or "Source:" line does not turn a literature note into a dialogue.
    public func isTranscript(_ text: String, kind: DocumentKind) -> Bool {
        let scalars = Array(text.unicodeScalars)
        return isTranscript(lines: Self.lines(of: scalars), scalars: scalars, kind: kind)
    }

    /// Speaker labels taken to be the interviewer's, compared case-insensitively.
    public static let interviewerLabels: Set<String> = [
        "interviewer", "interviewers", "q", "i", "iv", "int", "moderator", "facilitator", "question", "访谈者", "采访者",
        "主持人", "问", "记者",
    ]

    /// Splits `text` into segments.
    ///
    /// - Parameter interviewers: further speaker labels to treat as the interviewer's
    ///   (front matter `interviewer: Li Ming`).
    public func segments(of text: String, kind: DocumentKind, interviewers: Set<String> = []) -> [SegmentDraft] {
        let scalars = Array(text.unicodeScalars)
        let lines = Self.lines(of: scalars)
        guard isTranscript(lines: lines, scalars: scalars, kind: kind) else {
            return paragraphs(lines: lines, scalars: scalars)
        }
        let labels = Self.interviewerLabels.union(interviewers.map { $0.lowercased() })
        return turns(lines: lines, scalars: scalars).map { draft in
            var draft = draft
            draft.isInterviewer = draft.speaker.map { labels.contains($0.lowercased()) } ?? false
            return draft
        }
    }

    // MARK: - Lines

    struct Line {
        var start: Int
        var end: Int
    }

    static func lines(of scalars: [Unicode.Scalar]) -> [Line] {
        var lines: [Line] = []
        var start = 0
        for (index, scalar) in scalars.enumerated() where scalar == "\n" {
            lines.append(Line(start: start, end: index))
            start = index + 1
        }
        lines.append(Line(start: start, end: scalars.count))
        return lines
    }

    private func isBlank(_ line: Line, _ scalars: [Unicode.Scalar]) -> Bool {
        scalars[line.start..<line.end].allSatisfy { $0.properties.isWhitespace }
    }

    private func isHeading(_ line: Line, _ scalars: [Unicode.Scalar]) -> Bool {
        guard let first = scalars[line.start..<line.end].firstIndex(where: { !$0.properties.isWhitespace })
        else { return false }
        guard scalars[first] == "#" else { return false }
        let hashes = scalars[first..<line.end].prefix(while: { $0 == "#" }).count
        let next = first + hashes
        return hashes <= 6 && (next == line.end || scalars[next] == " ")
    }

    private func isTranscript(lines: [Line], scalars: [Unicode.Scalar], kind: DocumentKind) -> Bool {
        var counts: [String: Int] = [:]
        var turnLines = 0
        for line in lines {
            if let label = TurnLabel.parse(scalars, line.start, line.end) {
                turnLines += 1
                counts[label.speaker, default: 0] += 1
            }
        }
        if kind == .interview { return turnLines > 0 }
        return turnLines >= 3 && counts.values.contains { $0 > 1 }
    }

    // MARK: - Segments

    private func trimmedDraft(
        _ scalars: [Unicode.Scalar], _ start: Int, _ end: Int, ordinal: Int, speaker: String? = nil,
        timestamp: String? = nil
    ) -> SegmentDraft? {
        var s = start
        var e = end
        while s < e, scalars[s].properties.isWhitespace { s += 1 }
        while e > s, scalars[e - 1].properties.isWhitespace { e -= 1 }
        guard s < e else { return nil }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars[s..<e])
        return SegmentDraft(
            ordinal: ordinal, start: s, end: e, speaker: speaker, timestamp: timestamp, text: String(text))
    }

    private func paragraphs(lines: [Line], scalars: [Unicode.Scalar]) -> [SegmentDraft] {
        var drafts: [SegmentDraft] = []
        var open: (start: Int, end: Int)?
        func close() {
            if let current = open,
                let draft = trimmedDraft(scalars, current.start, current.end, ordinal: drafts.count)
            {
                drafts.append(draft)
            }
            open = nil
        }
        for line in lines {
            if isBlank(line, scalars) {
                close()
            } else if isHeading(line, scalars) {
                close()
                open = (line.start, line.end)
                close()
            } else if open != nil {
                open?.end = line.end
            } else {
                open = (line.start, line.end)
            }
        }
        close()
        return drafts
    }

    private func turns(lines: [Line], scalars: [Unicode.Scalar]) -> [SegmentDraft] {
        var drafts: [SegmentDraft] = []
        // Text before the first turn is segmented as paragraphs.
        guard let firstTurn = lines.firstIndex(where: { TurnLabel.parse(scalars, $0.start, $0.end) != nil })
        else { return paragraphs(lines: lines, scalars: scalars) }
        drafts = paragraphs(lines: Array(lines[..<firstTurn]), scalars: scalars)

        var turn: (label: TurnLabel, start: Int, end: Int)?
        func close() {
            if let current = turn,
                let draft = trimmedDraft(
                    scalars, current.start, current.end, ordinal: drafts.count, speaker: current.label.speaker,
                    timestamp: current.label.timestamp)
            {
                drafts.append(draft)
            }
            turn = nil
        }
        for line in lines[firstTurn...] {
            if let label = TurnLabel.parse(scalars, line.start, line.end) {
                close()
                turn = (label, label.contentStart, line.end)
            } else if isHeading(line, scalars) {
                close()
                if let draft = trimmedDraft(scalars, line.start, line.end, ordinal: drafts.count) {
                    drafts.append(draft)
                }
            } else if !isBlank(line, scalars) {
                if turn != nil {
                    turn?.end = line.end
                } else {
                    turn = (TurnLabel(speaker: "", timestamp: nil, contentStart: line.start), line.start, line.end)
                }
            }
        }
        close()
        return drafts.map { draft in
            var draft = draft
            if draft.speaker == "" { draft.speaker = nil }
            return draft
        }
    }
}

/// The label that opens a transcript turn: optional timestamp, speaker, colon.
struct TurnLabel: Equatable {
    var speaker: String
    var timestamp: String?
    /// Offset of the first character after the label (and any timestamp after it).
    var contentStart: Int

    static let maximumLabelLength = 40
    static let maximumLabelWords = 4

    /// Parses the label at the start of the line `scalars[start..<end]`, or returns nil.
    static func parse(_ scalars: [Unicode.Scalar], _ start: Int, _ end: Int) -> TurnLabel? {
        var i = start
        skipSpaces(scalars, &i, end)
        var timestamp = parseTimestamp(scalars, &i, end)
        skipSpaces(scalars, &i, end)
        let labelStart = i
        guard i < end, scalars[i].properties.isAlphabetic else { return nil }
        // The label runs to the first colon; it must be short and look like a name.
        var colon: Int?
        while i < end, i - labelStart <= maximumLabelLength {
            let c = scalars[i]
            if c == ":" || c == "：" {
                colon = i
                break
            }
            if c == "[" { break }
            guard
                c.properties.isAlphabetic || c.properties.numericType != nil || c == " " || c == "." || c == "-"
                    || c == "'" || c == "·"
            else { return nil }
            i += 1
        }
        var labelEnd = colon ?? i
        var afterLabel = labelEnd
        if colon == nil {
            // `R1 [00:12:31]: text`
            var j = i
            guard j < end, scalars[j] == "[", let stamp = parseTimestamp(scalars, &j, end) else { return nil }
            skipSpaces(scalars, &j, end)
            guard j < end, scalars[j] == ":" || scalars[j] == "：" else { return nil }
            timestamp = timestamp ?? stamp
            labelEnd = i
            afterLabel = j
        }
        var label = String(String.UnicodeScalarView(scalars[labelStart..<labelEnd]))
        while label.last == " " { label.removeLast() }
        guard isSpeakerName(label) else { return nil }
        // An ASCII colon must be followed by a space or the end of the line ("http://" is no label).
        var content = afterLabel + 1
        if scalars[afterLabel] == ":", content < end, !scalars[content].properties.isWhitespace { return nil }
        skipSpaces(scalars, &content, end)
        if timestamp == nil, content < end, scalars[content] == "[" || scalars[content] == "(" {
            var j = content
            if let stamp = parseTimestamp(scalars, &j, end) {
                timestamp = stamp
                content = j
                skipSpaces(scalars, &content, end)
            }
        }
        return TurnLabel(speaker: label, timestamp: timestamp, contentStart: content)
    }

    private static func isSpeakerName(_ label: String) -> Bool {
        let words = label.split(separator: " ")
        guard !words.isEmpty, words.count <= maximumLabelWords else { return false }
        for word in words {
            guard let first = word.unicodeScalars.first else { return false }
            if first.properties.isLowercase { return false }
        }
        return true
    }

    private static func skipSpaces(_ scalars: [Unicode.Scalar], _ i: inout Int, _ end: Int) {
        while i < end, scalars[i] == " " || scalars[i] == "\t" { i += 1 }
    }

    /// `[00:12:31]`, `[12:31]`, `(00:12:31.5)`; advances `i` past it when found.
    private static func parseTimestamp(_ scalars: [Unicode.Scalar], _ i: inout Int, _ end: Int) -> String? {
        guard i < end, scalars[i] == "[" || scalars[i] == "(" else { return nil }
        let close: Unicode.Scalar = scalars[i] == "[" ? "]" : ")"
        var j = i + 1
        var text = ""
        while j < end, scalars[j] != close, j - i < 16 {
            let c = scalars[j]
            guard c.properties.numericType != nil && c.isASCII || c == ":" || c == "." else { return nil }
            text.unicodeScalars.append(c)
            j += 1
        }
        guard j < end, scalars[j] == close else { return nil }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        i = j + 1
        return text
    }
}
