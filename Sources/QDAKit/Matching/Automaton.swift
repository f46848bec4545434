/// An Aho–Corasick automaton over folded Unicode scalars: one pass over a text finds
/// every occurrence of every pattern.
struct Automaton: Sendable {
    private var transitions: [[UInt32: Int32]] = [[:]]
    private var failure: [Int32] = [0]
    /// Pattern indices that end at each state, including those reached by failure links.
    private var outputs: [[Int32]] = [[]]
    private var lengths: [Int] = []

    init(patterns: [[Unicode.Scalar]]) {
        for (index, pattern) in patterns.enumerated() {
            lengths.append(pattern.count)
            var state: Int32 = 0
            for scalar in pattern {
                if let next = transitions[Int(state)][scalar.value] {
                    state = next
                } else {
                    transitions.append([:])
                    failure.append(0)
                    outputs.append([])
                    let next = Int32(transitions.count - 1)
                    transitions[Int(state)][scalar.value] = next
                    state = next
                }
            }
            outputs[Int(state)].append(Int32(index))
        }
        // Breadth-first failure links.
        var queue: [Int32] = transitions[0].values.sorted()
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            for (symbol, next) in transitions[Int(state)].sorted(by: { $0.key < $1.key }) {
                queue.append(next)
                var fallback = failure[Int(state)]
                while fallback != 0, transitions[Int(fallback)][symbol] == nil {
                    fallback = failure[Int(fallback)]
                }
                let target = state == 0 ? 0 : (transitions[Int(fallback)][symbol] ?? 0)
                failure[Int(next)] = target == next ? 0 : target
                outputs[Int(next)] += outputs[Int(failure[Int(next)])]
            }
        }
    }

    /// Calls `found(pattern, start, end)` for every occurrence, in order of end position.
    func scan(_ text: [Unicode.Scalar], found: (Int, Int, Int) -> Void) {
        var state: Int32 = 0
        for (position, scalar) in text.enumerated() {
            while true {
                if let next = transitions[Int(state)][scalar.value] {
                    state = next
                    break
                }
                if state == 0 { break }
                state = failure[Int(state)]
            }
            for pattern in outputs[Int(state)] {
                let end = position + 1
                found(Int(pattern), end - lengths[Int(pattern)], end)
            }
        }
    }
}
