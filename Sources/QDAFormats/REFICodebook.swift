import Foundation
import QDAAnalysis
public import QDACodebook
import QDACorpus
import QDAText

/// REFI-QDA codebooks (`.qdc`, schema `urn:QDA-XML:codebook:1.0`): the exchange format of
/// NVivo, ATLAS.ti, MAXQDA, QualCoder and Taguette for code trees (docs/refi-qda.md).
public enum REFICodebook {
    /// The codebook as a `.qdc` document: groups and codes as nested `Code` elements
    /// (names are the labels, descriptions the definitions), in codebook order, with
    /// GUIDs derived from the codebook's name and each key, so that exporting the same
    /// codebook again gives the same GUIDs. No empty elements are written.
    public static func export(_ codebook: Codebook, origin: String) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\" origin=\"\(escape(origin))\">\n<Codes>\n"
        return xml + codeTree(codebook, indent: "  ").xml + "</Codes>\n</CodeBook>\n"
    }

    /// The GUID of each group and code: the one it was imported with, else derived from
    /// the codebook's name and the key.
    package static func guids(_ codebook: Codebook) -> [String: String] {
        var guids: [String: String] = [:]
        for group in codebook.groups { guids[group.key] = group.guid ?? guid(codebook.name, group.key) }
        for code in codebook.allCodes { guids[code.key] = code.guid ?? guid(codebook.name, code.key) }
        return guids
    }

    /// The `Code` elements of a codebook (the same in `.qdc` and `.qdpx`): groups and
    /// codes nested as in the codebook, names the labels, descriptions the definitions,
    /// colours kept; `notes` adds `NoteRef`s by key and `retired` leaf codes after the tree.
    static func codeTree(
        _ codebook: Codebook?, retired: [(key: String, label: String)] = [], notes: [String: [String]] = [:],
        namespace: String? = nil, indent: String
    ) -> (xml: String, count: Int) {
        let guids = codebook.map(guids) ?? [:]
        let namespace = namespace ?? codebook?.name ?? ""
        var count = 0
        func element(
            key: String, label: String, definition: String?, color: String?, children: [Code], indent: String
        ) -> String {
            count += 1
            var out = "\(indent)<Code guid=\"\(guids[key] ?? guid(namespace, key))\" name=\"\(escape(label))\" "
            out += "isCodable=\"true\"" + (color.map { " color=\"\($0)\"" } ?? "")
            let description = definition?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            let noteRefs = notes[key] ?? []
            guard !description.isEmpty || !children.isEmpty || !noteRefs.isEmpty else { return out + "/>\n" }
            out += ">\n"
            if !description.isEmpty { out += "\(indent)  <Description>\(escape(description))</Description>\n" }
            for note in noteRefs { out += "\(indent)  <NoteRef targetGUID=\"\(note)\"/>\n" }
            for child in children {
                out += element(
                    key: child.key, label: child.label, definition: child.definition, color: child.color,
                    children: child.children, indent: indent + "  ")
            }
            return out + "\(indent)</Code>\n"
        }
        var xml = ""
        for group in codebook?.groups ?? [] {
            xml += element(
                key: group.key, label: group.label, definition: group.definition, color: group.color,
                children: group.codes, indent: indent)
        }
        for code in retired {
            xml += element(key: code.key, label: code.label, definition: nil, color: nil, children: [], indent: indent)
        }
        return (xml, count)
    }

    /// A version-5-style UUID (SHA-256 based here) from a namespace and a name: stable
    /// across exports, different for different codes.
    package static func guid(_ namespace: String, _ name: String) -> String {
        let hex = Array(SHA256.hex(Data("qda:\(namespace):\(name)".utf8)).prefix(32))
        var chars = hex
        chars[12] = "5"
        let variant = Int(String(chars[16]), radix: 16) ?? 0
        chars[16] = Character(String((variant & 0x3) | 0x8, radix: 16))
        let s = String(chars).uppercased()
        let i = s.startIndex
        func part(_ from: Int, _ to: Int) -> Substring {
            s[s.index(i, offsetBy: from)..<s.index(i, offsetBy: to)]
        }
        return "\(part(0, 8))-\(part(8, 12))-\(part(12, 16))-\(part(16, 20))-\(part(20, 32))"
    }

    /// XML text and attribute values: markup characters escaped, line breaks and tabs as
    /// character references (so attribute values keep them), and characters XML 1.0
    /// cannot carry at all (other control characters, unpaired surrogates, U+FFFE/FFFF)
    /// dropped.
    package static func escape(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&#39;".unicodeScalars)
            case "\r": out.append(contentsOf: "&#13;".unicodeScalars)
            case "\n": out.append(contentsOf: "&#10;".unicodeScalars)
            case "\t": out.append(contentsOf: "&#9;".unicodeScalars)
            default:
                let value = scalar.value
                if value < 0x20 || value == 0xFFFE || value == 0xFFFF { continue }
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// One `Code` element as read.
    package struct Node {
        package var name: String
        package var description: String?
        package var color: String?
        package var guid: String?
        package var children: [Node] = []

        package init(
            name: String, description: String? = nil, color: String? = nil, guid: String? = nil, children: [Node] = []
        ) {
            self.name = name
            self.description = description
            self.color = color
            self.guid = guid
            self.children = children
        }
    }

    /// Reads a `.qdc` file (any namespace variant; a DTD is refused) into a codebook YAML
    /// that `qda codebook load` accepts: top-level codes with children become groups, the
    /// others gather in one group `imported`; keys are made from the names (lower-case
    /// ASCII, `-` between words, numbered when two collide); names stay the labels,
    /// descriptions the definitions. Imported codes have no keywords: they are for coding
    /// by hand until rules are added.
    public static func importYAML(path: String) throws -> String {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CorpusError.unreadable(path: path, reason: "no such file, or permission denied")
        }
        var stack: [Node] = [Node(name: "")]
        var inDescription = false
        var description = ""
        var origin: String?
        var sawCodeBook = false
        try XMLEvents.parse(
            data, part: "codebook", path: path, format: "REFI-QDA codebook",
            start: { name, attributes in
                switch name {
                case "CodeBook":
                    sawCodeBook = true
                    origin = attributes["origin"]
                case "Code":
                    stack.append(
                        Node(
                            name: attributes["name"] ?? "", color: attributes["color"].flatMap(REFIColor.normalize),
                            guid: attributes["guid"].flatMap(REFIGUID.normalize)))
                case "Description" where stack.count > 1:
                    inDescription = true
                    description = ""
                default: break
                }
            },
            end: { name in
                switch name {
                case "Code" where stack.count > 1:
                    let node = stack.removeLast()
                    stack[stack.count - 1].children.append(node)
                case "Description" where inDescription:
                    inDescription = false
                    let text = description.trimmingCharacters(in: .whitespacesAndNewlines)
                    stack[stack.count - 1].description = text.isEmpty ? nil : text
                default: break
                }
            },
            text: { if inDescription { description += $0 } })
        guard sawCodeBook else {
            throw CorpusError.malformedDocument(
                path: path, format: "REFI-QDA codebook", reason: "it has no CodeBook element")
        }
        let top = stack[0].children
        guard !top.isEmpty else {
            throw CorpusError.malformedDocument(path: path, format: "REFI-QDA codebook", reason: "it has no codes")
        }
        let file = URL(fileURLWithPath: path)
        return yaml(
            top, name: file.deletingPathExtension().lastPathComponent,
            header: "Imported from \(file.lastPathComponent)" + (origin.map { " (exported by \($0))" } ?? "")
        ).yaml
    }

    /// The codebook YAML for a tree of REFI-QDA codes, and the full key given to each
    /// node in depth-first order. Top-level codes with children become groups; when some
    /// have none, all go into one group `imported`. Keys are made from the names.
    package static func yaml(_ top: [Node], name: String, header: String) -> (yaml: String, keys: [String]) {
        var used: Set<String> = []
        var keys: [String] = []
        func key(_ name: String) -> String {
            let folded = name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
            var slug = ""
            for scalar in folded.unicodeScalars {
                if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                    slug.unicodeScalars.append(scalar)
                } else if !slug.isEmpty, slug.last != "-" {
                    slug.append("-")
                }
            }
            while slug.hasSuffix("-") { slug.removeLast() }
            if slug.isEmpty { slug = "code" }
            var candidate = slug
            var n = 2
            while used.contains(candidate) {
                candidate = "\(slug)-\(n)"
                n += 1
            }
            return candidate
        }
        func quoted(_ text: String) -> String {
            "\""
                + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
                .replacingOccurrences(of: "\t", with: "\\t") + "\""
        }
        func codes(_ nodes: [Node], parent: String?, indent: String) -> String {
            // Keys are unique among siblings.
            let saved = used
            used = []
            var out = ""
            for node in nodes {
                let k = key(node.name)
                used.insert(k)
                let full = parent.map { "\($0).\(k)" } ?? k
                keys.append(full)
                out += "\(indent)- key: \(k)\n\(indent)  label: \(quoted(node.name.isEmpty ? k : node.name))\n"
                if let d = node.description { out += "\(indent)  definition: \(quoted(d))\n" }
                if let color = node.color { out += "\(indent)  color: \(quoted(color))\n" }
                if let guid = node.guid { out += "\(indent)  guid: \(quoted(guid))\n" }
                if !node.children.isEmpty {
                    out += "\(indent)  codes:\n" + codes(node.children, parent: full, indent: indent + "    ")
                }
            }
            used = saved
            return out
        }
        var yaml = "# \(header.replacingOccurrences(of: "\n", with: " "))\ncodebook: \(quoted(name))\ngroups:\n"
        if top.allSatisfy({ !$0.children.isEmpty }) {
            yaml += codes(top, parent: nil, indent: "  ")
        } else {
            yaml += "  - key: imported\n    label: \"Imported codes\"\n    codes:\n"
            yaml += codes(top, parent: "imported", indent: "      ")
        }
        return (yaml, keys)
    }
}
