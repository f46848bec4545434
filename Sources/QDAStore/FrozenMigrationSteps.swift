/// Application logic a migration needs, copied into the migration as it was when the
/// migration was released. A migration must give the same result forever, whatever later
/// changes make of the code it once called: never edit these, add a new step instead.
enum FrozenMigrationSteps {
    /// Words in a segment's text as schema v3 counted them (2026-11-29): a run of letters,
    /// digits, `_` or combining marks outside CJK is one word, and so is every CJK letter or
    /// digit (a code point from U+2E80 up, the full-width forms U+FF01–U+FF5E aside).
    static func v3WordCount(_ text: String) -> Int {
        var count = 0
        var inWord = false
        for scalar in text.unicodeScalars {
            let v = scalar.value
            let properties = scalar.properties
            let letterOrDigit = properties.isAlphabetic || properties.numericType != nil
            if v >= 0x2E80 && !(0xFF01...0xFF5E).contains(v) {
                if letterOrDigit { count += 1 }
                inWord = false
            } else if v < 0x80
                ? (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || (v >= 0x30 && v <= 0x39) || v == 0x5F
                : letterOrDigit || properties.generalCategory == .nonspacingMark
            {
                if !inWord { count += 1 }
                inWord = true
            } else {
                inWord = false
            }
        }
        return count
    }
}
