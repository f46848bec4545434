import Foundation
import Hummingbird
import QDAKit

/// The JSON API (docs/server.md): each route calls one use case of the `Workbench`, says
/// the change to the open pages (`LiveUpdates`) and, for a person's codings, records the
/// step for undo (`CodingHistory`).
struct WorkbenchAPI: Sendable {
    let workbench: Workbench
    let coder: String
    let live: LiveUpdates
    let history: CodingHistory
    let access: ServerAccess

    /// Who makes a change that needs `needed`: on a team server the signed-in user, if their
    /// role allows it (`NotAllowed` otherwise); on a one-person server the server's coder.
    func actor(_ context: WorkbenchContext, _ needed: TeamRole) throws -> String {
        guard let role = context.role else { return coder }
        guard role >= needed else { throw NotAllowed(needed: needed, role: role) }
        return context.user ?? coder
    }

    /// On a team server a coder changes only their own codings; an admin any.
    func owner(_ context: WorkbenchContext) -> String? {
        guard let role = context.role, role < .admin else { return nil }
        return context.user
    }

    /// Records a change in a team server's activity log (a failure to record is said on
    /// standard error; the change it describes has happened).
    func audit(_ context: WorkbenchContext, _ action: String, _ detail: String) {
        guard let team = access.team, let user = context.user else { return }
        do {
            try team.log(user: user, action: action, detail: detail)
        } catch {
            FileHandle.standardError.write(Data("qda serve: the activity log was not written (\(error)).\n".utf8))
        }
    }

    func add(to router: Router<WorkbenchContext>) {
        let api = router.group("api")
        addDocuments(to: api)
        addCodings(to: api)
        addReviews(to: api)
        addSuggestions(to: api)
        addCodebook(to: api)
        addEvidence(to: api)
        addBlindCoding(to: api)
        addActivity(to: api)
        addAgreement(to: api)
        api.get("events") { _, _ -> Response in live.response() }
    }

    // MARK: Documents

    private func addDocuments(to api: RouterGroup<WorkbenchContext>) {
        api.get("documents") { _, context -> Response in
            await answer {
                let visibility = try Visibility.of(context, access)
                return try JSONResponse.make(
                    try workbench.documentSummaries().map { summary in
                        DocumentItem(try visibility.filter(summary) { try workbench.documentView(id: summary.id) })
                    })
            }
        }
        api.get("documents/:id") { _, context -> Response in
            guard let id = context.parameters.get("id", as: Int64.self) else {
                return JSONResponse.error(.notFound, "No such document.")
            }
            return await answer {
                guard let view = try workbench.documentView(id: id) else {
                    return JSONResponse.error(.notFound, "No document #\(id) in the project.")
                }
                return try JSONResponse.make(DocumentBody(try Visibility.of(context, access).filter(view)))
            }
        }
        api.get("search") { request, context -> Response in
            await answer {
                guard let query = request.uri.queryParameters["q"].map(String.init), !query.isEmpty else {
                    return JSONResponse.error(.unprocessableContent, "Say what to search for: ?q=WORDS.")
                }
                var filter = SegmentFilter()
                filter.query = query
                filter.byRelevance = true
                filter.limit = 50
                let result = try workbench.findSegments(filter)
                let ids = try workbench.documentIDs()
                let visibility = try Visibility.of(context, access)
                return try JSONResponse.make(
                    EvidenceAnswer(
                        total: result.total,
                        segments: result.segments.map {
                            EvidenceAnswer.Segment($0, documentID: ids[$0.document]).shown(by: visibility)
                        }))
            }
        }
        api.post("documents") { request, context -> Response in
            await answer {
                _ = try actor(context, .admin)
                let name = request.uri.queryParameters["name"].map(String.init) ?? ""
                let data = try await request.body.collect(upTo: WorkbenchServer.maximumUpload)
                let summary = try Uploads.ingest(
                    name: name, data: Data(data.readableBytesView),
                    region: request.uri.queryParameters["region"].map(String.init),
                    workbench: workbench)
                live.publish(["type": "documents"])
                audit(context, "upload", name)
                return try JSONResponse.make(summary, status: .created)
            }
        }
    }

