import Dispatch
import Foundation
import QDAText
import Synchronization

/// Counts keyword matches per code in a line-oriented corpus with the benchmark's peer
/// semantics (`../shared/bench/README.md`): ASCII case folding, `[A-Za-z0-9_]` word
/// boundaries for Latin keywords, CJK keywords as substrings, `stem*` to the end of the
/// word, single spaces in phrases, and per line (paragraph) the leftmost match, then the
/// longest keyword, then exact over stem, without overlaps across all codes.
///
/// It shares the byte automaton with the auto-coder and exists so that the engine can be
/// measured against pyahocorasick, flashtext, Python `re` and grep on identical output.
package struct CorpusCounter: Sendable {
    package struct Keyword: Sendable {
        package var code: Int
        package var text: String

        package init(code: Int, text: String) {
            self.code = code
            self.text = text
        }
    }

    /// Matches and paragraphs with at least one match, by code.
    package struct Counts: Sendable {
        package var matches: [Int: Int] = [:]
        package var paragraphs: [Int: Int] = [:]

        /// `code<TAB>matches<TAB>paragraphs` lines sorted by code, as the peers print.
        package var tsv: String {
            matches.keys.sorted().map { "\($0)\t\(matches[$0]!)\t\(paragraphs[$0] ?? 0)\n" }.joined()
        }

        package var total: Int { matches.values.reduce(0, +) }
    }

    private struct Pattern {
        var code: Int32
        var length: Int32
        var isStem: Bool
        var isLatin: Bool
    }

    private let automaton: ByteAutomaton
    private let patterns: [Pattern]
    private let codeCount: Int
    /// The pattern index that marks a line break.
    private let newline: Int32

    /// Compiles `keywords`: lower-cased, white space runs made single spaces, a trailing
    /// `*` marking a stem. Throws on duplicates, as the peers do.
    package init(keywords: [Keyword]) throws {
        var bytes: [[UInt8]] = []
        var patterns: [Pattern] = []
        var seen: Set<String> = []
        for keyword in keywords {
            var text = keyword.text.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            let isStem = text.hasSuffix("*")
            if isStem { text.removeLast() }
            guard seen.insert(text + (isStem ? "*" : "")).inserted else {
                throw MatchingError.duplicateKeyword(keyword.text)
            }
            let utf8 = Array(text.utf8)
            bytes.append(utf8)
            patterns.append(
                Pattern(
                    code: Int32(keyword.code), length: Int32(utf8.count), isStem: isStem,
                    isLatin: !text.unicodeScalars.contains { $0.value >= 0x2E80 }))
        }
        newline = Int32(bytes.count)
        bytes.append([0x0A])
        automaton = ByteAutomaton(patterns: bytes, foldASCII: true)
        self.patterns = patterns
        codeCount = (keywords.map(\.code).max() ?? 0) + 1
    }

    /// Counts the matches in the file at `path`. The file is mapped into memory and read in
    /// blocks that end at line breaks; each block is split across `threads` workers, and
    /// its pages are released once counted, so memory stays flat however large the file.
    package func count(path: String, threads: Int, blockSize: Int = 32 << 20) throws -> (Counts, bytes: Int) {
        let file = try MappedFile(path: path)
        defer { file.close() }
        var matches = [Int](repeating: 0, count: codeCount)
        var paragraphs = [Int](repeating: 0, count: codeCount)
        let bytes = file.bytes
        var start = 0
        while start < bytes.count {
            var end = min(bytes.count, start + blockSize)
            while end < bytes.count, bytes[end - 1] != 0x0A { end += 1 }
            let (m, p) = count(bytes, from: start, to: end, threads: threads)
            for c in 0..<codeCount {
                matches[c] += m[c]
                paragraphs[c] += p[c]
            }
            file.release(upTo: end)
            start = end
        }
        var total = Counts()
        for c in 0..<codeCount where matches[c] > 0 {
            total.matches[c] = matches[c]
            total.paragraphs[c] = paragraphs[c]
        }
        return (total, bytes.count)
    }

    /// Counts `bytes[from..<to]` (whole lines), split at line breaks across `threads` workers.
    private func count(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int, threads: Int) -> ([Int], [Int]) {
        var cuts = [from]
        let step = max(1, (to - from) / max(1, threads))
        for t in 1..<max(1, threads) {
            var cut = max(cuts.last!, from + t * step)
            while cut < to, bytes[cut - 1] != 0x0A { cut += 1 }
            cuts.append(min(cut, to))
        }
        cuts.append(to)
        let bounds = cuts
        let parts = bounds.count - 1
        let results = Mutex<[([Int], [Int])]>(Array(repeating: ([], []), count: parts))
        // The workers only read the mapping, which outlives them.
        nonisolated(unsafe) let shared = bytes
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let result = count(shared, from: bounds[part], to: bounds[part + 1])
            results.withLock { $0[part] = result }
        }
        var matches = [Int](repeating: 0, count: codeCount)
        var paragraphs = [Int](repeating: 0, count: codeCount)
        for (m, p) in results.withLock({ $0 }) where !m.isEmpty {
            for c in 0..<codeCount {
                matches[c] += m[c]
                paragraphs[c] += p[c]
            }
        }
        return (matches, paragraphs)
    }

    private struct Candidate {
        var start: Int
        var end: Int
        var length: Int32
        var isStem: Bool
        var code: Int32
    }

    /// Per-line candidates and the counts they add up to, for one stream of lines.
    private struct Tally {
        var matches: [Int]
        var paragraphs: [Int]
        var seenInParagraph: [Int]
        var paragraph = 0
        var candidates: [Candidate] = []

        package init(codes: Int) {
            matches = [Int](repeating: 0, count: codes)
            paragraphs = [Int](repeating: 0, count: codes)
            seenInParagraph = [Int](repeating: -1, count: codes)
        }

        mutating func finishParagraph() {
            if !candidates.isEmpty {
                candidates.sort { a, b in
                    if a.start != b.start { return a.start < b.start }
                    if a.length != b.length { return a.length > b.length }
                    return !a.isStem && b.isStem
                }
                var reach = -1
                for candidate in candidates where candidate.start >= reach {
                    let code = Int(candidate.code)
                    matches[code] += 1
                    if seenInParagraph[code] != paragraph {
                        seenInParagraph[code] = paragraph
                        paragraphs[code] += 1
                    }
                    reach = candidate.end
                }
                candidates.removeAll(keepingCapacity: true)
            }
            paragraph += 1
        }
    }

    /// Counts the lines of `bytes[from..<to]`: the range is cut in two at a line break and
    /// both halves are scanned interleaved.
    private func count(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> ([Int], [Int]) {
        var middle = from + (to - from) / 2
        while middle < to, middle > from, bytes[middle - 1] != 0x0A { middle += 1 }
        var tallies = [Tally(codes: codeCount), Tally(codes: codeCount)]
        let limits = [middle, to]
        automaton.scanInterleaved(bytes, from..<middle, middle..<to) { stream, state, end in
            for index in automaton.outputs[state] {
                if index == newline {
                    tallies[stream].finishParagraph()
                    continue
                }
                let pattern = patterns[Int(index)]
                let start = end - Int(pattern.length)
                var stop = end
                if pattern.isLatin {
                    if start > 0, UTF8Text.isASCIIWord(bytes[start - 1]) { continue }
                    let limit = limits[stream]
                    if pattern.isStem {
                        while stop < limit, UTF8Text.isASCIIWord(bytes[stop]) { stop += 1 }
                    } else if stop < limit, UTF8Text.isASCIIWord(bytes[stop]) {
                        continue
                    }
                }
                tallies[stream].candidates.append(
                    Candidate(
                        start: start, end: stop, length: pattern.length, isStem: pattern.isStem, code: pattern.code))
            }
        }
        tallies[0].finishParagraph()
        tallies[1].finishParagraph()
        var matches = tallies[0].matches
        var paragraphs = tallies[0].paragraphs
        for c in 0..<codeCount {
            matches[c] += tallies[1].matches[c]
            paragraphs[c] += tallies[1].paragraphs[c]
        }
        return (matches, paragraphs)
    }
}
