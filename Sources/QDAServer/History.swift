import QDAKit
import Synchronization

/// Undo and redo of a person's coding steps, on the server, per coder: a reload of the page
/// keeps them (they last while the server runs). A step is what one action removed and
/// added; undoing it puts back what was removed and removes what was added, in one
/// transaction, and becomes the step that redo applies.
final class CodingHistory: Sendable {
    /// What one action did: the codings it added and the codings it removed, each as the
    /// selection that stores it (ids change when a coding is put back).
    struct Step: Sendable {
        var label: String
        var documentID: Int64
        /// Whose codings they are (a person may unmark another's coding).
        var owner: String
        var added: [CodingSelection]
        var removed: [CodingSelection]
    }
    private struct Stacks {
        var undo: [Step] = []
        var redo: [Step] = []
    }
    /// Steps kept per coder.
    static let depth = 200
    private let stacks = Mutex<[String: Stacks]>([:])

    /// Records `step` by `coder`; a new step clears what could be redone.
    func record(_ step: Step, coder: String) {
        guard !step.added.isEmpty || !step.removed.isEmpty else { return }
        stacks.withLock {
            var mine = $0[coder, default: Stacks()]
            mine.undo.append(step)
            if mine.undo.count > Self.depth { mine.undo.removeFirst(mine.undo.count - Self.depth) }
            mine.redo = []
            $0[coder] = mine
        }
    }

    /// How many steps `coder` can undo and redo.
    func counts(coder: String) -> (undo: Int, redo: Int) {
        stacks.withLock { ($0[coder]?.undo.count ?? 0, $0[coder]?.redo.count ?? 0) }
    }

    /// Undoes (or with `redo`, redoes) `coder`'s last step on `workbench`; nil when there is none.
    func apply(redo: Bool, coder: String, workbench: Workbench) throws -> Step? {
        guard
            let step = stacks.withLock({ stacks -> Step? in
                redo ? stacks[coder]?.redo.popLast() : stacks[coder]?.undo.popLast()
            })
        else { return nil }
        let result = try workbench.exchangeCodings(remove: step.added, add: step.removed, coder: step.owner)
        let inverse = Step(
            label: step.label, documentID: step.documentID, owner: step.owner,
            added: result.added.map { Self.selection(of: $0, documentID: step.documentID) },
            removed: result.removed.map(\.selection))
        stacks.withLock {
            if redo {
                $0[coder, default: Stacks()].undo.append(inverse)
            } else {
                $0[coder, default: Stacks()].redo.append(inverse)
            }
        }
        return inverse
    }

    /// The selection that would store `coding` again.
    static func selection(of coding: CodingRecord, documentID: Int64) -> CodingSelection {
        CodingSelection(
            documentID: documentID, start: coding.start, end: coding.end, text: coding.text, code: coding.code,
            valence: coding.valence, memo: coding.memo)
    }
}
