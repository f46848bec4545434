import Dispatch
import Foundation
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

    func code(_ segments: [SegmentText], progress: ProgressHandler? = nil) -> [[CodeMatch]] {
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let chunkSize = max(64, (segments.count + workers * 8 - 1) / (workers * 8))
        let chunks = stride(from: 0, to: segments.count, by: chunkSize).map {
            $0..<min($0 + chunkSize, segments.count)
        }
        let results = Mutex<[[[CodeMatch]]]>(Array(repeating: [], count: chunks.count))
        let done = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: chunks.count) { chunk in
            var normalizer = TextNormalizer()
            let matches = segments[chunks[chunk]].map { matcher.matches(in: $0.text, normalizer: &normalizer) }
            results.withLock { $0[chunk] = matches }
            let finished = done.add(chunks[chunk].count, ordering: .relaxed).newValue
            progress?(WorkProgress(stage: "code", done: finished, total: segments.count))
        }
        return results.withLock { $0.flatMap { $0 } }
    }
}
