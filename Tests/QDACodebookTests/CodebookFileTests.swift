import Foundation
import QDACodebook
import Testing

/// Codebook and gazetteer files are UTF-8: the decoding and its errors, through the public API.
@Suite struct CodebookFileTests {
    @Test func dropsByteOrderMarkAndNormalisesLineEndings() throws {
        let data = Data([0xEF, 0xBB, 0xBF] + Array("a\r\nb\rc\n".utf8))
        #expect(try TextDecoding.decode(data, path: "x.txt") == "a\nb\nc\n")
    }

    @Test func keepsChineseText() throws {
        #expect(try TextDecoding.decode(Data("研发能力".utf8), path: "x.txt") == "研发能力")
    }

    @Test func namesTheFirstInvalidByte() {
        // "ok " then a GBK-encoded 研 (0xD1 0xD0), invalid as UTF-8.
        let data = Data(Array("ok ".utf8) + [0xD1, 0xD0])
        #expect(throws: CodebookError.invalidEncoding(path: "gbk.txt", byteOffset: 3, detail: "byte 0xD1")) {
            try TextDecoding.decode(data, path: "gbk.txt")
        }
    }

    @Test func countsTheByteOrderMarkInTheOffset() {
        let data = Data([0xEF, 0xBB, 0xBF, 0x61, 0xFF])
        #expect(throws: CodebookError.invalidEncoding(path: "a.txt", byteOffset: 4, detail: "byte 0xFF")) {
            try TextDecoding.decode(data, path: "a.txt")
        }
    }

    @Test func refusesUTF16() {
        #expect(throws: CodebookError.self) { try TextDecoding.decode(Data([0xFF, 0xFE, 0x61, 0x00]), path: "u.txt") }
    }

    @Test func refusesBinaryFilesWithNULs() {
        #expect(
            throws: CodebookError.invalidEncoding(
                path: "b.txt", byteOffset: 1, detail: "a NUL byte; is this a binary file?")
        ) { try TextDecoding.decode(Data([0x61, 0x00, 0x62]), path: "b.txt") }
    }
}
