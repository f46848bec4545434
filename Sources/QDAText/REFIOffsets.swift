import Foundation

/// What a REFI-QDA `startPosition`/`endPosition` counts. The standard says "characters";
/// tools disagree on what a character is (docs/refi-qda.md#offsets).
public enum REFIOffsetUnit: String, Sendable, CaseIterable, Codable {
    /// UTF-16 code units of the plain-text file after its byte-order mark, CR LF counted
    /// as two (NVivo; the string unit of .NET, Cocoa and Qt, in which ATLAS.ti and MAXQDA
    /// are written).
    case utf16
    /// Unicode code points, CR LF counted as two (QualCoder, Taguette, Python tools).
    case codepoints
    /// Unicode code points with CR LF counted as one (positions in the text with its line
    /// endings made LF).
    case crlf1

    /// The unit the tool named by a file's `origin` attribute writes, and why it was chosen.
    public static func detect(origin: String?) -> (unit: REFIOffsetUnit, reason: String) {
        let name = (origin ?? "").lowercased()
        if name.contains("nvivo") {
            return (.utf16, "NVivo counts UTF-16 code units (checked on NVivo 12 and 15 exports)")
        }
        if name.contains("atlas.ti") || name.contains("atlasti") {
            return (.utf16, "ATLAS.ti is assumed to count UTF-16 code units, as its string APIs do")
        }
        if name.contains("maxqda") {
            return (.utf16, "MAXQDA is assumed to count UTF-16 code units, as its string APIs do")
        }
        if name.hasPrefix("qda ") || name == "qda" {
            if name.contains("positions in code points") {
                return (.codepoints, "qda wrote code points, as its origin says")
            }
            return (.utf16, "qda writes UTF-16 code units unless told otherwise")
        }
        if name.contains("qualcoder") || name.contains("taguette") || name.hasPrefix("qc ") {
            return (.codepoints, "\(origin ?? "this tool") counts code points (Python strings)")
        }
        return (.utf16, "the exporting tool (\(origin ?? "not named")) is not known; UTF-16 code units assumed")
    }
}

/// A plain-text source as imported: the text kept as the tool wrote it except for the
/// byte-order mark (dropped) and line endings (CR LF and CR become LF), with a map from
/// positions in any `REFIOffsetUnit` to code-point offsets into that text.
package struct REFIText: Sendable {
    /// The text as stored in the project.
    package let text: String
    /// Code points of `text`.
    package let length: Int
    /// For each code point of the file (after the BOM), its offset into `text`; the CR of
    /// a CR LF shares the LF's.
    private let offsets: [Int32]
    /// For each code point of the file, the UTF-16 units before it; one more entry at
    /// the end holds the total.
    private let utf16Starts: [Int32]

    package init(_ raw: String) {
        var out = String.UnicodeScalarView()
        var offsets: [Int32] = []
        var starts: [Int32] = [0]
        offsets.reserveCapacity(raw.utf8.count)
        starts.reserveCapacity(raw.utf8.count + 1)
        let scalars = Array(raw.unicodeScalars)
        var length: Int32 = 0
        var units: Int32 = 0
        for (index, scalar) in scalars.enumerated() {
            units += Int32(scalar.utf16.count)
            starts.append(units)
            offsets.append(length)
            if scalar == "\r" {
                if index + 1 < scalars.count, scalars[index + 1] == "\n" { continue }
                out.append("\n")
            } else {
                out.append(scalar)
            }
            length += 1
        }
        text = String(out)
        self.length = Int(length)
        self.offsets = offsets
        utf16Starts = starts
    }

    /// The offset into `text` of a position counted in `unit`; nil when it lies past the
    /// end. A position inside a character (between the two halves of a surrogate pair)
    /// is moved to the character's start, or its end when `roundingUp`.
    package func offset(_ position: Int, unit: REFIOffsetUnit, roundingUp: Bool = false) -> Int? {
        guard position >= 0 else { return nil }
        switch unit {
        case .crlf1:
            return position <= length ? position : nil
        case .codepoints:
            if position == offsets.count { return length }
            return position < offsets.count ? Int(offsets[position]) : nil
        case .utf16:
            guard let total = utf16Starts.last, position <= Int(total) else { return nil }
            // The first code point whose start is at or after the position.
            var low = 0
            var high = utf16Starts.count - 1
            while low < high {
                let mid = (low + high) / 2
                if Int(utf16Starts[mid]) < position { low = mid + 1 } else { high = mid }
            }
            if Int(utf16Starts[low]) > position && !roundingUp { low -= 1 }
            return low == offsets.count ? length : Int(offsets[low])
        }
    }
}

extension String {
    /// UTF-16 code units before each code-point offset, for writing positions in UTF-16.
    public func utf16Offsets() -> [Int] {
        var result: [Int] = [0]
        result.reserveCapacity(unicodeScalars.count + 1)
        var units = 0
        for scalar in unicodeScalars {
            units += scalar.utf16.count
            result.append(units)
        }
        return result
    }
}
