public import Foundation
import ZIPFoundation

/// A fresh folder under the system's temporary directory, removed when released.
public final class TemporaryDirectory: @unchecked Sendable {
    /// The folder's path.
    public let path: String

    /// Creates a new empty folder under the system's temporary folder.
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

    /// Writes a zip archive holding `parts` (path in the archive → bytes, deflated) to
    /// `name`; returns the path. For hand-made .docx, .odt and hostile archives.
    @discardableResult
    public func zip(_ name: String, parts: [String: Data], symlinks: [String: String] = [:]) throws -> String {
        let target = url(name)
        try FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let archive = try Archive(url: URL(fileURLWithPath: target), accessMode: .create)
        for (part, data) in parts.sorted(by: { $0.key < $1.key }) {
            try archive.addEntry(
                with: part, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate
            ) { position, size in
                data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
        for (part, destination) in symlinks.sorted(by: { $0.key < $1.key }) {
            let data = Data(destination.utf8)
            try archive.addEntry(
                with: part, type: .symlink, uncompressedSize: Int64(data.count), compressionMethod: .none
            ) { position, size in
                data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
        return target
    }
}