    // MARK: Codings, undo and redo

    private func addCodings(to api: RouterGroup<WorkbenchContext>) {
        api.post("codings") { request, context -> Response in
            await answer {
                let acting = try actor(context, .coder)
                let body = try await request.decode(as: NewCoding.self, context: context)
                var coder = acting
                if let asCoder = body.asCoder {
                    // Only the consensus, and only by whoever may decide it.
                    guard asCoder == WorkbenchServer.consensusCoder else {
                        throw RequestProblem("\"as\" may only be \"consensus\"; a coding is the signed-in coder's.")
                    }
                    _ = try actor(context, .admin)
                    coder = asCoder
                }
                let selection = CodingSelection(
                    documentID: body.documentID, start: body.start, end: body.end, text: body.text, code: body.code,
                    valence: body.valence ?? 0, memo: body.memo)
                let records = try workbench.codeSelection(selection, coder: coder)
                history.record(
                    .init(
                        label: "code \(body.code)", documentID: body.documentID, owner: coder,
                        added: records.map { CodingHistory.selection(of: $0, documentID: body.documentID) },
                        removed: []), coder: acting)
                changed(document: body.documentID)
                audit(
                    context, coder == acting ? "code" : "consensus",
                    "\(body.code) in document #\(body.documentID) at \(body.start)–\(body.end): coding "
                        + records.map { "#\($0.id)" }.joined(separator: ", "))
                return try JSONResponse.make(["ids": records.map(\.id)], status: .created)
            }
        }
        api.patch("codings/:id") { request, context -> Response in
            guard let id = context.parameters.get("id", as: Int64.self) else {
                return JSONResponse.error(.notFound, "No such coding.")
            }
            return await answer {
                let coder = try actor(context, .coder)
                let body = try await request.decode(as: CodingChange.self, context: context)
                let result = try workbench.replaceCoding(id: id, ownedBy: owner(context)) { try body.applied(to: $0) }
                let documentID = result.removed.selection.documentID
                audit(
                    context, "change coding",
                    "#\(id) (\(result.removed.coding.code)) → "
                        + result.added.map { "#\($0.id) (\($0.code))" }
                        .joined(separator: ", "))
                history.record(
                    .init(
                        label: "change coding", documentID: documentID, owner: result.removed.coding.coder,
                        added: result.added.map { CodingHistory.selection(of: $0, documentID: documentID) },
                        removed: [result.removed.selection]), coder: coder)
                changed(document: documentID)
                return try JSONResponse.make(["ids": result.added.map(\.id)])
            }
        }
        api.delete("codings/:id") { _, context -> Response in
            guard let id = context.parameters.get("id", as: Int64.self) else {
                return JSONResponse.error(.notFound, "No such coding.")
            }
            return await answer {
                let coder = try actor(context, .coder)
                let removed = try workbench.removeCoding(id: id, ownedBy: owner(context))
                history.record(
                    .init(
                        label: "unmark", documentID: removed.selection.documentID, owner: removed.coding.coder,
                        added: [], removed: [removed.selection]), coder: coder)
                changed(document: removed.selection.documentID)
                audit(context, "unmark", "#\(id) (\(removed.coding.code) in \(removed.coding.document))")
                return Response(status: .noContent)
            }
        }
        for (path, redo) in [("undo", false), ("redo", true)] {
            api.post(RouterPath(path)) { _, context -> Response in
                await answer {
                    let coder = try actor(context, .coder)
                    guard let step = try history.apply(redo: redo, coder: coder, workbench: workbench) else {
                        return JSONResponse.error(.conflict, "Nothing to \(path).")
                    }
                    changed(document: step.documentID)
                    audit(context, path, "\(step.label) in document #\(step.documentID)")
                    let counts = history.counts(coder: coder)
                    return try JSONResponse.make(
                        HistoryAnswer(
                            step: step.label, documentID: step.documentID, undo: counts.undo, redo: counts.redo))
                }
            }
        }
        api.get("history") { _, context -> Response in
            let counts = history.counts(coder: context.user ?? coder)
            return await answer { try JSONResponse.make(["undo": counts.undo, "redo": counts.redo]) }
        }
    }

