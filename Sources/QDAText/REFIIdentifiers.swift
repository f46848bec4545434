import Foundation

/// GUIDs as REFI-QDA files write them: 8-4-4-4-12 hexadecimal digits, in either case,
/// sometimes in braces. Compared case-insensitively, without braces.
package enum REFIGUID {
    /// The GUID without braces, as written; nil when it is not a GUID.
    package static func normalize(_ text: String) -> String? {
        var value = text.trimmingCharacters(in: .whitespaces)
        if value.hasPrefix("{") && value.hasSuffix("}") && value.count > 2 {
            value = String(value.dropFirst().dropLast())
        }
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.map(\.count) == [8, 4, 4, 4, 12], parts.allSatisfy({ $0.allSatisfy(\.isHexDigit) }) else {
            return nil
        }
        return value
    }

    /// The key a GUID is looked up by: lower case, no braces (any text when it is not a GUID).
    package static func key(_ text: String) -> String {
        (normalize(text) ?? text.trimmingCharacters(in: .whitespaces)).lowercased()
    }
}

/// Code colours: `#RRGGBB`, `#RGB` or `rgb(r, g, b)` as tools write them, kept as `#RRGGBB`.
package enum REFIColor {
    package static func normalize(_ text: String) -> String? {
        let value = text.trimmingCharacters(in: .whitespaces)
        if value.hasPrefix("#") {
            let digits = value.dropFirst()
            guard digits.allSatisfy(\.isHexDigit) else { return nil }
            if digits.count == 6 { return "#" + digits.uppercased() }
            if digits.count == 3 { return "#" + digits.map { "\($0)\($0)" }.joined().uppercased() }
            return nil
        }
        let lower = value.lowercased()
        guard lower.hasPrefix("rgb(") || lower.hasPrefix("rgba("), lower.hasSuffix(")") else { return nil }
        let inside = lower.drop(while: { $0 != "(" }).dropFirst().dropLast()
        let numbers = inside.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard numbers.count == 3 || numbers.count == 4 else { return nil }
        var hex = "#"
        for number in numbers.prefix(3) {
            guard let byte = Int(number), (0...255).contains(byte) else { return nil }
            hex += String(format: "%02X", byte)
        }
        return hex
    }
}
