#if canImport(Glibc)
internal import Glibc
#endif

/// Hands freed heap pages back to the system. glibc's allocator keeps what a process frees
/// for reuse, so a phase that ends still counts in the resident size of the next one.
enum HeapRelease {
    static func returnFreedPages() {
        #if canImport(Glibc)
        // `malloc_trim` is glibc's, declared in <malloc.h>, which the Glibc module does not
        // export: looked up by name instead.
        typealias Trim = @convention(c) (Int) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
            _ = unsafeBitCast(symbol, to: Trim.self)(0)
        }
        #endif
    }
}
