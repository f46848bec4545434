package import Foundation
import QDAText

/// Decodes the bytes of a codebook or gazetteer file (YAML) into text.
///
/// The rule, documented in `docs/formats.md`: UTF-8 with or without a byte-order mark;
/// the mark is dropped and CR LF / lone CR line endings become LF, so that offsets count
/// the same characters on every platform. Anything else is an error naming the byte.
package enum TextDecoding {
    /// Reads and decodes a text file, with the SHA-256 of its bytes (for codebooks and
    /// gazetteers, which are recorded by content).
    package static func readFile(_ path: String) throws -> (text: String, sha256: String) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CodebookError.unreadable(path: path, reason: "no such file, or permission denied")
        }
        return (try decode(data, path: path), SHA256.hex(data))
    }

    package static func decode(_ data: Data, path: String) throws -> String {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            bytes.removeFirst(3)
        } else if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw CodebookError.invalidEncoding(
                path: path, byteOffset: 0, detail: "the file starts with a UTF-16 byte-order mark")
        }
        // Validation by the standard library is fast; the offset is looked for only on failure.
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let offset = UTF8Text.firstInvalidByte(bytes) ?? 0
            throw CodebookError.invalidEncoding(
                path: path, byteOffset: offset + (data.count - bytes.count),
                detail: "byte 0x\(String(bytes[offset], radix: 16, uppercase: true))")
        }
        if let nul = bytes.firstIndex(of: 0) {
            throw CodebookError.invalidEncoding(
                path: path, byteOffset: nul + (data.count - bytes.count),
                detail: "a NUL byte; is this a binary file?")
        }
        // Carriage returns are rare; look for one with memchr before rewriting anything.
        let hasCarriageReturn = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { memchr($0, 13, buffer.count) != nil } ?? false
        }
        return hasCarriageReturn ? normalizeLineEndings(text) : text
    }

    package static func normalizeLineEndings(_ text: String) -> String {
        return text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }
}
