internal import CLibCrypto

/// The one funnel through which every libcrypto result passes: success is returned, failure
/// becomes a `CryptoError` carrying OpenSSL's own message, and the thread's error queue is left
/// empty either way so a later call never reports a stale error.
enum OpenSSL {
    /// Succeeds when a libcrypto call returned 1, its documented success value.
    static func check(_ result: Int32, _ operation: @autoclosure () -> String) throws {
        guard result == 1 else { throw failure(operation()) }
    }

    /// Unwraps a pointer a libcrypto call returned, treating NULL as failure.
    static func check<Pointer>(_ pointer: Pointer?, _ operation: @autoclosure () -> String) throws -> Pointer {
        guard let pointer else { throw failure(operation()) }
        return pointer
    }

    /// Builds the error for a failed call from, and clears, the thread's OpenSSL error queue.
    static func failure(_ operation: String, code: CryptoError.Code = .openSSL) -> CryptoError {
        CryptoError(code, "\(operation) failed", openSSLMessage: drainErrors())
    }

    /// Empties the thread's error queue, returning its entries joined by "; ".
    static func drainErrors() -> String {
        var messages: [String] = []
        while case let error = ERR_get_error(), error != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(error, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return messages.joined(separator: "; ")
    }
}
