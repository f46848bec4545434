package import Foundation
import QDAText

/// Reads WebVTT (`.vtt`) and SubRip (`.srt`) subtitle files, as Zoom, Teams, Whisper and
/// transcription services write them, into speaker turns.
///
/// The rule (docs/formats.md): a cue's speaker is its `<v Name>` voice tag, a leading
/// `Name:` label, or a leading `[SPEAKER_01]:`; consecutive cues of one speaker are
/// merged into one turn, and a cue without a speaker continues the turn before it. In a
/// file where no cue names a speaker, cues are merged into paragraphs that break at a
/// pause of two seconds or more. Each turn starts with the start time of its first cue,
/// kept as the segment's timestamp; the stored text reads like a plain transcript,
/// `[00:01:02.500] Name: words`. Markup (`<i>`, `<c.x>`, `{\an8}`) is dropped and
/// character references are decoded; NOTE, STYLE and REGION blocks are skipped.
package enum SubtitleReader {
    struct Cue: Equatable {
        var start: Double
        var end: Double
        var speaker: String?
        var text: String
    }

    /// A pause at least this long (seconds) starts a new paragraph in a file without speakers.
    static let paragraphPause = 2.0

    package static func extract(_ data: Data, path: String, format: DocumentFormat, encoding: TextEncoding?) throws
        -> Extraction
    {
        let decoded = try TextDecoder.decode(data, path: path, encoding: encoding)
        let cues = try parse(TextHygiene.clean(decoded.text), path: path, format: format)
        var extraction = layout(cues)
        extraction.encoding = decoded.encoding
        extraction.encodingDetected = decoded.detected
        extraction.readsFrontMatter = false
        extraction.defaultKind = .interview
        return extraction
    }

    static func parse(_ text: String, path: String, format: DocumentFormat) throws -> [Cue] {
        let formatName = format == .vtt ? "WebVTT" : "SubRip"
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        if format == .vtt, !(lines.first?.hasPrefix("WEBVTT") ?? false) {
            throw CorpusError.malformedDocument(
                path: path, format: formatName, reason: "line 1: a WebVTT file starts with 'WEBVTT'")
        }
        var cues: [Cue] = []
        var index = 0
        while index < lines.count {
            // One block: lines up to the next blank line.
            var end = index
            while end < lines.count, !lines[end].isEmpty { end += 1 }
            let block = lines[index..<end]
            defer { index = end + 1 }
            guard let first = block.first else { continue }
            if first.hasPrefix("WEBVTT") || first.hasPrefix("NOTE") || first == "STYLE" || first == "REGION" {
                continue
            }
            guard let timingIndex = block.firstIndex(where: { $0.contains("-->") }) else {
                if format == .srt, block.count == 1, Int(first) != nil { continue }
                throw CorpusError.malformedDocument(
                    path: path, format: formatName, reason: "line \(index + 1): a cue without a timing line")
            }
            guard let (start, stop) = timing(lines[timingIndex]) else {
                throw CorpusError.malformedDocument(
                    path: path, format: formatName,
                    reason: "line \(timingIndex + 1): '\(lines[timingIndex])' is not a cue timing")
            }
            let payload = block[(timingIndex + 1)...]
            guard !payload.isEmpty else { continue }
            let (speaker, words) = speakerAndText(payload.joined(separator: "\n"))
            if words.isEmpty && speaker == nil { continue }
            cues.append(Cue(start: start, end: stop, speaker: speaker, text: words))
        }
        return cues
    }

    /// `00:01:02.500 --> 00:01:04,000 align:start` → (62.5, 64.0).
    static func timing(_ line: String) -> (Double, Double)? {
        let parts = line.components(separatedBy: "-->")
        guard parts.count == 2 else { return nil }
        let endField = parts[1].trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init) ?? ""
        guard let start = seconds(parts[0].trimmingCharacters(in: .whitespaces)), let end = seconds(endField) else {
            return nil
        }
        return (start, end)
    }

    static func seconds(_ text: String) -> Double? {
        let fields = text.replacingOccurrences(of: ",", with: ".").split(separator: ":")
        guard fields.count == 2 || fields.count == 3 else { return nil }
        var total = 0.0
        for (n, field) in fields.enumerated() {
            guard let value = Double(field), value >= 0 else { return nil }
            if n < fields.count - 1 && field.contains(".") { return nil }
            total = total * 60 + value
        }
        // A time beyond 100,000 hours (or "inf") is no cue time (fuzzing found one that
        // overflowed the millisecond count).
        guard total.isFinite, total < 360_000_000 else { return nil }
        return total
    }

    /// The cue's speaker and its text without markup.
    static func speakerAndText(_ payload: String) -> (String?, String) {
        var speaker: String?
        var text = ""
        var rest = Substring(payload)
        // Voice tag: <v Name> or <v.class Name>.
        while let open = rest.firstIndex(of: "<") {
            text += rest[..<open]
            guard let close = rest[open...].firstIndex(of: ">") else {
                text += rest[open...]
                rest = ""
                break
            }
            let tag = rest[rest.index(after: open)..<close]
            if speaker == nil, tag.hasPrefix("v ") || tag.hasPrefix("v.") {
                let name = tag.drop { $0 != " " }.trimmingCharacters(in: .whitespaces)
                if !name.isEmpty { speaker = name }
            }
            rest = rest[rest.index(after: close)...]
        }
        text += rest
        // SubRip/ASS overrides such as {\an8}.
        while let open = text.range(of: "{\\"), let close = text[open.upperBound...].firstIndex(of: "}") {
            text.removeSubrange(open.lowerBound...close)
        }
        text = HTMLReader.decodeEntities(text)
        text = text.split(whereSeparator: { $0 == "\n" || $0 == " " || $0 == "\t" }).joined(separator: " ")
        if speaker == nil {
            if text.hasPrefix("["), let close = text.range(of: "]:") {
                let name = String(text[text.index(after: text.startIndex)..<close.lowerBound])
                if !name.isEmpty, !name.contains(" ") || name.count <= TurnLabel.maximumLabelLength {
                    speaker = name
                    text = String(text[close.upperBound...]).trimmingCharacters(in: .whitespaces)
                }
            } else {
                let bytes = Array(text.utf8)
                if let label = TurnLabel.parse(bytes, 0, bytes.count), label.timestamp == nil {
                    speaker = label.speaker
                    text = String(decoding: bytes[label.contentStart...], as: UTF8.self)
                }
            }
        }
        return (speaker, text)
    }

    static func formatTime(_ seconds: Double) -> String {
        let milliseconds = Int((seconds * 1000).rounded())
        let h = milliseconds / 3_600_000
        let m = milliseconds / 60_000 % 60
        let s = milliseconds / 1000 % 60
        let ms = milliseconds % 1000
        let base = String(format: "%02d:%02d:%02d", h, m, s)
        return ms == 0 ? base : base + String(format: ".%03d", ms)
    }

    /// Merges cues into turns and lays them out as transcript text with segments.
    static func layout(_ cues: [Cue]) -> Extraction {
        let anySpeaker = cues.contains { $0.speaker != nil }
        var turns: [(speaker: String?, start: Double, end: Double, words: [String])] = []
        for cue in cues {
            if let last = turns.last {
                let sameTurn =
                    anySpeaker
                    ? (cue.speaker == nil || cue.speaker == last.speaker)
                    : cue.start - last.end < paragraphPause
                if sameTurn {
                    turns[turns.count - 1].words.append(cue.text)
                    turns[turns.count - 1].end = max(last.end, cue.end)
                    continue
                }
            }
            turns.append((cue.speaker, cue.start, cue.end, [cue.text]))
        }
        var text = ""
        var length = 0
        var segments: [SegmentDraft] = []
        for turn in turns {
            let words = turn.words.filter { !$0.isEmpty }.joined(separator: " ")
            guard !words.isEmpty else { continue }
            if !text.isEmpty {
                text += "\n\n"
                length += 2
            }
            let stamp = formatTime(turn.start)
            let label = "[\(stamp)] " + (turn.speaker.map { $0 + ": " } ?? "")
            text += label + words
            let start = length + label.unicodeScalars.count
            length = start + words.unicodeScalars.count
            segments.append(
                SegmentDraft(
                    ordinal: segments.count, start: start, end: length, speaker: turn.speaker, timestamp: stamp,
                    text: words))
        }
        var extraction = Extraction(text: text)
        extraction.segments = segments
        return extraction
    }
}
