import Testing

@testable import QDAKit

/// Wrapping report text to the terminal: words stay whole, Chinese wraps anywhere but
/// closing punctuation stays on the line it closes, wide characters count two columns.
@Suite struct ReportRenderingTests {
    @Test func latinTextWrapsAtSpaces() {
        #expect(
            ReportRendering.wrap("The university is strong, demand is weak.", width: 12) == [
                "The", "university", "is strong,", "demand is", "weak.",
            ])
    }

    @Test func chineseWrapsAnywhereButKeepsClosingPunctuation() {
        #expect(
            ReportRendering.wrap("研发很强。市场需求旺盛，政府支持。", width: 10) == [
                "研发很强。", "市场需求旺", "盛，政府支", "持。",
            ])
        // A closing mark past the width stays on its line.
        #expect(ReportRendering.wrap("研发很强，市场", width: 8) == ["研发很强，", "市场"])
    }

    @Test func widthsCountColumns() {
        #expect(TextTable.width("abc") == 3)
        #expect(TextTable.width("研发") == 4)
        // A combining accent takes no column; a colour code none either.
        #expect(TextTable.width("e\u{301}") == 1)
        #expect(TextTable.width("\u{1B}[1mbold\u{1B}[0m") == 4)
        #expect(TextTable.width(scalars: "研e\u{301}".unicodeScalars) == 3)
    }
}
