/// Aho–Corasick compiled to a full DFA over byte classes: one table load per input byte.
///
/// Bytes are mapped to classes first (every byte no pattern uses shares one class, and
/// with `foldASCII` upper-case ASCII letters share their lower-case letter's class), so
/// the table has `states × classes` entries. Each entry holds the next state's row offset
/// (state × classes), with the top bit set when that state ends at least one pattern.
package struct ByteAutomaton: Sendable {
    /// Byte → class.
    package let classOf: [UInt8]
    package let classCount: Int
    /// Transitions: `table[row + class]` is the next state's row (state × classCount),
    /// with `outputFlag` set when that state ends at least one pattern.
    package let table: [UInt32]
    package static let outputFlag: UInt32 = 0x8000_0000
    /// For each state (by row / classCount), the patterns that end there, longest first.
    package let outputs: [[Int32]]
    /// Byte length of each pattern.
    package let lengths: [Int32]

    /// Compiles `patterns` (byte strings, already folded as the text will be). With
    /// `unifyWhitespace`, tab, line break and the other ASCII white space fall in the
    /// class of the space.
    package init(patterns: [[UInt8]], foldASCII: Bool, unifyWhitespace: Bool = false) {
        // Byte classes: one per distinct byte used by the patterns, one for the rest.
        var used = [Bool](repeating: false, count: 256)
        for pattern in patterns {
            for byte in pattern { used[Int(byte)] = true }
        }
        var classOf = [UInt8](repeating: 0, count: 256)
        var next: UInt8 = 1
        for byte in 0..<256 where used[byte] {
            if foldASCII, byte >= 0x41, byte <= 0x5A { continue }
            classOf[byte] = next
            next += 1
        }
        if foldASCII {
            for upper in 0x41...0x5A { classOf[upper] = classOf[upper + 0x20] }
        }
        if unifyWhitespace {
            for space in [0x09, 0x0A, 0x0B, 0x0C, 0x0D] { classOf[space] = classOf[0x20] }
        }
        let classCount = Int(next)

        // The trie, with its edges as short lists (most states have one child).
        var children: [[(UInt8, Int32)]] = [[]]
        var outputs: [[Int32]] = [[]]
        for (index, pattern) in patterns.enumerated() {
            var state = 0
            for byte in pattern {
                let c = classOf[Int(byte)]
                if let edge = children[state].first(where: { $0.0 == c }) {
                    state = Int(edge.1)
                } else {
                    children.append([])
                    outputs.append([])
                    let target = children.count - 1
                    children[state].append((c, Int32(target)))
                    state = target
                }
            }
            outputs[state].append(Int32(index))
        }

        // Breadth-first: each state's row starts as a copy of its failure state's row (a
        // state seen earlier), then its own edges overwrite it; the failure of a child is
        // where the parent's failure row leads on the same class.
        // The table holds row offsets (state × classCount) from the start, so it is the
        // only large array; output flags are set in a last pass.
        let stateCount = children.count
        var failure = [Int32](repeating: 0, count: stateCount)
        var table = [UInt32](repeating: 0, count: stateCount * classCount)
        var queue: [Int32] = [0]
        queue.reserveCapacity(stateCount)
        var head = 0
        table.withUnsafeMutableBufferPointer { t in
            let base = t.baseAddress!
            while head < queue.count {
                let state = Int(queue[head])
                head += 1
                let fail = Int(failure[state])
                if state != 0 {
                    if !outputs[fail].isEmpty { outputs[state] += outputs[fail] }
                    (base + state * classCount).update(from: base + fail * classCount, count: classCount)
                }
                for (c, target) in children[state] {
                    failure[Int(target)] = state == 0 ? 0 : Int32(Int(base[fail * classCount + Int(c)]) / classCount)
                    base[state * classCount + Int(c)] = UInt32(Int(target) * classCount)
                    queue.append(target)
                }
            }
            let flags = outputs.map { $0.isEmpty ? UInt32(0) : Self.outputFlag }
            for i in 0..<t.count {
                t[i] |= flags[Int(t[i]) / classCount]
            }
        }
        let lengths = patterns.map { Int32($0.count) }
        for state in 0..<stateCount where outputs[state].count > 1 {
            outputs[state].sort { lengths[Int($0)] > lengths[Int($1)] }
        }
        self.outputs = outputs
        self.classOf = classOf
        self.classCount = classCount
        self.table = table
        self.lengths = lengths
    }

    /// Runs the automaton over `bytes`, calling `found(state, end)` after every byte that
    /// completes at least one pattern; `end` is exclusive. A run of ASCII white space is
    /// fed as its first byte only, so a single space in a pattern matches any run (the
    /// caller finds where a match starts).
    /// Calls `body` with the transition table and the byte classes as raw pointers.
    @inline(__always)
    private func withTables<R>(_ body: (UnsafePointer<UInt32>, UnsafePointer<UInt8>) -> R) -> R {
        table.withUnsafeBufferPointer { t in
            classOf.withUnsafeBufferPointer { k in body(t.baseAddress!, k.baseAddress!) }
        }
    }

    @inline(__always)
    package func scanCollapsingWhitespace(
        _ bytes: UnsafeBufferPointer<UInt8>, found: (_ state: Int, _ end: Int) -> Void
    ) {
        guard let base = bytes.baseAddress else { return }
        withTables { t, k in
            let flag = Self.outputFlag
            let mask = ~Self.outputFlag
            let classes = classCount
            var row: UInt32 = 0
            var previousWasSpace = false
            for i in 0..<bytes.count {
                let byte = base[i]
                let isSpace = byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
                if isSpace && previousWasSpace { continue }
                previousWasSpace = isSpace
                row = t[Int(row & mask) + Int(k[Int(byte)])]
                if row & flag != 0 { found(Int(row & mask) / classes, i + 1) }
            }
        }
    }

    /// Runs the automaton over two ranges at once, interleaving their bytes: each step
    /// is a dependent table load, so two independent walks keep the processor busy while
    /// either waits for memory. `found(stream, state, end)` reports the hits of each.
    @inline(__always)
    package func scanInterleaved(
        _ bytes: UnsafeBufferPointer<UInt8>, _ first: Range<Int>, _ second: Range<Int>,
        found: (_ stream: Int, _ state: Int, _ end: Int) -> Void
    ) {
        guard let base = bytes.baseAddress else { return }
        withTables { t, k in
            let flag = Self.outputFlag
            let mask = ~Self.outputFlag
            let classes = classCount
            var rowA: UInt32 = 0
            var rowB: UInt32 = 0
            var a = first.lowerBound
            var b = second.lowerBound
            let steps = min(first.count, second.count)
            for _ in 0..<steps {
                rowA = t[Int(rowA & mask) + Int(k[Int(base[a])])]
                rowB = t[Int(rowB & mask) + Int(k[Int(base[b])])]
                a += 1
                b += 1
                if rowA & flag != 0 { found(0, Int(rowA & mask) / classes, a) }
                if rowB & flag != 0 { found(1, Int(rowB & mask) / classes, b) }
            }
            while a < first.upperBound {
                rowA = t[Int(rowA & mask) + Int(k[Int(base[a])])]
                a += 1
                if rowA & flag != 0 { found(0, Int(rowA & mask) / classes, a) }
            }
            while b < second.upperBound {
                rowB = t[Int(rowB & mask) + Int(k[Int(base[b])])]
                b += 1
                if rowB & flag != 0 { found(1, Int(rowB & mask) / classes, b) }
            }
        }
    }
}
