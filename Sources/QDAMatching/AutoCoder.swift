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

    /// The codings of each segment, in input order.
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
                AutoCodeRow.rows(matcher.matches(in: segment.text, normalizer: &normalizer))
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

    /// The rows of `matches`. (What a row matched is its span of the text: the project
    /// file does not store it again.)
    package static func rows(_ matches: [CodeMatch]) -> [AutoCodeRow] {
        matches.map { AutoCodeRow(code: $0.code, start: $0.start, end: $0.end, valence: $0.valence) }
    }
}
