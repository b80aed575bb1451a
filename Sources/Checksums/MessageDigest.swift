import CLibCrypto
import Foundation

/// A streaming message digest over OpenSSL's EVP interface (libcrypto).
///
/// Feed bytes with `update(_:)` any number of times, then call `finalize()` once. The hasher owns an
/// `EVP_MD_CTX`, freed in `deinit`. Not thread-safe: use one hasher per task.
/// `SHA256` and `MD5` are the two algorithms the project uses; they share this implementation.
public class MessageDigest {
    private let context: OpaquePointer
    private var isFinalized = false

    /// The digest length in bytes (32 for SHA-256, 16 for MD5).
    public let byteCount: Int

    init(algorithm: DigestAlgorithm) {
        let method: OpaquePointer?
        switch algorithm {
        case .sha256: method = EVP_sha256()
        case .md5: method = EVP_md5()
        }
        guard let method, let context = EVP_MD_CTX_new() else {
            preconditionFailure("libcrypto could not create a \(algorithm) context (out of memory?)")
        }
        guard EVP_DigestInit_ex(context, method, nil) == 1 else {
            EVP_MD_CTX_free(context)
            preconditionFailure("libcrypto refused to initialise \(algorithm)")
        }
        self.context = context
        self.byteCount = algorithm.digestByteCount
    }

    deinit {
        EVP_MD_CTX_free(context)
    }

    /// Adds `bytes` to the digest. Must not be called after `finalize()`.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        precondition(!isFinalized, "MessageDigest.update after finalize")
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        let status = EVP_DigestUpdate(context, base, bytes.count)
        precondition(status == 1, "EVP_DigestUpdate failed")
    }

    /// Adds the bytes of `data` (`[UInt8]`, `Data`, ...) to the digest.
    public func update(_ data: some ContiguousBytes) {
        data.withUnsafeBytes { update($0) }
    }

    /// Adds the UTF-8 bytes of `text` to the digest.
    public func update(utf8 text: String) {
        var text = text
        text.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    /// Ends the computation and returns the raw digest (`byteCount` bytes). Call at most once.
    public func finalizeBytes() -> [UInt8] {
        precondition(!isFinalized, "MessageDigest.finalize called twice")
        isFinalized = true
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let status = digest.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(context, $0.baseAddress, &length) }
        precondition(status == 1 && Int(length) == byteCount, "EVP_DigestFinal_ex failed")
        return Array(digest.prefix(Int(length)))
    }

    /// Ends the computation and returns the digest as lowercase hexadecimal (64 characters for SHA-256,
    /// 32 for MD5), the form `sha256sum`, `md5sum` and Python's `hexdigest()` print. Call at most once.
    public func finalize() -> String {
        Checksums.hexString(finalizeBytes())
    }
}

/// Streaming SHA-256 (FIPS 180-4): `let h = SHA256(); h.update(bytes); h.finalize()` -> 64 hex characters.
public final class SHA256: MessageDigest {
    /// A fresh hasher.
    public init() { super.init(algorithm: .sha256) }
}

/// Streaming MD5 (RFC 1321), used only to check published raw-file checksums: 32 hex characters.
public final class MD5: MessageDigest {
    /// A fresh hasher.
    public init() { super.init(algorithm: .md5) }
}
