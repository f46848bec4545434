import QDAText

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
    /// The page the segment starts on, for paged formats (PDF).
    public var page: Int?
    /// Words in the text (`FullText.wordCount`), counted when a document is ingested.
    public var words = 0
    /// What part of the document the segment is (turn, sentence, heading, table, …).
    public var role: SegmentRole = .paragraph
    /// The ordinal of the paragraph or turn the segment was cut from, for sentences and
    /// paragraphs cut from a larger unit (`--unit sentence|paragraph`, prose read as
    /// sentences); nil for a segment that is a whole unit itself.
    public var block: Int?

    /// Whether the segment is evidence: auto-coded and counted in its regions. An
    /// interviewer's turn is not, nor is a heading, caption, table, reference or keyword line.
    public var isCounted: Bool { !isInterviewer && role.isEvidence }
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
    /// Creates the value from its fields.
    public init() {}

    /// Whether `text` reads as a transcript (`Segmenter.Dialogue.isTranscript`).
    public func isTranscript(_ text: String, kind: DocumentKind) -> Bool {
        Dialogue(Source(text)).isTranscript(kind: kind)
    }

    /// The speaker turns a text holds, for deciding whether it is a transcript.
    ///
    /// A turn label is a short name or role and a colon at the start of a line, never a
    /// caption's or heading's word (`ProseMarkers.nonSpeakerLabels`: "Fig. 1:", "Source:",
    /// "Summary:", "摘要："). A document declared an interview is a transcript when it has one
    /// turn; literature never is; any other document is one when its labels recur and
    /// alternate: two to twelve speakers, three or more turns, two thirds of them by
    /// speakers who speak more than once, the speaker changing from one turn to the next
    /// at least once, and turns opening at least a quarter of its paragraphs.
    public struct Dialogue: Sendable, Equatable {
        /// Turns per speaker.
        public var turnsBySpeaker: [String: Int] = [:]
        /// All turns.
        public var turns = 0
        /// Times the speaker changed from one turn to the next.
        public var changes = 0
        /// Paragraphs (runs of non-blank lines, turn lines opening new ones).
        public var paragraphs = 0

        init(_ source: Source) {
            var last: String?
            var inParagraph = false
            for line in source.lines {
                if let label = line.label {
                    turns += 1
                    turnsBySpeaker[label.speaker, default: 0] += 1
                    if let last, last != label.speaker { changes += 1 }
                    last = label.speaker
                    paragraphs += 1
                    inParagraph = true
                } else if source.isBlank(line) {
                    inParagraph = false
                } else if !inParagraph {
                    paragraphs += 1
                    inParagraph = true
                }
            }
        }

        /// The most distinct speaker labels a document of undeclared kind is read as a
        /// transcript with: a group interview or workshop; more labels are a manual's or
        /// a form's fields.
        public static let maximumSpeakers = 12

        /// Whether the document is read as a transcript (see the type's rule).
        public func isTranscript(kind: DocumentKind) -> Bool {
            switch kind {
            case .interview: return turns > 0
            case .literature: return false
            case .statistics, .other:
                // A few speakers who come back: at most a dozen labels, and the labels used
                // more than once carry two thirds of the turns (a manual's "Returns:" and
                // "INTEGER:" lines are many labels, most of them used once or twice).
                let recurring = turnsBySpeaker.values.filter { $0 > 1 }.reduce(0, +)
                return turnsBySpeaker.count >= 2 && turnsBySpeaker.count <= Self.maximumSpeakers && turns >= 3
                    && recurring * 3 >= turns * 2 && changes >= 1 && turns * 4 >= paragraphs
            }
        }
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
        read(text, kind: kind, interviewers: interviewers).segments
    }

    /// Splits `text` into segments and says whether it was read as a transcript.
    ///
    /// A transcript is cut into turns (text before the first turn into paragraphs). Prose
    /// is cut into paragraphs and the parts of an article that are not evidence: headings,
    /// figure captions, tables with their captions, sources and notes, keyword lines, and
    /// the entries of the reference list (`ProseBlocks`).
    public func read(
        _ text: String, kind: DocumentKind, interviewers: Set<String> = []
    ) -> (segments: [SegmentDraft], dialogue: Dialogue, isTranscript: Bool) {
        let reading = read(text, kind: kind, interviewers: interviewers, repairingWraps: nil)
        return (reading.segments, reading.dialogue, reading.isTranscript)
    }

    /// `read`, and with `repairingWraps` (the text's page breaks) prose laid out in
    /// hard-wrapped lines is first joined back into paragraphs (`ProseRepair`); the
    /// segments are then offsets into `repaired.text`. The text is cut once either way.
    func read(
        _ text: String, kind: DocumentKind, interviewers: Set<String>, repairingWraps pageBreaks: [Int]?
    ) -> (segments: [SegmentDraft], dialogue: Dialogue, isTranscript: Bool, repaired: ProseRepair.Result?) {
        var source = Source(text)
        let dialogue = Dialogue(source)
        guard dialogue.isTranscript(kind: kind) else {
            var repaired: ProseRepair.Result?
            if let pageBreaks, ProseRepair.isHardWrapped(text) {
                repaired = ProseRepair.repair(text, pageBreaks: pageBreaks)
                source = Source(repaired!.text)
            }
            return (ProseBlocks(source: source).segments(source.lines[...]), dialogue, false, repaired)
        }
        return (Self.markInterviewers(turns(source), interviewers: interviewers), dialogue, true, nil)
    }

    /// Flags the segments whose speaker is the interviewer's.
    public static func markInterviewers(_ drafts: [SegmentDraft], interviewers: Set<String>) -> [SegmentDraft] {
        let labels = interviewerLabels.union(interviewers.map { $0.lowercased() })
        return drafts.map { draft in
            var draft = draft
            draft.isInterviewer = draft.speaker.map { labels.contains($0.lowercased()) } ?? false
            return draft
        }
    }

    // MARK: - Source text

    /// The text's UTF-8 bytes, its lines, and the scalar offset of every byte, so that the
    /// segmenter works on bytes and reports offsets in Unicode scalars.
    struct Source {
        struct Line {
            var start: Int
            var end: Int
            /// The turn label that opens the line, parsed once.
            var label: TurnLabel?
        }

        let bytes: [UInt8]
        private(set) var lines: [Line] = []
        /// The number of scalars before every 64th byte (`checkpoints[b >> 6]` for byte
        /// `b & ~63`): a sixty-fourth of the memory a count per byte takes.
        private let checkpoints: [Int32]

        init(_ text: String) {
            bytes = Array(text.utf8)
            var marks = [Int32]()
            marks.reserveCapacity(bytes.count / 64 + 1)
            var count: Int32 = 0
            for (i, byte) in bytes.enumerated() {
                if i & 63 == 0 { marks.append(count) }
                if byte & 0xC0 != 0x80 { count += 1 }
            }
            if bytes.count & 63 == 0 { marks.append(count) }
            checkpoints = marks
            var start = 0
            for (i, byte) in bytes.enumerated() where byte == 0x0A {
                lines.append(Line(start: start, end: i))
                start = i + 1
            }
            lines.append(Line(start: start, end: bytes.count))
            for index in lines.indices {
                lines[index].label = TurnLabel.parse(bytes, lines[index].start, lines[index].end)
            }
        }

        /// The number of scalars before byte `b` (0...bytes.count).
        func scalarOffset(_ b: Int) -> Int {
            var count = Int(checkpoints[b >> 6])
            var i = b & ~63
            while i < b {
                if bytes[i] & 0xC0 != 0x80 { count += 1 }
                i += 1
            }
            return count
        }

        /// The scalar at byte `i` and its length in bytes.
        func scalar(at i: Int) -> (Unicode.Scalar, Int) {
            bytes.withUnsafeBufferPointer { UTF8Text.decode(at: i, in: $0) } ?? (" ", 1)
        }

        func isSpace(at i: Int) -> (Bool, Int) {
            let b = bytes[i]
            if b < 0x80 { return (UTF8Text.isSpace(b), 1) }
            let (scalar, length) = scalar(at: i)
            return (scalar.properties.isWhitespace, length)
        }

        func isBlank(_ line: Line) -> Bool {
            var i = line.start
            while i < line.end {
                let (space, length) = isSpace(at: i)
                if !space { return false }
                i += length
            }
            return true
        }

        func isHeading(_ line: Line) -> Bool {
            var i = line.start
            while i < line.end, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
            guard i < line.end, bytes[i] == 0x23 else { return false }
            var hashes = 0
            while i < line.end, bytes[i] == 0x23 {
                hashes += 1
                i += 1
            }
            return hashes <= 6 && (i == line.end || bytes[i] == 0x20)
        }
    }

    // MARK: - Segments

    static func trimmedDraft(
        _ source: Source, _ start: Int, _ end: Int, ordinal: Int, speaker: String? = nil, timestamp: String? = nil,
        role: SegmentRole = .paragraph
    ) -> SegmentDraft? {
        var s = start
        var e = end
        while s < e {
            let (space, length) = source.isSpace(at: s)
            guard space else { break }
            s += length
        }
        while e > s {
            var lead = e - 1
            while lead > s, source.bytes[lead] & 0xC0 == 0x80 { lead -= 1 }
            guard source.isSpace(at: lead).0 else { break }
            e = lead
        }
        guard s < e else { return nil }
        var draft = SegmentDraft(
            ordinal: ordinal, start: source.scalarOffset(s), end: source.scalarOffset(e), speaker: speaker,
            timestamp: timestamp, text: String(decoding: source.bytes[s..<e], as: UTF8.self))
        draft.role = role
        return draft
    }

    private func turns(_ source: Source) -> [SegmentDraft] {
        let lines = source.lines
        // Text before the first turn is segmented as paragraphs.
        guard let firstTurn = lines.firstIndex(where: { $0.label != nil }) else {
            return ProseBlocks(source: source).segments(lines[...])
        }
        var drafts = ProseBlocks(source: source).segments(lines[..<firstTurn])
        var turn: (label: TurnLabel?, start: Int, end: Int)?
        func close() {
            if let current = turn,
                let draft = Self.trimmedDraft(
                    source, current.start, current.end, ordinal: drafts.count, speaker: current.label?.speaker,
                    timestamp: current.label?.timestamp, role: current.label == nil ? .paragraph : .turn)
            {
                drafts.append(draft)
            }
            turn = nil
        }
        for line in lines[firstTurn...] {
            if let label = line.label {
                close()
                turn = (label, label.contentStart, line.end)
            } else if source.isHeading(line) {
                close()
                if let draft = Self.trimmedDraft(source, line.start, line.end, ordinal: drafts.count, role: .heading) {
                    drafts.append(draft)
                }
            } else if !source.isBlank(line) {
                if turn != nil {
                    turn?.end = line.end
                } else {
                    turn = (nil, line.start, line.end)
                }
            }
        }
        close()
        return drafts
    }
}

