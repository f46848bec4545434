import QDAText

extension SegmentUnit {
    /// Cuts segments into this unit: paragraphs (split at blank lines) or sentences
    /// within them; `turn` leaves them as they are, except that with `proseAsSentences`
    /// the paragraphs of prose (no speaker) are cut into sentences. Only units of
    /// evidence are cut: headings, captions, tables and references stay whole. Pieces
    /// keep their segment's speaker, timestamp and interviewer flag, and name it as their
    /// `block`; ordinals are renumbered.
    package func refine(_ drafts: [SegmentDraft], proseAsSentences: Bool = false) -> [SegmentDraft] {
        guard self != .turn || proseAsSentences else { return drafts }
        var result: [SegmentDraft] = []
        for draft in drafts {
            let sentences: Bool
            switch self {
            case .sentence: sentences = true
            case .paragraph: sentences = false
            case .turn: sentences = draft.role == .paragraph && draft.speaker == nil
            }
            guard draft.role.isEvidence, self != .turn || sentences else {
                var whole = draft
                whole.ordinal = result.count
                result.append(whole)
                continue
            }
            let scalars = Array(draft.text.unicodeScalars)
            for paragraph in Self.paragraphs(scalars) {
                let pieces: [Range<Int>]
                if sentences {
                    let text = String(String.UnicodeScalarView(scalars[paragraph]))
                    pieces = SentenceSplitter.sentences(in: text).map {
                        ($0.lowerBound + paragraph.lowerBound)..<($0.upperBound + paragraph.lowerBound)
                    }
                } else {
                    pieces = [paragraph]
                }
                // A list's bullet on a line of its own ("•", as pdftotext writes it) is no
                // sentence: it stays in the text, in no segment.
                for piece in pieces
                where !sentences
                    || scalars[piece].contains(where: {
                        $0.properties.isAlphabetic || $0.properties.numericType != nil
                    })
                {
                    var part = draft
                    part.ordinal = result.count
                    part.start = draft.start + piece.lowerBound
                    part.end = draft.start + piece.upperBound
                    part.text = String(String.UnicodeScalarView(scalars[piece]))
                    part.block = draft.block ?? draft.ordinal
                    if sentences { part.role = .sentence } else if part.role == .turn { part.role = .paragraph }
                    result.append(part)
                }
            }
        }
        return result
    }

    /// Paragraph ranges of a segment's scalars: split at lines that are blank, trimmed.
    static func paragraphs(_ scalars: [Unicode.Scalar]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var lineStart = 0
        var paragraphStart: Int?
        var lastContentEnd = 0
        func trimmedRange(_ s: Int, _ e: Int) -> Range<Int>? {
            var s = s
            var e = e
            while s < e, scalars[s].properties.isWhitespace { s += 1 }
            while e > s, scalars[e - 1].properties.isWhitespace { e -= 1 }
            return s < e ? s..<e : nil
        }
        var i = 0
        while i <= scalars.count {
            if i == scalars.count || scalars[i] == "\n" {
                let blank = trimmedRange(lineStart, i) == nil
                if blank {
                    if let start = paragraphStart, let range = trimmedRange(start, lastContentEnd) {
                        result.append(range)
                    }
                    paragraphStart = nil
                } else {
                    if paragraphStart == nil { paragraphStart = lineStart }
                    lastContentEnd = i
                }
                lineStart = i + 1
            }
            i += 1
        }
        if let start = paragraphStart, let range = trimmedRange(start, lastContentEnd) { result.append(range) }
        return result
    }
}