    private func changed(document: Int64) {
        live.publish(["type": "codings", "document_id": String(document)])
    }

    // MARK: Review

    private func addReviews(to api: RouterGroup<WorkbenchContext>) {
        api.get("reviews") { request, context -> Response in
            await answer {
                let query = request.uri.queryParameters
                let limit = query["limit"].flatMap { Int(String($0)) } ?? 50
                let blindNow = try !Visibility.of(context, access).showsEverything
                let pending = try workbench.pendingReviews(
                    codes: query["code"].map { [String($0)] } ?? [], region: query["region"].map(String.init),
                    limit: query["document"] == nil && !blindNow ? limit : nil)
                let wanted = query["document"].map(String.init)
                let visibility = try Visibility.of(context, access)
                let items = try ReviewItem.items(
                    Array(
                        pending.filter {
                            (wanted == nil || $0.document == wanted)
                                && visibility.shows(coder: $0.coder, document: $0.document)
                        }.prefix(limit)),
                    workbench: workbench)
                return try JSONResponse.make(items)
            }
        }
        api.post("codings/:id/review") { request, context -> Response in
            guard let id = context.parameters.get("id", as: Int64.self) else {
                return JSONResponse.error(.notFound, "No such coding.")
            }
            return await answer {
                let coder = try actor(context, .coder)
                let visibility = try Visibility.of(context, access)
                if !visibility.showsEverything,
                    let hidden = try workbench.coding(id: id),
                    !visibility.shows(coder: hidden.coder, document: hidden.document)
                {
                    throw QDAError.noSuchCoding(id)
                }
                let body = try await request.decode(as: ReviewRequest.self, context: context)
                let decision: ReviewDecision
                switch (body.decision, body.code) {
                case ("accept", _): decision = .accept
                case ("reject", _): decision = .reject
                case ("recode", let code?): decision = .recode(code)
                default:
                    return JSONResponse.error(
                        .unprocessableContent, "decision is accept, reject or recode (with a code).")
                }
                let summary = try workbench.review([id], decision: decision, reviewer: coder)
                audit(context, "review", "#\(id): \(body.decision)\(body.code.map { " as \($0)" } ?? "")")
                live.publish(["type": "reviews"])
                return try JSONResponse.make(
                    ["accepted": summary.accepted, "rejected": summary.rejected, "recoded": summary.recoded])
            }
        }
    }

    // MARK: Learned suggestions

    /// `GET /api/suggestions` (pending, best first; nothing while any document is blind:
    /// they are learned from everyone's codings) and `POST /api/suggestions/{id}` with
    /// `{"decision":"accept"|"reject"}`, the decisions of `qda suggest accept|reject`.
    private func addSuggestions(to api: RouterGroup<WorkbenchContext>) {
        api.get("suggestions") { request, context -> Response in
            await answer {
                guard try Visibility.of(context, access).showsEverything else {
                    return try JSONResponse.make([SuggestionItem]())
                }
                let query = request.uri.queryParameters
                let limit = query["limit"].flatMap { Int(String($0)) } ?? 50
                let wanted = query["document"].map(String.init)
                let pending = try workbench.suggestions(
                    codes: query["code"].map { [String($0)] } ?? [], region: query["region"].map(String.init),
                    limit: wanted == nil ? limit : nil
                ).filter { wanted == nil || $0.document == wanted }.prefix(limit)
                return try JSONResponse.make(try SuggestionItem.items(Array(pending), workbench: workbench))
            }
        }
        api.post("suggestions/:id") { request, context -> Response in
            guard let id = context.parameters.get("id", as: Int64.self) else {
                return JSONResponse.error(.notFound, "No such suggestion.")
            }
            return await answer {
                let coder = try actor(context, .coder)
                try Visibility.of(context, access).requireNothingBlind()
                let body = try await request.decode(as: ReviewRequest.self, context: context)
                guard body.decision == "accept" || body.decision == "reject" else {
                    return JSONResponse.error(.unprocessableContent, "decision is accept or reject.")
                }
                let summary = try workbench.decideSuggestions([id], accept: body.decision == "accept", reviewer: coder)
                audit(context, "suggestion", "#\(id): \(body.decision)")
                live.publish(["type": "reviews"])
                if !summary.changedDocuments.isEmpty {
                    let ids = try workbench.documentIDs()
                    for name in summary.changedDocuments { if let id = ids[name] { changed(document: id) } }
                }
                return try JSONResponse.make(["accepted": summary.accepted, "rejected": summary.rejected])
            }
        }
    }