/// The label that opens a transcript turn: optional timestamp, speaker, colon. Offsets
/// are bytes into the UTF-8 text.
struct TurnLabel: Equatable {
    var speaker: String
    var timestamp: String?
    /// Byte offset of the first character after the label (and any timestamp after it).
    var contentStart: Int

    static let maximumLabelLength = 40
    static let maximumLabelWords = 4

    /// Parses the label at the start of the line `bytes[start..<end]`, or returns nil.
    static func parse(_ bytes: [UInt8], _ start: Int, _ end: Int) -> TurnLabel? {
        bytes.withUnsafeBufferPointer { parse($0, start, end) }
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> TurnLabel? {
        func scalar(_ i: Int) -> (Unicode.Scalar, Int) {
            UTF8Text.decode(at: i, in: bytes) ?? (" ", 1)
        }
        var i = start
        skipSpaces(bytes, &i, end)
        var timestamp = parseTimestamp(bytes, &i, end)
        skipSpaces(bytes, &i, end)
        let labelStart = i
        guard i < end, scalar(i).0.properties.isAlphabetic else { return nil }
        // The label runs to the first colon; it must be short and look like a name.
        var colon: Int?
        var characters = 0
        while i < end, characters <= maximumLabelLength {
            let (c, length) = scalar(i)
            if c == ":" || c == "：" {
                colon = i
                break
            }
            if c == "[" { break }
            guard
                c.properties.isAlphabetic || c.properties.numericType != nil || c == " " || c == "." || c == "-"
                    || c == "'" || c == "·"
            else { return nil }
            i += length
            characters += 1
        }
        var labelEnd = colon ?? i
        var afterLabel = labelEnd
        if colon == nil {
            // `R1 [00:12:31]: text`
            var j = i
            guard j < end, bytes[j] == 0x5B, let stamp = parseTimestamp(bytes, &j, end) else { return nil }
            skipSpaces(bytes, &j, end)
            guard j < end, bytes[j] == 0x3A || scalar(j).0 == "：" else { return nil }
            timestamp = timestamp ?? stamp
            labelEnd = i
            afterLabel = j
        }
        var label = String(decoding: UnsafeBufferPointer(rebasing: bytes[labelStart..<labelEnd]), as: UTF8.self)
        while label.last == " " { label.removeLast() }
        guard isSpeakerName(label), !ProseMarkers.isNonSpeakerLabel(label) else { return nil }
        // An ASCII colon must be followed by a space or the end of the line ("http://" is no label).
        let colonLength = scalar(afterLabel).1
        var content = afterLabel + colonLength
        if bytes[afterLabel] == 0x3A, content < end, !scalar(content).0.properties.isWhitespace { return nil }
        skipSpaces(bytes, &content, end)
        if timestamp == nil, content < end, bytes[content] == 0x5B || bytes[content] == 0x28 {
            var j = content
            if let stamp = parseTimestamp(bytes, &j, end) {
                timestamp = stamp
                content = j
                skipSpaces(bytes, &content, end)
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

    private static func skipSpaces(_ bytes: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ end: Int) {
        while i < end, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
    }

    /// `[00:12:31]`, `[12:31]`, `(00:12:31.5)`; advances `i` past it when found.
    private static func parseTimestamp(_ bytes: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ end: Int) -> String? {
        guard i < end, bytes[i] == 0x5B || bytes[i] == 0x28 else { return nil }
        let close: UInt8 = bytes[i] == 0x5B ? 0x5D : 0x29
        var j = i + 1
        var text = ""
        while j < end, bytes[j] != close, j - i < 16 {
            let c = bytes[j]
            guard (c >= 0x30 && c <= 0x39) || c == 0x3A || c == 0x2E else { return nil }
            text.unicodeScalars.append(Unicode.Scalar(c))
            j += 1
        }
        guard j < end, bytes[j] == close else { return nil }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        i = j + 1
        return text
    }
}
