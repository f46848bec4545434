import Foundation

/// Decodes the bytes of a text file into the text `qda` stores.
///
/// The rule, documented in `docs/formats.md`: UTF-8 with or without a byte-order mark;
/// the mark is dropped and CR LF / lone CR line endings become LF, so that offsets count
/// the same characters on every platform. Anything else is an error naming the byte.
enum TextDecoding {
    /// Reads and decodes a text file, with the SHA-256 of its bytes (for codebooks and
    /// gazetteers, which are recorded by content).
    static func readFile(_ path: String) throws -> (text: String, sha256: String) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw QDAError.unreadable(path: path, reason: "no such file, or permission denied")
        }
        return (try decode(data, path: path), SHA256.hex(data))
    }

    static func decode(_ data: Data, path: String) throws -> String {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            bytes.removeFirst(3)
        } else if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw QDAError.invalidEncoding(
                path: path, byteOffset: 0, detail: "the file starts with a UTF-16 byte-order mark")
        }
        // Validation by the standard library is fast; the offset is looked for only on failure.
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let offset = firstInvalidUTF8Byte(bytes) ?? 0
            throw QDAError.invalidEncoding(
                path: path, byteOffset: offset + (data.count - bytes.count),
                detail: "byte 0x\(String(bytes[offset], radix: 16, uppercase: true))")
        }
        if let nul = bytes.firstIndex(of: 0) {
            throw QDAError.invalidEncoding(
                path: path, byteOffset: nul + (data.count - bytes.count),
                detail: "a NUL byte; is this a binary file?")
        }
        // Carriage returns are rare; look for one with memchr before rewriting anything.
        let hasCarriageReturn = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { memchr($0, 13, buffer.count) != nil } ?? false
        }
        return hasCarriageReturn ? normalizeLineEndings(text) : text
    }

    /// The offset of the first byte that does not start or continue a valid UTF-8 scalar.
    static func firstInvalidUTF8Byte(_ bytes: [UInt8]) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                offset += encoded.count
            case .emptyInput:
                return nil
            case .error:
                return offset
            }
        }
    }

    static func normalizeLineEndings(_ text: String) -> String {
        return text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }
}