    // MARK: Codebook and memos

    private func addCodebook(to api: RouterGroup<WorkbenchContext>) {
        api.get("codes") { request, context -> Response in
            await answer {
                // Counting codings costs a pass over them: only when asked (a picker does not).
                let counts = ["1", "true"].contains(request.uri.queryParameters["counts"].map(String.init) ?? "")
                if counts { try Visibility.of(context, access).requireNothingBlind() }
                return try JSONResponse.make(
                    try workbench.codebookEntries(counts: counts).map {
                        CodeItem(
                            key: $0.key, label: $0.label, group: $0.group, depth: $0.depth, definition: $0.definition,
                            codings: counts ? $0.autoCodings + $0.manualCodings : nil)
                    })
            }
        }
        api.post("codebook") { request, context -> Response in
            await answer {
                _ = try actor(context, .admin)
                let body = try await request.decode(as: CodebookChange.self, context: context)
                guard let edit = body.edit else {
                    return JSONResponse.error(
                        .unprocessableContent,
                        "op is rename (with to), move (with group) or merge (with into), on a code.")
                }
                let summary = try workbench.editCodebook(edit)
                audit(
                    context, "codebook",
                    "\(body.op) \(body.code) → \(body.to ?? body.group ?? body.into ?? ""); \(summary.codingsMoved) codings follow"
                )
                live.publish(["type": "codebook"])
                return try JSONResponse.make(
                    CodebookChangeAnswer(
                        codingsMoved: summary.codingsMoved, duplicatesDropped: summary.duplicatesDropped,
                        renamed: summary.renamed))
            }
        }
        api.get("memos") { _, context -> Response in
            await answer {
                // Another coder's memos on a blind document are theirs until it is revealed.
                let visibility = try Visibility.of(context, access)
                return try JSONResponse.make(
                    try workbench.memos().filter { memo in
                        memo.document.map { visibility.shows(coder: memo.author, document: $0) } ?? true
                    })
            }
        }
        api.patch("memos/:id") { request, context -> Response in
            guard let id = context.parameters.get("id", as: Int64.self) else {
                return JSONResponse.error(.notFound, "No such memo.")
            }
            return await answer {
                _ = try actor(context, .coder)
                let body = try await request.decode(as: MemoText.self, context: context)
                let memo = try workbench.editMemo(id: id, text: body.text, ownedBy: owner(context))
                audit(context, "memo", "#\(id) edited")
                live.publish(["type": "memos"])
                return try JSONResponse.make(memo)
            }
        }
        api.post("memos") { request, context -> Response in
            await answer {
                let coder = try actor(context, .coder)
                let body = try await request.decode(as: NewMemo.self, context: context)
                guard let target = body.target else {
                    return JSONResponse.error(
                        .unprocessableContent, "A memo is on one of: document, segment_id, code, or region with code.")
                }
                let memo = try workbench.addMemo(target, text: body.text, author: coder)
                audit(context, "memo", "#\(memo.id) on \(memo.target)")
                live.publish(["type": "memos"])
                return try JSONResponse.make(memo, status: .created)
            }
        }
    }

    // MARK: Blind coding (team servers)

