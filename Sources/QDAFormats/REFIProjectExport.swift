package import Foundation
import QDAAnalysis
package import QDACodebook
package import QDAText
import ZIPFoundation

/// What a project hands to a REFI-QDA export, read by `Project.refiSnapshot()`.
package struct REFISnapshot {
    package struct Document {
        package var name: String
        package var guid: String
        package var text: String
        package var kind: String
        package var variables: [(name: String, value: String)]
        package var region: String?

        package init(
            name: String, guid: String, text: String, kind: String, variables: [(name: String, value: String)],
            region: String? = nil
        ) {
            self.name = name
            self.guid = guid
            self.text = text
            self.kind = kind
            self.variables = variables
            self.region = region
        }
    }

    package struct Coding {
        package var document: String
        /// The selection, in code points (a coding cut at segment bounds keeps its whole
        /// selection).
        package var start: Int
        package var end: Int
        package var code: String
        package var coder: String
        package var created: String?

        package init(
            document: String, start: Int, end: Int, code: String, coder: String, created: String? = nil
        ) {
            self.document = document
            self.start = start
            self.end = end
            self.code = code
            self.coder = coder
            self.created = created
        }
    }

    package struct Memo {
        package var target: String
        package var document: String?
        package var segmentStart: Int?
        package var segmentEnd: Int?
        package var code: String?
        package var region: String?
        package var author: String
        package var text: String
        package var created: String

        package init(
            target: String, document: String? = nil, segmentStart: Int? = nil, segmentEnd: Int? = nil,
            code: String? = nil, region: String? = nil, author: String, text: String, created: String
        ) {
            self.target = target
            self.document = document
            self.segmentStart = segmentStart
            self.segmentEnd = segmentEnd
            self.code = code
            self.region = region
            self.author = author
            self.text = text
            self.created = created
        }
    }

    package struct Set {
        package var name: String
        package var guid: String?
        package var description: String?
        package var documents: [String]
        package var codes: [String]

        package init(
            name: String, guid: String? = nil, description: String? = nil, documents: [String], codes: [String]
        ) {
            self.name = name
            self.guid = guid
            self.description = description
            self.documents = documents
            self.codes = codes
        }
    }

    package var name: String
    package var description: String
    package var codebook: Codebook?
    /// Codes people coded with that are no longer in the codebook: key and label.
    package var retiredCodes: [(key: String, label: String)]
    package var documents: [Document]
    package var codings: [Coding]
    package var memos: [Memo]
    package var sets: [Set]
    package var users: [String: String]

    package init(
        name: String, description: String, codebook: Codebook? = nil, retiredCodes: [(key: String, label: String)],
        documents: [Document], codings: [Coding], memos: [Memo], sets: [Set], users: [String: String]
    ) {
        self.name = name
        self.description = description
        self.codebook = codebook
        self.retiredCodes = retiredCodes
        self.documents = documents
        self.codings = codings
        self.memos = memos
        self.sets = sets
        self.users = users
    }
}

