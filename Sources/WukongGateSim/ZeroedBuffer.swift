// Zero-filled amplitude buffers for the state vectors. Large ones are fresh anonymous mappings: the
// kernel hands their pages out zeroed on first touch (no zeroing pass; pages a lazy run from |0…0⟩
// never reaches are never mapped), and they are advised as transparent huge pages, so a 1 GiB state
// takes 512 page faults instead of 262 144 and strided sweeps over high qubits miss the TLB far less.
// Small ones come from the allocator and are zeroed.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum ZeroedBuffer {
    /// Buffers of at least this many bytes (1 MiB) are mapped.
    static let mappedBytes = 1 << 20

    /// A zeroed, 64-byte-aligned buffer of `bytes` bytes and whether it was mapped (release it with
    /// `release(_:bytes:mapped:)`).
    static func allocate(bytes: Int) -> (UnsafeMutableRawPointer, mapped: Bool) {
        if bytes >= mappedBytes,
           let raw = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
           raw != UnsafeMutableRawPointer(bitPattern: -1) {
            #if os(Linux)
            // Advice only: without THP support the mapping keeps 4 KiB pages and works the same.
            _ = madvise(raw, bytes, Int32(MADV_HUGEPAGE))
            #endif
            return (raw, true)
        }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        return (raw, false)
    }

    static func release(_ raw: UnsafeMutableRawPointer, bytes: Int, mapped: Bool) {
        if mapped { munmap(raw, bytes) } else { raw.deallocate() }
    }
}