    private func addBlindCoding(to api: RouterGroup<WorkbenchContext>) {
        api.get("assignments") { _, context -> Response in
            await answer {
                _ = try actor(context, .admin)
                guard let team = access.team else { throw RequestProblem("Assignments are for team servers (--team).") }
                let (assigned, blind) = (try team.assignments(), try team.blindDocuments())
                let documents = Set(assigned.keys).union(blind.keys).sorted()
                return try JSONResponse.make(
                    documents.map {
                        AssignmentItem(
                            document: $0, coders: assigned[$0] ?? [], blind: blind[$0] != nil,
                            showAuto: blind[$0] ?? false)
                    })
            }
        }
        api.post("assignments") { request, context -> Response in
            await answer {
                _ = try actor(context, .admin)
                guard let team = access.team else { throw RequestProblem("Assignments are for team servers (--team).") }
                let body = try await request.decode(as: AssignmentRequest.self, context: context)
                guard try workbench.documentSummaries().contains(where: { $0.name == body.document }) else {
                    throw QDAError.noSuchDocument(body.document)
                }
                try team.assign(
                    document: body.document, coders: body.coders, blind: body.blind ?? true,
                    showAuto: body.showAuto ?? false)
                audit(
                    context, "assign",
                    "\(body.document) to \(body.coders.joined(separator: ", "))\(body.blind ?? true ? ", blind" : "")")
                live.publish(["type": "assignments"])
                return Response(status: .noContent)
            }
        }
        api.post("reveal") { request, context -> Response in
            await answer {
                _ = try actor(context, .admin)
                guard let team = access.team else { throw RequestProblem("Nothing is blind on a one-person server.") }
                let body = try await request.decode(as: RevealRequest.self, context: context)
                guard body.all == true || body.document != nil else {
                    throw RequestProblem("Name the document to reveal, or send \"all\": true.")
                }
                let revealed = try team.reveal(document: body.all == true ? nil : body.document)
                audit(context, "reveal", body.all == true ? "all (\(revealed))" : body.document ?? "")
                live.publish(["type": "assignments"])
                return try JSONResponse.make(["revealed": revealed])
            }
        }
    }

    // MARK: Activity (team servers)

    private func addActivity(to api: RouterGroup<WorkbenchContext>) {
        api.get("activity") { request, context -> Response in
            await answer {
                _ = try actor(context, .admin)
                guard let team = access.team else { throw RequestProblem("The activity log is a team server's.") }
                let limit = request.uri.queryParameters["limit"].flatMap { Int(String($0)) }
                return try JSONResponse.make(try team.activity(limit: limit))
            }
        }
    }

    // MARK: Agreement and consensus

