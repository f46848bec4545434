package import Foundation
import QDAAnalysis
import QDACodebook
import QDACorpus
import QDAText

/// The contents of a REFI-QDA project file (`project.qde`), as read: every element the
/// importer uses, by local name, so namespace variants (`urn:QDA-XML:project:1.0`,
/// `1:0`, none at all) read alike. GUID references are kept as written; look them up
/// with `REFIGUID.key`.
package struct REFIProjectFile {
    package struct Code {
        package var guid: String
        package var name: String
        package var color: String?
        package var description: String?
        package var notes: [String] = []
        package var children: [Code] = []

        package init(
            guid: String, name: String, color: String? = nil, description: String? = nil, notes: [String] = [],
            children: [Code] = []
        ) {
            self.guid = guid
            self.name = name
            self.color = color
            self.description = description
            self.notes = notes
            self.children = children
        }
    }

    package struct Coding {
        package var code: String
        package var user: String?
        package var created: String?

        package init(
            code: String, user: String? = nil, created: String? = nil
        ) {
            self.code = code
            self.user = user
            self.created = created
        }
    }

    package struct Selection {
        package var start: Int?
        package var end: Int?
        package var user: String?
        package var created: String?
        package var description: String?
        package var codings: [Coding] = []
        package var notes: [String] = []

        package init(
            start: Int? = nil, end: Int? = nil, user: String? = nil, created: String? = nil, description: String? = nil,
            codings: [Coding] = [], notes: [String] = []
        ) {
            self.start = start
            self.end = end
            self.user = user
            self.created = created
            self.description = description
            self.codings = codings
            self.notes = notes
        }
    }

    package enum SourceKind: String {
        case text = "TextSource"
        case picture = "PictureSource"
        case pdf = "PDFSource"
        case audio = "AudioSource"
        case video = "VideoSource"
    }

    package struct VariableValue {
        package var variable: String
        package var value: String

        package init(
            variable: String, value: String
        ) {
            self.variable = variable
            self.value = value
        }
    }

    package struct Source {
        package var kind: SourceKind
        package var guid: String
        package var name: String?
        package var plainTextPath: String?
        package var plainTextContent: String?
        package var user: String?
        package var created: String?
        package var description: String?
        package var selections: [Selection] = []
        /// Codings of the whole source.
        package var codings: [Coding] = []
        package var notes: [String] = []
        package var variables: [VariableValue] = []
        /// Codings on selections of kinds the importer does not read (pictures, PDF areas,
        /// media, transcripts, representations).
        package var otherCodings = 0

        package init(
            kind: SourceKind, guid: String, name: String? = nil, plainTextPath: String? = nil,
            plainTextContent: String? = nil, user: String? = nil, created: String? = nil, description: String? = nil,
            selections: [Selection] = [], codings: [Coding] = [], notes: [String] = [], variables: [VariableValue] = []
        ) {
            self.kind = kind
            self.guid = guid
            self.name = name
            self.plainTextPath = plainTextPath
            self.plainTextContent = plainTextContent
            self.user = user
            self.created = created
            self.description = description
            self.selections = selections
            self.codings = codings
            self.notes = notes
            self.variables = variables
        }
    }

    package struct Variable {
        package var guid: String
        package var name: String

        package init(
            guid: String, name: String
        ) {
            self.guid = guid
            self.name = name
        }
    }

    package struct Case {
        package var guid: String
        package var name: String?
        package var variables: [VariableValue] = []
        package var sources: [String] = []

        package init(
            guid: String, name: String? = nil, variables: [VariableValue] = [], sources: [String] = []
        ) {
            self.guid = guid
            self.name = name
            self.variables = variables
            self.sources = sources
        }
    }

    package struct Note {
        package var guid: String
        package var name: String?
        package var user: String?
        package var created: String?
        package var plainTextPath: String?
        package var text: String?

        package init(
            guid: String, name: String? = nil, user: String? = nil, created: String? = nil,
            plainTextPath: String? = nil, text: String? = nil
        ) {
            self.guid = guid
            self.name = name
            self.user = user
            self.created = created
            self.plainTextPath = plainTextPath
            self.text = text
        }
    }

    package struct Set {
        package var guid: String
        package var name: String
        package var description: String?
        package var codes: [String] = []
        package var sources: [String] = []
        package var notes: [String] = []

        package init(
            guid: String, name: String, description: String? = nil, codes: [String] = [], sources: [String] = [],
            notes: [String] = []
        ) {
            self.guid = guid
            self.name = name
            self.description = description
            self.codes = codes
            self.sources = sources
            self.notes = notes
        }
    }

    package var name = ""
    package var origin: String?
    package var description: String?
    /// Users by GUID key: their name and the GUID as written.
    package var users: [String: (name: String, guid: String)] = [:]
    package var codes: [Code] = []
    package var variables: [Variable] = []
    package var cases: [Case] = []
    package var sources: [Source] = []
    package var notes: [Note] = []
    package var sets: [Set] = []
    package var projectNotes: [String] = []
    package var links = 0
    package var graphs = 0

    /// Reads a `.qde` document. `path` names it in errors (the archive and the entry).
    package static func parse(_ data: Data, part: String, path: String) throws -> REFIProjectFile {
        var file = REFIProjectFile()
        var sawProject = false
        // The open elements, by local name.
        var stack: [String] = []
        var codeStack: [Code] = []
        var source: Source?
        var selection: Selection?
        var coding: Coding?
        var variableValue: VariableValue?
        var currentCase: Case?
        var note: Note?
        var set: Set?
        var text = ""
        var collecting = false
        var problems: [String] = []
        // The depth of the open source element.
        var sourceDepth = 0

        func attribute(_ attributes: [String: String], _ name: String) -> String? {
            guard let value = attributes[name], !value.trimmingCharacters(in: .whitespaces).isEmpty else {
                return nil
            }
            return value
        }
        func guid(_ attributes: [String: String], _ element: String) -> String {
            if let value = attribute(attributes, "guid") { return value }
            problems.append("a \(element) element has no guid")
            return ""
        }
        func position(_ attributes: [String: String], _ name: String) -> Int? {
            attribute(attributes, name).flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        }
        // Whether the element just opened sits directly inside `parent`.
        func inside(_ parent: String) -> Bool { stack.count >= 2 && stack[stack.count - 2] == parent }
        // A selection directly inside a text source (not a PDF representation's).
        func inTextSource() -> Bool { source?.kind == .text && stack.count == sourceDepth + 1 }

        try XMLEvents.parse(
            data, part: part, path: path, format: "REFI-QDA project",
            start: { name, attributes in
                stack.append(name)
                switch name {
                case "Project" where stack.count == 1:
                    sawProject = true
                    file.name = attribute(attributes, "name") ?? ""
                    file.origin = attribute(attributes, "origin")
                case "User" where inside("Users"):
                    let id = guid(attributes, "User")
                    file.users[REFIGUID.key(id)] = (
                        attribute(attributes, "name") ?? attribute(attributes, "id") ?? id, REFIGUID.normalize(id) ?? id
                    )
                case "Code" where inside("Codes") || inside("Code"):
                    codeStack.append(
                        Code(
                            guid: guid(attributes, "Code"), name: attribute(attributes, "name") ?? "",
                            color: attribute(attributes, "color").flatMap(REFIColor.normalize)))
                case "Variable" where inside("Variables"):
                    file.variables.append(
                        Variable(
                            guid: guid(attributes, "Variable"), name: attribute(attributes, "name") ?? ""))
                case "Case" where inside("Cases"):
                    currentCase = Case(guid: guid(attributes, "Case"), name: attribute(attributes, "name"))
                case "SourceRef" where inside("Case"):
                    if let target = attribute(attributes, "targetGUID") { currentCase?.sources.append(target) }
                case "VariableValue":
                    variableValue = VariableValue(variable: "", value: "")
                case "VariableRef" where variableValue != nil:
                    variableValue?.variable = attribute(attributes, "targetGUID") ?? ""
                case "TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue":
                    if variableValue != nil {
                        collecting = true
                        text = ""
                    }
                case "TextSource", "PictureSource", "PDFSource", "AudioSource", "VideoSource":
                    guard inside("Sources") else { break }
                    sourceDepth = stack.count
                    source = Source(
                        kind: SourceKind(rawValue: name) ?? .text, guid: guid(attributes, name),
                        name: attribute(attributes, "name"), plainTextPath: attribute(attributes, "plainTextPath"),
                        user: attribute(attributes, "creatingUser"), created: attribute(attributes, "creationDateTime"))
                case "PlainTextSelection" where inTextSource():
                    selection = Selection(
                        start: position(attributes, "startPosition"), end: position(attributes, "endPosition"),
                        user: attribute(attributes, "creatingUser"), created: attribute(attributes, "creationDateTime"))
                case "Coding":
                    coding = Coding(
                        code: "", user: attribute(attributes, "creatingUser"),
                        created: attribute(attributes, "creationDateTime"))
                case "CodeRef" where coding != nil:
                    coding?.code = attribute(attributes, "targetGUID") ?? ""
                case "Note" where inside("Notes"):
                    note = Note(
                        guid: guid(attributes, "Note"), name: attribute(attributes, "name"),
                        user: attribute(attributes, "creatingUser"), created: attribute(attributes, "creationDateTime"),
                        plainTextPath: attribute(attributes, "plainTextPath"))
                case "NoteRef":
                    guard let target = attribute(attributes, "targetGUID") else { break }
                    let parent = stack.count >= 2 ? stack[stack.count - 2] : ""
                    if parent == "PlainTextSelection", selection != nil {
                        selection?.notes.append(target)
                    } else if parent == "Code", !codeStack.isEmpty {
                        codeStack[codeStack.count - 1].notes.append(target)
                    } else if source != nil, stack.count == sourceDepth + 1 {
                        source?.notes.append(target)
                    } else if parent == "Project" {
                        file.projectNotes.append(target)
                    }
                case "Set" where inside("Sets"):
                    set = Set(guid: guid(attributes, "Set"), name: attribute(attributes, "name") ?? "")
                case "MemberCode", "MemberSource", "MemberNote":
                    guard set != nil, let target = attribute(attributes, "targetGUID") else { break }
                    if name == "MemberCode" { set?.codes.append(target) }
                    if name == "MemberSource" { set?.sources.append(target) }
                    if name == "MemberNote" { set?.notes.append(target) }
                case "Description", "PlainTextContent":
                    collecting = true
                    text = ""
                case "Link" where inside("Links"):
                    file.links += 1
                case "Graph" where inside("Graphs"):
                    file.graphs += 1
                default: break
                }
            },
            end: { name in
                defer { stack.removeLast() }
                let parent = stack.count >= 2 ? stack[stack.count - 2] : ""
                switch name {
                case "Code" where !codeStack.isEmpty && (parent == "Codes" || parent == "Code"):
                    let code = codeStack.removeLast()
                    if codeStack.isEmpty {
                        file.codes.append(code)
                    } else {
                        codeStack[codeStack.count - 1].children.append(code)
                    }
                case "Description":
                    collecting = false
                    let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
                    guard !value.isEmpty else { break }
                    switch parent {
                    case "Project": file.description = value
                    case "Code" where !codeStack.isEmpty: codeStack[codeStack.count - 1].description = value
                    case "Set": set?.description = value
                    case "PlainTextSelection" where selection != nil: selection?.description = value
                    default:
                        if source != nil, stack.count == sourceDepth + 1 { source?.description = value }
                    }
                case "PlainTextContent":
                    collecting = false
                    if parent == "Note" {
                        note?.text = text
                    } else if source != nil, stack.count == sourceDepth + 1 {
                        source?.plainTextContent = text
                    }
                case "TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue":
                    collecting = false
                    variableValue?.value = text.trimmingCharacters(in: .whitespacesAndNewlines)
                case "VariableValue":
                    if let value = variableValue, !value.variable.isEmpty {
                        if parent == "Case" {
                            currentCase?.variables.append(value)
                        } else if source != nil, stack.count == sourceDepth + 1 {
                            source?.variables.append(value)
                        }
                    }
                    variableValue = nil
                case "Coding":
                    guard let done = coding else { break }
                    coding = nil
                    if parent == "PlainTextSelection", selection != nil {
                        selection?.codings.append(done)
                    } else if source != nil, stack.count == sourceDepth + 1 {
                        source?.codings.append(done)
                    } else if source != nil {
                        source?.otherCodings += 1
                    }
                case "PlainTextSelection" where selection != nil && stack.count == sourceDepth + 1:
                    if let done = selection { source?.selections.append(done) }
                    selection = nil
                case "TextSource", "PictureSource", "PDFSource", "AudioSource", "VideoSource":
                    guard source != nil, stack.count == sourceDepth else { break }
                    if let done = source { file.sources.append(done) }
                    source = nil
                case "Case" where currentCase != nil:
                    if let done = currentCase { file.cases.append(done) }
                    currentCase = nil
                case "Note" where note != nil && parent == "Notes":
                    if let done = note { file.notes.append(done) }
                    note = nil
                case "Set" where set != nil:
                    if let done = set { file.sets.append(done) }
                    set = nil
                default: break
                }
            },
            text: { if collecting { text += $0 } })
        guard sawProject else {
            throw CorpusError.malformedDocument(
                path: path, format: "REFI-QDA project", reason: "'\(part)' has no Project element")
        }
        if let problem = problems.first {
            throw CorpusError.malformedDocument(
                path: path, format: "REFI-QDA project",
                reason: "'\(part)': \(problem)" + (problems.count > 1 ? " (and \(problems.count - 1) more)" : ""))
        }
        return file
    }
}
