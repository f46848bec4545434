/// Character classes read straight from UTF-8 bytes.
public enum UTF8Text {
    /// Whether `byte` is ASCII white space: space, tab, line feed, vertical tab, form feed or carriage return.
    @inlinable @inline(__always)
    public static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    /// Whether `byte` is an ASCII letter, digit or underscore.
    @inlinable @inline(__always)
    public static func isASCIIWord(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
            || byte == 0x5F
    }

    /// Whether the character that ends just before `index` continues a Latin word.
    @inlinable public static func isWordCharacter(before index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard index > 0 else { return false }
        let last = bytes[index - 1]
        if last < 0x80 { return isASCIIWord(last) }
        var start = index - 1
        while start > 0, bytes[start] & 0xC0 == 0x80 { start -= 1 }
        guard let scalar = decode(at: start, in: bytes)?.scalar else { return false }
        return ScriptClass.isWordCharacter(scalar)
    }

    /// The byte length of the character at `index` if it continues a Latin word, else nil.
    @inlinable public static func wordCharacterLength(at index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard index < bytes.count else { return nil }
        let first = bytes[index]
        if first < 0x80 { return isASCIIWord(first) ? 1 : nil }
        guard let (scalar, length) = decode(at: index, in: bytes), ScriptClass.isWordCharacter(scalar) else {
            return nil
        }
        return length
    }

    /// Decodes the scalar that starts at `index`.
    @inlinable public static func decode(at index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (
        scalar: Unicode.Scalar, length: Int
    )? {
        let b0 = bytes[index]
        let length = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC0 ? 2 : 1
        guard index + length <= bytes.count else { return nil }
        var value: UInt32
        switch length {
        case 1: value = UInt32(b0)
        case 2: value = UInt32(b0 & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F)
        case 3:
            value = UInt32(b0 & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F)
        default:
            value =
                UInt32(b0 & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12 | UInt32(bytes[index + 2] & 0x3F) << 6
                | UInt32(bytes[index + 3] & 0x3F)
        }
        return Unicode.Scalar(value).map { ($0, length) }
    }

    /// The offset of the first byte that does not start or continue a valid UTF-8 scalar,
    /// or nil when all of `bytes` is valid UTF-8.
    public static func firstInvalidByte<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Int? {
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
}