    /// The agreement report of the request's `coders`, `codes` and `unit` (as `qda agreement`).
    private func agreement(_ request: Request, _ context: WorkbenchContext, disagreements: Bool) throws
        -> AgreementReport
    {
        try Visibility.of(context, access).requireNothingBlind()
        let query = request.uri.queryParameters
        func list(_ name: Substring) -> [String] {
            (query[name].map(String.init) ?? "").split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            }.filter { !$0.isEmpty }
        }
        let unitName = query["unit"].map(String.init) ?? "segment"
        guard let unit = AgreementUnit(rawValue: unitName) else {
            throw RequestProblem("unit is segment, document or character, not “\(unitName)”.")
        }
        return try workbench.agreement(
            coders: list("coders"), codes: list("codes"), unit: unit, disagreements: disagreements)
    }

    private func addAgreement(to api: RouterGroup<WorkbenchContext>) {
        api.get("agreement") { request, context -> Response in
            await answer {
                let report = try agreement(request, context, disagreements: false)
                return JSONResponse.raw(Data(try ReportRendering.render(report, format: .json).utf8))
            }
        }
        api.get("agreement/disagreements") { request, context -> Response in
            await answer {
                let report = try agreement(request, context, disagreements: true)
                return JSONResponse.raw(Data(try ReportRendering.json(["disagreements": report.disagreements]).utf8))
            }
        }
        // The consensus on a segment and code: recorded as the `consensus` coder's coding
        // (or its absence), the coders' own codings kept.
        api.post("consensus") { request, context -> Response in
            await answer {
                _ = try actor(context, .admin)
                let body = try await request.decode(as: ConsensusRequest.self, context: context)
                guard ["code", "none"].contains(body.decision) else {
                    throw RequestProblem("decision is code (the segment has the code) or none.")
                }
                // An earlier decision on the same segment and code is replaced, in one transaction.
                let decided = try workbench.decideSegment(
                    body.segment, code: body.code, coder: WorkbenchServer.consensusCoder,
                    present: body.decision == "code")
                let added = decided.coding.map { [$0.id] } ?? []
                let removed = decided.replaced
                audit(context, "consensus", "segment #\(body.segment) \(body.code): \(body.decision)")
                live.publish(["type": "consensus"])
                return try JSONResponse.make(ConsensusAnswer(ids: added, removed: removed))
            }
        }
    }

    // MARK: Evidence

    private func addEvidence(to api: RouterGroup<WorkbenchContext>) {
        api.get("report/patterns") { _, context -> Response in
            await answer {
                try Visibility.of(context, access).requireNothingBlind()
                let report = try workbench.patternReport()
                return JSONResponse.raw(Data(try ReportRendering.render(report, format: .json, quotes: 2).utf8))
            }
        }
        api.get("grid") { _, _ -> Response in
            await answer { try JSONResponse.make(try workbench.gridCells()) }
        }
        api.put("grid") { request, context -> Response in
            await answer {
                let coder = try actor(context, .coder)
                let body = try await request.decode(as: GridChange.self, context: context)
                let rating = try body.rating.flatMap { value -> Rating? in
                    guard !value.isEmpty else { return nil }
                    guard let rating = Rating(rawValue: value) else {
                        throw RequestProblem("A rating is one of ++, +, o, -, --, not “\(value)”.")
                    }
                    return rating
                }
                let cell = try workbench.setGridCell(
                    region: body.region, code: body.code, rating: rating, descriptor: body.descriptor.nonEmpty,
                    note: body.note.nonEmpty, evidence: body.evidence ?? [], coder: coder)
                audit(
                    context, "grid",
                    "\(body.region) · \(body.code): \(cell.rating?.rawValue ?? cell.descriptor ?? "note")")
                live.publish(["type": "grid"])
                return try JSONResponse.make(cell)
            }
        }
        api.delete("grid") { request, context -> Response in
            await answer {
                _ = try actor(context, .coder)
                let query = request.uri.queryParameters
                guard let region = query["region"].map(String.init), let code = query["code"].map(String.init) else {
                    return JSONResponse.error(.unprocessableContent, "Name the cell: ?region=R&code=KEY.")
                }
                guard try workbench.removeGridCell(region: region, code: code) else {
                    return JSONResponse.error(.notFound, "No grid cell for \(region) · \(code).")
                }
                audit(context, "grid", "\(region) · \(code) cleared")
                live.publish(["type": "grid"])
                return Response(status: .noContent)
            }
        }
        api.get("evidence") { request, context -> Response in
            await answer {
                let query = request.uri.queryParameters
                guard let code = query["code"].map(String.init) else {
                    return JSONResponse.error(.unprocessableContent, "Name a code or factor group: ?code=KEY.")
                }
                var filter = SegmentFilter()
                filter.codes = [code]
                filter.region = query["region"].map(String.init)
                let limit = query["limit"].flatMap { Int(String($0)) } ?? 200
                let visibility = try Visibility.of(context, access)
                // With blind documents, every segment is looked at before the limit, so that
                // the total counts only what shows.
                filter.limit = visibility.showsEverything ? limit : nil
                let result = try workbench.findSegments(filter)
                let ids = try workbench.documentIDs()
                var segments = result.segments.map { EvidenceAnswer.Segment($0, documentID: ids[$0.document]) }
                var total = result.total
                if !visibility.showsEverything {
                    segments = segments.map { $0.shown(by: visibility) }.filter { !$0.codings.isEmpty }
                    total = segments.count
                    segments = Array(segments.prefix(limit))
                }
                return try JSONResponse.make(EvidenceAnswer(total: total, segments: segments))
            }
        }
    }
}

/// The response of `work`, or the library error it threw as JSON (`JSONResponse.failure`).
func answer(_ work: () async throws -> Response) async -> Response {
    do {
        return try await work()
    } catch {
        return JSONResponse.failure(error)
    }
}
