import QDAText

/// Cutting a whole document: the segmenter's rules applied to what a reader gave, with
/// pages, interviewer flags and the record of how the document was read.
extension Segmenter {
    /// Cuts a document read from a file into segments and records how it was read.
    ///
    /// Transcripts are cut into turns; any other text is read as prose: a plain-text file
    /// laid out in hard-wrapped lines is first joined back into paragraphs
    /// (`ProseRepair`), and with the default unit its paragraphs are cut into sentences, so
    /// that each sentence counts in the regions it names (docs/methods.md). A document
    /// whose kind was not given and whose speaker turns alternate becomes an interview.
    public func segment(_ document: inout SourceDocument, options: IngestOptions) {
        let interviewers = Set(document.attributes["interviewer"].map { [$0] } ?? [])
        if let premade = document.premadeSegments {
            document.segments = Self.placeOnPages(
                options.unit.refine(Segmenter.markInterviewers(premade, interviewers: interviewers)),
                document.pageBreaks)
            var reading = DocumentReading(document: document.name, form: .fixed, kind: document.kind)
            for segment in document.segments { reading.roles[segment.role, default: 0] += 1 }
            document.reading = reading
            return
        }
        let kind = document.kindDeclared ? document.kind : .other
        // Only plain text is laid out by hand or by pdftotext; other formats give paragraphs.
        var (drafts, dialogue, transcript, repaired) = read(
            document.text, kind: kind, interviewers: interviewers,
            repairingWraps: document.format == .text ? document.pageBreaks ?? [] : nil)
        let repair = repaired?.summary
        if let repaired {
            document.text = repaired.text
            if document.pageBreaks != nil { document.pageBreaks = repaired.pageBreaks }
        }
        var reading = DocumentReading(document: document.name, form: transcript ? .transcript : .prose, kind: kind)
        if transcript, !document.kindDeclared {
            document.kind = .interview
            reading.kindInferred = true
        }
        reading.kind = document.kind
        drafts = Self.placeOnPages(options.unit.refine(drafts, proseAsSentences: !transcript), document.pageBreaks)
        document.segments = drafts
        reading.speakers = transcript ? dialogue.turnsBySpeaker.count : 0
        reading.turns = transcript ? dialogue.turns : 0
        for segment in drafts { reading.roles[segment.role, default: 0] += 1 }
        reading.paragraphs = Set(drafts.lazy.filter { $0.role == .sentence }.compactMap(\.block)).count
        reading.noTurnsForUnit = !transcript && options.unit == .turn && options.unitGiven
        if let repair {
            reading.linesJoined = repair.linesJoined
            reading.runningLinesDropped = repair.runningLinesDropped
            reading.hyphensMended = repair.hyphensMended
        }
        document.reading = reading
    }

    /// A document's segments in the chosen unit, with interviewer flags and pages, cut as
    /// before prose was read by sentence (REFI-QDA import keeps its paragraphs, and the
    /// text as the other tool has it).
    public func segmentDrafts(of document: SourceDocument, unit: SegmentUnit) -> [SegmentDraft] {
        let interviewers = Set(document.attributes["interviewer"].map { [$0] } ?? [])
        var drafts: [SegmentDraft]
        if let premade = document.premadeSegments {
            drafts = Segmenter.markInterviewers(premade, interviewers: interviewers)
        } else {
            drafts = segments(of: document.text, kind: document.kind, interviewers: interviewers)
            // Every part counts, as the other tool's coders may have coded any of it.
            for index in drafts.indices where !drafts[index].role.isEvidence { drafts[index].role = .paragraph }
        }
        return Self.placeOnPages(unit.refine(drafts), document.pageBreaks)
    }

    /// Sets the page each segment starts on from the offsets at which pages begin.
    public static func placeOnPages(_ drafts: [SegmentDraft], _ breaks: [Int]?) -> [SegmentDraft] {
        guard let breaks else { return drafts }
        var drafts = drafts
        for index in drafts.indices {
            let start = drafts[index].start
            var low = 0
            var high = breaks.count
            while low < high {
                let mid = (low + high) / 2
                if breaks[mid] <= start { low = mid + 1 } else { high = mid }
            }
            drafts[index].page = low + 1
        }
        return drafts
    }

}
