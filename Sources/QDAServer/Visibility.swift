import QDAKit

/// What the user of a request may see of the codings on a team server with blind
/// documents: on a blind document a coder or viewer sees only their own codings (and the
/// auto-coder's if the admin allowed it) in every route — the reader, the review queue,
/// evidence, search, memos — and no aggregate of the project (reports, downloads, counts)
/// until the admin reveals it. An admin, and anyone on a one-person server, sees everything.
struct Visibility {
    /// The user whose own codings show.
    var user: String?
    /// Blind document → whether the auto-coder's codings show; empty when all shows.
    var blind: [String: Bool] = [:]

    /// Everything shows.
    static let everything = Visibility(user: nil)

    /// The visibility for `context` on a server with `access`.
    static func of(_ context: WorkbenchContext, _ access: ServerAccess) throws -> Visibility {
        guard let team = access.team, let role = context.role, role < .admin else { return .everything }
        return Visibility(user: context.user, blind: try team.blindDocuments())
    }

    var showsEverything: Bool { blind.isEmpty }

    /// Whether a coding by `coder` on `document` shows.
    func shows(coder: String, document: String) -> Bool {
        guard let showAuto = blind[document] else { return true }
        return coder == user || (coder == "auto" && showAuto)
    }

    /// Refuses a route that aggregates every coding while documents are blind.
    func requireNothingBlind() throws {
        guard !blind.isEmpty else { return }
        throw RequestProblem.forbidden(
            "\(blind.count) document\(blind.count == 1 ? " is" : "s are") coded blind: the project's reports, "
                + "counts and downloads open when an admin reveals \(blind.count == 1 ? "it" : "them").")
    }

    /// `view` with only the codings that show.
    func filter(_ view: DocumentView) -> DocumentView {
        guard blind[view.name] != nil else { return view }
        var view = view
        view.codings = view.codings.filter { shows(coder: $0.coder, document: view.name) }
        return view
    }

    /// `summary` counted from the codings that show (`view` is its document's).
    func filter(_ summary: DocumentSummary, view: () throws -> DocumentView?) rethrows -> DocumentSummary {
        guard blind[summary.name] != nil, let view = try view() else { return summary }
        let shown = filter(view)
        let countable = Set(view.segments.filter { !$0.interviewer }.map(\.id))
        var summary = summary
        summary.codings = shown.codings.count
        summary.coders = Array(Set(shown.codings.map(\.coder))).sorted()
        summary.codedSegments = Set(shown.codings.map(\.segment)).intersection(countable).count
        return summary
    }
}
