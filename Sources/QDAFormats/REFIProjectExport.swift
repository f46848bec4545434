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

    /// The project XML (`project.qde`) of `snapshot`, valid against the standard's
    /// `Project.xsd`, with positions counted in `offsets`, and the sources' texts.
    package static func render(_ snapshot: REFISnapshot, origin: String, offsets: REFIOffsetUnit) -> Output {
        var writer = REFIProjectWriter(snapshot: snapshot, offsets: offsets)
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"\(x(snapshot.name))\" origin=\"\(x(origin))\">\n"
        xml += writer.users()
        let tree = REFICodebook.codeTree(
            snapshot.codebook, retired: snapshot.retiredCodes, notes: writer.codeNotes, namespace: writer.codebookName,
            indent: "      ")
        if tree.count > 0 { xml += "  <CodeBook>\n    <Codes>\n" + tree.xml + "    </Codes>\n  </CodeBook>\n" }
        xml += writer.variables()
        xml += writer.cases()
        xml += writer.sources()
        xml += writer.notesXML()
        xml += writer.sets()
        xml += "  <Description>\(x(snapshot.description))</Description>\n"
        for note in writer.projectNotes { xml += "  <NoteRef targetGUID=\"\(note)\"/>\n" }
        xml += "</Project>\n"
        return Output(
            qde: xml, sources: writer.sourceTexts,
            counts: (
                snapshot.documents.count, tree.count, writer.selectionCount, writer.codingCount, writer.notes.count,
                writer.people.count
            ))
    }

    static func x(_ text: String) -> String { REFICodebook.escape(text) }

}

/// The parts of one project XML, written element by element: the GUIDs of codes, users
/// and notes are worked out once, and each part of the file is one method.
struct REFIProjectWriter {
    let snapshot: REFISnapshot
    let offsets: REFIOffsetUnit
    let codebookName: String
    /// Code GUIDs by key (retired codes too).
    let codeGUIDs: [String: String]
    /// Every memo as a note, with its GUID.
    let notes: [(guid: String, memo: REFISnapshot.Memo)]
    /// Note GUIDs by what they are on.
    private(set) var projectNotes: [String] = []
    private(set) var documentNotes: [String: [String]] = [:]
    private(set) var codeNotes: [String: [String]] = [:]
    private(set) var segmentNotes: [String: [String]] = [:]
    /// Every coder and memo author, in the order of their user names.
    let people: [String]
    /// The sources' archive entries and texts, as `sources()` writes them.
    private(set) var sourceTexts: [(String, String)] = []
    private(set) var selectionCount = 0
    private(set) var codingCount = 0

    init(snapshot: REFISnapshot, offsets: REFIOffsetUnit) {
        self.snapshot = snapshot
        self.offsets = offsets
        codebookName = snapshot.codebook?.name ?? snapshot.name
        var codeGUIDs = snapshot.codebook.map(REFICodebook.guids) ?? [:]
        for code in snapshot.retiredCodes { codeGUIDs[code.key] = REFICodebook.guid(codebookName, code.key) }
        self.codeGUIDs = codeGUIDs
        notes = snapshot.memos.map { memo in
            (
                REFICodebook.guid(
                    "note", [memo.target, memo.author, memo.created, memo.text].joined(separator: "\u{1F}")), memo
            )
        }
        people = Set(snapshot.codings.map(\.coder) + snapshot.memos.map(\.author)).sorted {
            Self.userName($0) < Self.userName($1)
        }
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
    }

    private func guid(_ kind: String, _ name: String) -> String { REFICodebook.guid(kind, name) }
    private func x(_ text: String) -> String { REFICodebook.escape(text) }

    static func userName(_ coder: String) -> String { coder == Coder.auto ? REFIProjectExport.autoCoderUser : coder }

    private func userGUID(_ coder: String) -> String {
        let name = Self.userName(coder)
        return snapshot.users[name] ?? guid("user", name)
    }

    /// An ISO 8601 date and time as the schema takes it, or nil.
    private func dateTime(_ text: String?) -> String? {
        guard let text, text.count >= 19, text.contains("T"), ISO8601DateFormatter().date(from: text) != nil else {
            return nil
        }
        return text
    }

