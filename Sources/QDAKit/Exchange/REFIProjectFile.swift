import Foundation
import QDACodebook

/// The contents of a REFI-QDA project file (`project.qde`), as read: every element the
/// importer uses, by local name, so namespace variants (`urn:QDA-XML:project:1.0`,
/// `1:0`, none at all) read alike. GUID references are kept as written; look them up
/// with `REFIGUID.key`.
struct REFIProjectFile {
    struct Code {
        var guid: String
        var name: String
        var color: String?
        var description: String?
        var notes: [String] = []
        var children: [Code] = []
    }

    struct Coding {
        var code: String
        var user: String?
        var created: String?
    }

    struct Selection {
        var start: Int?
        var end: Int?
        var user: String?
        var created: String?
        var description: String?
        var codings: [Coding] = []
        var notes: [String] = []
    }

    enum SourceKind: String {
        case text = "TextSource"
        case picture = "PictureSource"
        case pdf = "PDFSource"
        case audio = "AudioSource"
        case video = "VideoSource"
    }

    struct VariableValue {
        var variable: String
        var value: String
    }

    struct Source {
        var kind: SourceKind
        var guid: String
        var name: String?
        var plainTextPath: String?
        var plainTextContent: String?
        var user: String?
        var created: String?
        var description: String?
        var selections: [Selection] = []
        /// Codings of the whole source.
        var codings: [Coding] = []
        var notes: [String] = []
        var variables: [VariableValue] = []
        /// Codings on selections of kinds the importer does not read (pictures, PDF areas,
        /// media, transcripts, representations).
        var otherCodings = 0
    }

    struct Variable {
        var guid: String
        var name: String
    }

    struct Case {
        var guid: String
        var name: String?
        var variables: [VariableValue] = []
        var sources: [String] = []
    }

    struct Note {
        var guid: String
        var name: String?
        var user: String?
        var created: String?
        var plainTextPath: String?
        var text: String?
    }

    struct Set {
        var guid: String
        var name: String
        var description: String?
        var codes: [String] = []
        var sources: [String] = []
        var notes: [String] = []
    }

    var name = ""
    var origin: String?
    var description: String?
    /// Users by GUID key: their name and the GUID as written.
    var users: [String: (name: String, guid: String)] = [:]
    var codes: [Code] = []
    var variables: [Variable] = []
    var cases: [Case] = []
    var sources: [Source] = []
    var notes: [Note] = []
    var sets: [Set] = []
    var projectNotes: [String] = []
    var links = 0
    var graphs = 0

    /// Reads a `.qde` document. `path` names it in errors (the archive and the entry).
    static func parse(_ data: Data, part: String, path: String) throws -> REFIProjectFile {
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
            throw QDAError.malformedDocument(
                path: path, format: "REFI-QDA project", reason: "'\(part)' has no Project element")
        }
        if let problem = problems.first {
            throw QDAError.malformedDocument(
                path: path, format: "REFI-QDA project",
                reason: "'\(part)': \(problem)" + (problems.count > 1 ? " (and \(problems.count - 1) more)" : ""))
        }
        return file
    }
}
