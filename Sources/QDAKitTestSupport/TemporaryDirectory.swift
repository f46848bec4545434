import Foundation

/// A fresh folder under the system's temporary directory, removed when released.
public final class TemporaryDirectory: @unchecked Sendable {
    public let path: String

    public init() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("qda-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The absolute path of `name` inside the folder.
    public func url(_ name: String) -> String {
        path + "/" + name
    }

    /// Writes `text` (UTF-8) to `name`, creating folders as needed; returns the path.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        try write(name, data: Data(text.utf8))
    }

    /// Writes raw bytes to `name`, creating folders as needed; returns the path.
    @discardableResult
    public func write(_ name: String, data: Data) throws -> String {
        let target = url(name)
        try FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: target))
        return target
    }
}