    /// The first line of `text`, cut at a word before `limit` characters (a selection's or note's name).
    private func short(_ text: String, _ limit: Int = 60) -> String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return TextTable.cut(line, limit: limit)
    }

    /// Users: every coder and memo author.
    func users() -> String {
        guard !people.isEmpty else { return "" }
        var xml = "  <Users>\n"
        for person in people {
            xml += "    <User guid=\"\(userGUID(person))\" name=\"\(x(Self.userName(person)))\"/>\n"
        }
        return xml + "  </Users>\n"
    }

    /// Variables: region, kind and every attribute, as text.
    func variables() -> String {
        let names = Set(snapshot.documents.flatMap { $0.variables.map(\.name) }).sorted()
        guard !names.isEmpty else { return "" }
        var xml = "  <Variables>\n"
        for name in names {
            xml += "    <Variable guid=\"\(guid("variable", name))\" name=\"\(x(name))\" typeOfVariable=\"Text\"/>\n"
        }
        return xml + "  </Variables>\n"
    }

    /// Cases: one per region, holding its documents.
    func cases() -> String {
        let regions = Dictionary(grouping: snapshot.documents.filter { $0.region != nil }, by: { $0.region! })
        guard !regions.isEmpty else { return "" }
        var xml = "  <Cases>\n"
        for (region, documents) in regions.sorted(by: { $0.key < $1.key }) {
            xml += "    <Case guid=\"\(guid("case", region))\" name=\"\(x(region))\">\n"
            for document in documents { xml += "      <SourceRef targetGUID=\"\(document.guid)\"/>\n" }
            xml += "    </Case>\n"
        }
        return xml + "  </Cases>\n"
    }

    /// Sources with their selections, notes and variable values.
    mutating func sources() -> String {
        guard !snapshot.documents.isEmpty else { return "" }
        let codingsByDocument = Dictionary(grouping: snapshot.codings, by: \.document)
        var xml = "  <Sources>\n"
        for document in snapshot.documents {
            let entry = "\(document.guid).txt"
            sourceTexts.append(("sources/" + entry, document.text))
            xml += "    <TextSource guid=\"\(document.guid)\" name=\"\(x(document.name))\" "
            xml += "plainTextPath=\"internal://\(entry)\">\n"
            xml += selections(of: document, codings: codingsByDocument[document.name] ?? [])
            for note in documentNotes[document.name] ?? [] { xml += "      <NoteRef targetGUID=\"\(note)\"/>\n" }
            for variable in document.variables.sorted(by: { $0.name < $1.name }) {
                xml += "      <VariableValue>\n"
                xml += "        <VariableRef targetGUID=\"\(guid("variable", variable.name))\"/>\n"
                xml += "        <TextValue>\(x(variable.value))</TextValue>\n"
                xml += "      </VariableValue>\n"
            }
            xml += "    </TextSource>\n"
        }
        return xml + "  </Sources>\n"
    }

    /// A document's selections: one per coded span, holding its codings and segment notes.
    private mutating func selections(of document: REFISnapshot.Document, codings: [REFISnapshot.Coding]) -> String {
        let scalars = Array(document.text.unicodeScalars)
        let units = offsets == .utf16 ? document.text.utf16Offsets() : []
        func position(_ offset: Int) -> Int {
            offsets == .utf16 ? units[min(max(offset, 0), units.count - 1)] : offset
        }
        var spans: [String: (start: Int, end: Int, codings: [REFISnapshot.Coding], notes: [String])] = [:]
        for coding in codings {
            spans["\(coding.start)\u{1F}\(coding.end)", default: (coding.start, coding.end, [], [])].codings
                .append(coding)
        }
        for (key, guids) in segmentNotes where key.hasPrefix(document.name + "\u{1F}") {
            let parts = key.split(separator: "\u{1F}", omittingEmptySubsequences: false)
            guard let start = Int(parts[parts.count - 2]), let end = Int(parts[parts.count - 1]) else { continue }
            spans["\(start)\u{1F}\(end)", default: (start, end, [], [])].notes += guids
        }
        var xml = ""
        for span in spans.values.sorted(by: { ($0.start, $0.end) < ($1.start, $1.end) }) {
            let selectionGUID = guid("selection", "\(document.guid):\(span.start):\(span.end)")
            let text = String(
                String.UnicodeScalarView(scalars[min(span.start, scalars.count)..<min(span.end, scalars.count)]))
            let codings = span.codings.sorted {
                (codeGUIDs[$0.code] ?? $0.code, Self.userName($0.coder))
                    < (codeGUIDs[$1.code] ?? $1.code, Self.userName($1.coder))
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
                xml += "        <Coding guid=\"\(guid("coding", "\(selectionGUID):\(code):\(user)".lowercased()))\" "
                xml += "creatingUser=\"\(user)\""
                if let created = dateTime(coding.created) { xml += " creationDateTime=\"\(created)\"" }
                xml += ">\n          <CodeRef targetGUID=\"\(code)\"/>\n        </Coding>\n"
            }
            for note in span.notes { xml += "        <NoteRef targetGUID=\"\(note)\"/>\n" }
            xml += "      </PlainTextSelection>\n"
        }
        return xml
    }

    /// Notes: the memos.
    func notesXML() -> String {
        guard !notes.isEmpty else { return "" }
        var xml = "  <Notes>\n"
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
        return xml + "  </Notes>\n"
    }

    /// Sets with members.
    func sets() -> String {
        let documentGUIDs = Dictionary(
            snapshot.documents.map { ($0.name, $0.guid) }, uniquingKeysWith: { first, _ in first })
        let sets = snapshot.sets.filter { !$0.documents.isEmpty || !$0.codes.isEmpty }
        guard !sets.isEmpty else { return "" }
        var xml = "  <Sets>\n"
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
        return xml + "  </Sets>\n"
    }
}
