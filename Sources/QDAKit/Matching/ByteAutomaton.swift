/// Aho–Corasick compiled to a full DFA over byte classes: one table load per input byte.
///
/// Bytes are mapped to classes first (every byte no pattern uses shares one class, and
/// with `foldASCII` upper-case ASCII letters share their lower-case letter's class), so
/// the table has `states × classes` entries. Each entry holds the next state's row offset
/// (state × classes), with the top bit set when that state ends at least one pattern.
struct ByteAutomaton: Sendable {
    static let outputFlag: UInt32 = 1 << 31

    /// Byte → class.
    let classOf: [UInt8]
    let classCount: Int
    /// Transitions: `table[row + class]` is the next row, `| outputFlag` if it has outputs.
    let table: [UInt32]
    /// For each state (by row / classCount), the patterns that end there, longest first.
    let outputs: [[Int32]]
    /// Byte length of each pattern.
    let lengths: [Int32]

    /// Compiles `patterns` (byte strings, already folded as the text will be). With
    /// `unifyWhitespace`, tab, line break and the other ASCII white space fall in the
    /// class of the space.
    init(patterns: [[UInt8]], foldASCII: Bool, unifyWhitespace: Bool = false) {
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

        // The trie, with sparse goto edges.
        var goto: [[UInt8: Int32]] = [[:]]
        var outputs: [[Int32]] = [[]]
        var depth: [Int32] = [0]
        for (index, pattern) in patterns.enumerated() {
            var state: Int32 = 0
            for byte in pattern {
                let c = classOf[Int(byte)]
                if let target = goto[Int(state)][c] {
                    state = target
                } else {
                    goto.append([:])
                    outputs.append([])
                    depth.append(depth[Int(state)] + 1)
                    let target = Int32(goto.count - 1)
                    goto[Int(state)][c] = target
                    state = target
                }
            }
            outputs[Int(state)].append(Int32(index))
        }

        // Breadth-first: failure links, inherited outputs and the full transition table.
        let stateCount = goto.count
        var failure = [Int32](repeating: 0, count: stateCount)
        var delta = [Int32](repeating: 0, count: stateCount * classCount)
        var queue: [Int32] = []
        queue.reserveCapacity(stateCount)
        for c in 0..<classCount {
            if let target = goto[0][UInt8(c)] {
                delta[c] = target
                queue.append(target)
            }
        }
        var head = 0
        while head < queue.count {
            let state = Int(queue[head])
            head += 1
            let fail = Int(failure[state])
            if !outputs[fail].isEmpty { outputs[state] += outputs[fail] }
            for c in 0..<classCount {
                if let target = goto[state][UInt8(c)] {
                    failure[Int(target)] = delta[fail * classCount + c]
                    delta[state * classCount + c] = target
                    queue.append(target)
                } else {
                    delta[state * classCount + c] = delta[fail * classCount + c]
                }
            }
        }
        let lengths = patterns.map { Int32($0.count) }
        for state in 0..<stateCount where outputs[state].count > 1 {
            outputs[state].sort { lengths[Int($0)] > lengths[Int($1)] }
        }
        var table = [UInt32](repeating: 0, count: stateCount * classCount)
        for i in 0..<table.count {
            let target = Int(delta[i])
            table[i] = UInt32(target * classCount) | (outputs[target].isEmpty ? 0 : Self.outputFlag)
        }
        self.classOf = classOf
        self.classCount = classCount
        self.table = table
        self.outputs = outputs
        self.lengths = lengths
    }

    /// Runs the automaton over `bytes[range]`, calling `found(state, end)` after every
    /// byte that completes at least one pattern; `end` is exclusive. With
    /// `collapseWhitespace`, a run of ASCII white space is fed as its first byte only, so
    /// a single space in a pattern matches any run (the caller finds the start).
    @inline(__always)
    func scan(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0, to end: Int? = nil, collapseWhitespace: Bool,
        found: (_ state: Int, _ end: Int) -> Void
    ) {
        let stop = end ?? bytes.count
        guard start < stop, let base = bytes.baseAddress else { return }
        table.withUnsafeBufferPointer { tablePointer in
            classOf.withUnsafeBufferPointer { classPointer in
                let t = tablePointer.baseAddress!
                let k = classPointer.baseAddress!
                var row: UInt32 = 0
                var i = start
                if collapseWhitespace {
                    var previousWasSpace = false
                    while i < stop {
                        let byte = base[i]
                        let isSpace = byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
                        if isSpace && previousWasSpace {
                            i += 1
                            continue
                        }
                        previousWasSpace = isSpace
                        row = t[Int(row & ~Self.outputFlag) + Int(k[Int(byte)])]
                        i += 1
                        if row & Self.outputFlag != 0 { found(Int(row & ~Self.outputFlag) / classCount, i) }
                    }
                } else {
                    while i < stop {
                        row = t[Int(row & ~Self.outputFlag) + Int(k[Int(base[i])])]
                        i += 1
                        if row & Self.outputFlag != 0 { found(Int(row & ~Self.outputFlag) / classCount, i) }
                    }
                }
            }
        }
    }
}
