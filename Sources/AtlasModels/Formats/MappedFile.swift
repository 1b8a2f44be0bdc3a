#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A read-only memory map of a whole file: the one place the format readers touch mmap/munmap.
///
/// The bytes stay valid while the object lives; nothing is copied.
final class MappedFile: @unchecked Sendable {
    let path: String
    let bytes: UnsafeRawBufferPointer
    private let base: UnsafeMutableRawPointer?

    var count: Int { bytes.count }

    init(url: URL) throws {
        path = url.path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw FormatError(file: path, field: "file", found: "cannot open (\(String(cString: strerror(errno))))",
                              expected: "a readable file")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            throw FormatError(file: path, field: "file", found: "cannot stat (\(String(cString: strerror(errno))))",
                              expected: "a readable file")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw FormatError(file: path, field: "file", found: "not a regular file", expected: "a regular file")
        }
        let size = Int(st.st_size)
        if size == 0 {
            base = nil
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw FormatError(file: path, field: "file", found: "mmap failed (\(String(cString: strerror(errno))))",
                              expected: "a mappable file")
        }
        base = p
        bytes = UnsafeRawBufferPointer(start: p, count: size)
    }

    deinit {
        if let base { munmap(base, bytes.count) }
    }

    /// The sub-range `offset ..< offset + length`, or nil when it is not inside the file.
    func slice(offset: Int, length: Int) -> UnsafeRawBufferPointer? {
        guard offset >= 0, length >= 0 else { return nil }
        let (end, overflow) = offset.addingReportingOverflow(length)
        guard !overflow, end <= bytes.count else { return nil }
        if length == 0 { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<end])
    }
}
