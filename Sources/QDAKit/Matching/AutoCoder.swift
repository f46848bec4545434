import Dispatch
import Foundation
import QDAText
import Synchronization

/// A segment to be auto-coded: its id and text.
struct SegmentText: Sendable {
    var id: Int64
    var text: String
}

/// Applies a compiled codebook to many segments on all cores.
///
/// Segments are split into contiguous chunks; each worker has its own normaliser, and the
/// results are put back in input order, so the output does not depend on scheduling.
struct AutoCoder: Sendable {
    let matcher: Matcher

    /// The codings of each segment, with the text each matched, in input order.
    func codings(_ segments: [SegmentText], progress: ProgressHandler? = nil) -> [[AutoCodeRow]] {
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let chunkSize = max(64, (segments.count + workers * 8 - 1) / (workers * 8))
        let chunks = stride(from: 0, to: segments.count, by: chunkSize).map {
            $0..<min($0 + chunkSize, segments.count)
        }
        let results = Mutex<[[[AutoCodeRow]]]>(Array(repeating: [], count: chunks.count))
        let done = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: chunks.count) { chunk in
            var normalizer = TextNormalizer()
            let codings = segments[chunks[chunk]].map { segment in
                AutoCodeRow.rows(matcher.matches(in: segment.text, normalizer: &normalizer), in: segment.text)
            }
            results.withLock { $0[chunk] = codings }
            let finished = done.add(chunks[chunk].count, ordering: .relaxed).newValue
            progress?(WorkProgress(stage: "code", done: finished, total: segments.count))
        }
        return results.withLock { $0.flatMap { $0 } }
    }
}

/// One auto-coding of a segment, as the writer stores it.
struct AutoCodeRow: Sendable, Equatable {
    var code: Int
    /// Offsets into the segment, in Unicode scalars.
    var start: Int
    var end: Int
    var valence: Int
    /// The segment's text in the span, as written.
    var matched: String

    /// The rows of `matches` found in `text`.
    static func rows(_ matches: [CodeMatch], in text: String) -> [AutoCodeRow] {
        guard !matches.isEmpty else { return [] }
        let scalars = Array(text.unicodeScalars)
        return matches.map { match in
            AutoCodeRow(
                code: match.code, start: match.start, end: match.end, valence: match.valence,
                matched: String(String.UnicodeScalarView(scalars[match.start..<match.end])))
        }
    }
}