/// Writes a project as a REFI-QDA project (`project.qde` and its plain-text sources),
/// valid against the standard's `Project.xsd`, elements in schema order, no empty
/// containers. GUIDs are the ones items came with (imported projects) or derived from
/// stable names, so the same project exports the same GUIDs every time.
package enum REFIProjectExport {
    /// The name the auto-coder's codings go under as a user.
    package static let autoCoderUser = "qda auto-coder"

    package struct Output {
        package var qde: String
        /// Plain-text sources: entry name (`sources/GUID.txt`) and text.
        package var sources: [(entry: String, text: String)]
        package var counts: (documents: Int, codes: Int, selections: Int, codings: Int, notes: Int, users: Int)

        package init(
            qde: String, sources: [(entry: String, text: String)],
            counts: (documents: Int, codes: Int, selections: Int, codings: Int, notes: Int, users: Int)
        ) {
            self.qde = qde
            self.sources = sources
            self.counts = counts
        }
    }

    /// The `.qdpx` archive of `output`: `project.qde` and the sources, deflated, every entry
    /// dated 1980-01-01 so that the same project exports the same bytes.
    package static func archive(_ output: Output) throws -> Data {
        do {
            let archive = try Archive(accessMode: .create)
            let date = Date(timeIntervalSince1970: 315_532_800)
            func add(_ name: String, _ data: Data) throws {
                try archive.addEntry(
                    with: name, type: .file, uncompressedSize: Int64(data.count), modificationDate: date,
                    compressionMethod: .deflate
                ) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            }
            try add("project.qde", Data(output.qde.utf8))
            for source in output.sources { try add(source.entry, Data(source.text.utf8)) }
            return archive.data ?? Data()
        } catch {
            throw FormatError.archiveFailed(reason: error.localizedDescription)
        }
    }

    package static func render(_ snapshot: REFISnapshot, origin: String, offsets: REFIOffsetUnit) -> Output {
        func guid(_ kind: String, _ name: String) -> String { REFICodebook.guid(kind, name) }
        func x(_ text: String) -> String { REFICodebook.escape(text) }
        func userName(_ coder: String) -> String { coder == Coder.auto ? autoCoderUser : coder }
        func userGUID(_ coder: String) -> String {
            let name = userName(coder)
            return snapshot.users[name] ?? guid("user", name)
        }
        func dateTime(_ text: String?) -> String? {
            guard let text, text.count >= 19, text.contains("T"),
                ISO8601DateFormatter().date(from: text) != nil
            else { return nil }
            return text
        }
        func short(_ text: String, _ limit: Int = 60) -> String {
            let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            return TextTable.cut(line, limit: limit)
        }

        // Codes: GUID by key.
        let codebookName = snapshot.codebook?.name ?? snapshot.name
        var codeGUIDs = snapshot.codebook.map(REFICodebook.guids) ?? [:]
        for code in snapshot.retiredCodes { codeGUIDs[code.key] = guid(codebookName, code.key) }

        // Notes, by what they are on.
        struct Note {
            var guid: String
            var memo: REFISnapshot.Memo
        }
        let notes = snapshot.memos.map { memo in
            Note(
                guid: guid("note", [memo.target, memo.author, memo.created, memo.text].joined(separator: "\u{1F}")),
                memo: memo)
        }
        var projectNotes: [String] = []
        var documentNotes: [String: [String]] = [:]
        var codeNotes: [String: [String]] = [:]
        var segmentNotes: [String: [String]] = [:]
        for note in notes {
            let memo = note.memo
            switch memo.target {
            case "document" where memo.document != nil:
                documentNotes[memo.document!, default: []].append(note.guid)
            case "code" where memo.code.flatMap({ codeGUIDs[$0] }) != nil:
                codeNotes[memo.code!, default: []].append(note.guid)
            case "segment" where memo.document != nil && memo.segmentStart != nil && memo.segmentEnd != nil:
                segmentNotes[
                    "\(memo.document!)\u{1F}\(memo.segmentStart!)\u{1F}\(memo.segmentEnd!)", default: []
                ].append(note.guid)
            default:
                projectNotes.append(note.guid)
            }
        }

        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"\(x(snapshot.name))\" origin=\"\(x(origin))\">\n"

        // Users: every coder and memo author.
        let people = Set(snapshot.codings.map(\.coder) + snapshot.memos.map(\.author)).sorted {
            userName($0) < userName($1)
        }
        if !people.isEmpty {
            xml += "  <Users>\n"
            for person in people {
                xml += "    <User guid=\"\(userGUID(person))\" name=\"\(x(userName(person)))\"/>\n"
            }
            xml += "  </Users>\n"
        }

        // The code tree.
        let tree = REFICodebook.codeTree(
            snapshot.codebook, retired: snapshot.retiredCodes, notes: codeNotes, namespace: codebookName,
            indent: "      ")
        if tree.count > 0 { xml += "  <CodeBook>\n    <Codes>\n" + tree.xml + "    </Codes>\n  </CodeBook>\n" }

        // Variables: region, kind and every attribute, as text.
        let variableNames = Set(snapshot.documents.flatMap { $0.variables.map(\.name) }).sorted()
        if !variableNames.isEmpty {
            xml += "  <Variables>\n"
            for name in variableNames {
                xml +=
                    "    <Variable guid=\"\(guid("variable", name))\" name=\"\(x(name))\" typeOfVariable=\"Text\"/>\n"
            }
            xml += "  </Variables>\n"
        }

        // Cases: one per region, holding its documents.
        let regions = Dictionary(grouping: snapshot.documents.filter { $0.region != nil }, by: { $0.region! })
        if !regions.isEmpty {
            xml += "  <Cases>\n"
            for (region, documents) in regions.sorted(by: { $0.key < $1.key }) {
                xml += "    <Case guid=\"\(guid("case", region))\" name=\"\(x(region))\">\n"
                for document in documents { xml += "      <SourceRef targetGUID=\"\(document.guid)\"/>\n" }
                xml += "    </Case>\n"
            }
            xml += "  </Cases>\n"
        }

        // Sources with their selections.
        let codingsByDocument = Dictionary(grouping: snapshot.codings, by: \.document)
        var sources: [(String, String)] = []
        var selectionCount = 0
        var codingCount = 0
        if !snapshot.documents.isEmpty {
            xml += "  <Sources>\n"
            for document in snapshot.documents {
                let entry = "\(document.guid).txt"
                sources.append(("sources/" + entry, document.text))
                xml += "    <TextSource guid=\"\(document.guid)\" name=\"\(x(document.name))\" "
                xml += "plainTextPath=\"internal://\(entry)\">\n"
                let scalars = Array(document.text.unicodeScalars)
                let units = offsets == .utf16 ? document.text.utf16Offsets() : []
                func position(_ offset: Int) -> Int {
                    offsets == .utf16 ? units[min(max(offset, 0), units.count - 1)] : offset
                }
                // Selections: one per span, holding its codings and segment notes.
                var spans: [String: (start: Int, end: Int, codings: [REFISnapshot.Coding], notes: [String])] = [:]
                for coding in codingsByDocument[document.name] ?? [] {
                    spans["\(coding.start)\u{1F}\(coding.end)", default: (coding.start, coding.end, [], [])].codings
                        .append(coding)
                }
                for (key, guids) in segmentNotes where key.hasPrefix(document.name + "\u{1F}") {
                    let parts = key.split(separator: "\u{1F}", omittingEmptySubsequences: false)
                    guard let start = Int(parts[parts.count - 2]), let end = Int(parts[parts.count - 1]) else {
                        continue
                    }
                    spans["\(start)\u{1F}\(end)", default: (start, end, [], [])].notes += guids
                }
                for span in spans.values.sorted(by: { ($0.start, $0.end) < ($1.start, $1.end) }) {
                    let selectionGUID = guid("selection", "\(document.guid):\(span.start):\(span.end)")
                    let text = String(
                        String.UnicodeScalarView(scalars[min(span.start, scalars.count)..<min(span.end, scalars.count)])
                    )
                    let codings = span.codings.sorted {
                        (codeGUIDs[$0.code] ?? $0.code, userName($0.coder)) < (
                            codeGUIDs[$1.code] ?? $1.code, userName($1.coder)
                        )
                    }
                    selectionCount += 1
                    xml += "      <PlainTextSelection guid=\"\(selectionGUID)\" name=\"\(x(short(text)))\" "
                    xml += "startPosition=\"\(position(span.start))\" endPosition=\"\(position(span.end))\""
                    if let first = codings.first { xml += " creatingUser=\"\(userGUID(first.coder))\"" }
                    xml += ">\n"
                    for coding in codings {
                        guard let code = codeGUIDs[coding.code] else { continue }
                        codingCount += 1
                        let user = userGUID(coding.coder)
                        xml +=
                            "        <Coding guid=\"\(guid("coding", "\(selectionGUID):\(code):\(user)".lowercased()))\" "
                        xml += "creatingUser=\"\(user)\""
                        if let created = dateTime(coding.created) { xml += " creationDateTime=\"\(created)\"" }
                        xml += ">\n          <CodeRef targetGUID=\"\(code)\"/>\n        </Coding>\n"
                    }
                    for note in span.notes { xml += "        <NoteRef targetGUID=\"\(note)\"/>\n" }
                    xml += "      </PlainTextSelection>\n"
                }
                for note in documentNotes[document.name] ?? [] { xml += "      <NoteRef targetGUID=\"\(note)\"/>\n" }
                for variable in document.variables.sorted(by: { $0.name < $1.name }) {
                    xml += "      <VariableValue>\n"
                    xml += "        <VariableRef targetGUID=\"\(guid("variable", variable.name))\"/>\n"
                    xml += "        <TextValue>\(x(variable.value))</TextValue>\n"
                    xml += "      </VariableValue>\n"
                }
                xml += "    </TextSource>\n"
            }
            xml += "  </Sources>\n"
        }

        // Notes: the memos.
        if !notes.isEmpty {
            xml += "  <Notes>\n"
            for note in notes {
                let memo = note.memo
                var name = short(memo.text)
                if memo.target == "cell", let region = memo.region, let code = memo.code {
                    name = "\(region) × \(code): \(name)"
                }
                xml += "    <Note guid=\"\(note.guid)\" name=\"\(x(name))\" creatingUser=\"\(userGUID(memo.author))\""
                if let created = dateTime(memo.created) { xml += " creationDateTime=\"\(created)\"" }
                xml += ">\n      <PlainTextContent>\(x(memo.text))</PlainTextContent>\n    </Note>\n"
            }
            xml += "  </Notes>\n"
        }

        // Sets with members.
        let documentGUIDs = Dictionary(
            snapshot.documents.map { ($0.name, $0.guid) }, uniquingKeysWith: { first, _ in first })
        let sets = snapshot.sets.filter { !$0.documents.isEmpty || !$0.codes.isEmpty }
        if !sets.isEmpty {
            xml += "  <Sets>\n"
            for set in sets {
                xml += "    <Set guid=\"\(set.guid ?? guid("set", set.name))\" name=\"\(x(set.name))\">\n"
                if let description = set.description { xml += "      <Description>\(x(description))</Description>\n" }
                for code in set.codes.compactMap({ codeGUIDs[$0] }) {
                    xml += "      <MemberCode targetGUID=\"\(code)\"/>\n"
                }
                for document in set.documents.compactMap({ documentGUIDs[$0] }) {
                    xml += "      <MemberSource targetGUID=\"\(document)\"/>\n"
                }
                xml += "    </Set>\n"
            }
            xml += "  </Sets>\n"
        }
        xml += "  <Description>\(x(snapshot.description))</Description>\n"
        for note in projectNotes { xml += "  <NoteRef targetGUID=\"\(note)\"/>\n" }
        xml += "</Project>\n"
        return Output(
            qde: xml, sources: sources,
            counts: (snapshot.documents.count, tree.count, selectionCount, codingCount, notes.count, people.count))
    }
}
