/// Text with marked spans, for rule tests: `"We have «strong universities» here"`.
///
/// The markers are removed; `ranges` are the marked spans in Unicode scalar offsets into
/// the unmarked text, the unit `qda` uses everywhere.
public struct MarkedText: Sendable, Equatable {
    /// The mark that opens a range.
    public static let open: Unicode.Scalar = "«"
    /// The mark that closes a range.
    public static let close: Unicode.Scalar = "»"

    /// The text without the marks.
    public var text: String
    /// The marked ranges, in Unicode scalars of `text`.
    public var ranges: [Range<Int>]

    /// Reads `marked`: text with `«…»` around the ranges.
    public init(_ marked: String) {
        var scalars = String.UnicodeScalarView()
        var ranges: [Range<Int>] = []
        var start: Int?
        var count = 0
        for scalar in marked.unicodeScalars {
            if scalar == Self.open {
                precondition(start == nil, "nested « in test text: \(marked)")
                start = count
            } else if scalar == Self.close {
                guard let opened = start else { preconditionFailure("» without « in test text: \(marked)") }
                ranges.append(opened..<count)
                start = nil
            } else {
                scalars.append(scalar)
                count += 1
            }
        }
        precondition(start == nil, "« without » in test text: \(marked)")
        text = String(scalars)
        self.ranges = ranges
    }

    /// The text of `range` (scalar offsets into `text`).
    public func slice(_ range: Range<Int>) -> String {
        let scalars = Array(text.unicodeScalars)
        return String(String.UnicodeScalarView(scalars[range]))
    }
}
