import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file mapped read-only into memory, whose pages can be handed back once read, so
/// that reading a file far larger than memory keeps a flat footprint.
package final class MappedFile: @unchecked Sendable {
    package let bytes: UnsafeBufferPointer<UInt8>
    private let base: UnsafeMutableRawPointer?
    private let length: Int
    private var released = 0
    private static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    package init(path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw MatchingError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { _ = Glibc.close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw MatchingError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        length = Int(info.st_size)
        guard length > 0 else {
            base = nil
            bytes = UnsafeBufferPointer(start: nil, count: 0)
            return
        }
        let mapped = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let mapped, mapped != MAP_FAILED else {
            throw MatchingError.unreadable(path: path, reason: "it cannot be mapped into memory")
        }
        _ = madvise(mapped, length, MADV_SEQUENTIAL)
        base = mapped
        bytes = UnsafeBufferPointer(start: mapped.assumingMemoryBound(to: UInt8.self), count: length)
    }

    /// Hands back the pages that lie wholly before `offset`; they are read again from the
    /// page cache if touched later.
    package func release(upTo offset: Int) {
        guard let base else { return }
        let end = offset / Self.pageSize * Self.pageSize
        guard end > released else { return }
        _ = madvise(base + released, end - released, MADV_DONTNEED)
        released = end
    }

    package func close() {
        if let base { munmap(base, length) }
    }
}
