import Foundation

/// Golden files: expected outputs kept in the repository and compared byte for byte.
///
/// Re-record on purpose only, with `QDA_RECORD_GOLDEN=1 swift test`; then read the diff.
public enum Golden {
    /// Compares `actual` with the golden file at `path`.
    ///
    /// - Returns: nil when they are equal (or the file was just recorded), else a message
    ///   with the first differing line.
    public static func mismatch(_ actual: String, path: String) -> String? {
        if ProcessInfo.processInfo.environment["QDA_RECORD_GOLDEN"] == "1" {
            try? FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try? Data(actual.utf8).write(to: URL(fileURLWithPath: path))
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return "no golden file at \(path); record it with QDA_RECORD_GOLDEN=1"
        }
        let expected = String(decoding: data, as: UTF8.self)
        guard expected != actual else { return nil }
        let e = expected.components(separatedBy: "\n")
        let a = actual.components(separatedBy: "\n")
        for i in 0..<max(e.count, a.count) {
            let el = i < e.count ? e[i] : "<end of file>"
            let al = i < a.count ? a[i] : "<end of output>"
            if el != al {
                return
                    "\((path as NSString).lastPathComponent) differs at line \(i + 1):\n  expected: \(el)\n  actual:   \(al)"
            }
        }
        return "\(path) differs"
    }
}
