import Dispatch
import Foundation
import QDAText
import Synchronization

/// A segment to be auto-coded: its id and text.
package struct SegmentText: Sendable {
    package var id: Int64
    package var text: String

    package init(id: Int64, text: String) {
        self.id = id
        self.text = text
    }
}

/// Applies a compiled codebook to many segments on all cores.
///
/// Segments are split into contiguous chunks; each worker has its own normaliser, and the
/// results are put back in input order, so the output does not depend on scheduling.
package struct AutoCoder: Sendable {
    package let matcher: Matcher

    package init(matcher: Matcher) {
        self.matcher = matcher
    }

    /// The codings of each segment, with the text each matched, in input order.
    /// `progress` is told the segments done and the total, from any worker.
    package func codings(
        _ segments: [SegmentText], progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) -> [[AutoCodeRow]] {
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
            progress?(finished, segments.count)
        }
        return results.withLock { $0.flatMap { $0 } }
    }
}

/// One auto-coding of a segment, as the writer stores it.
package struct AutoCodeRow: Sendable, Equatable {
    package var code: Int
    /// Offsets into the segment, in Unicode scalars.
    package var start: Int
    package var end: Int
    package var valence: Int
    /// The segment's text in the span, as written.
    package var matched: String

    /// The rows of `matches` found in `text`.
    package static func rows(_ matches: [CodeMatch], in text: String) -> [AutoCodeRow] {
        guard !matches.isEmpty else { return [] }
        let scalars = Array(text.unicodeScalars)
        return matches.map { match in
            AutoCodeRow(
                code: match.code, start: match.start, end: match.end, valence: match.valence,
                matched: String(String.UnicodeScalarView(scalars[match.start..<match.end])))
        }
    }
}
