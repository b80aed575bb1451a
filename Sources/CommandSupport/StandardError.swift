#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Unbuffered writes to standard error, the stream for progress and diagnostics (standard output stays
/// reserved for results).
public enum StandardError {
    /// Writes `text` as is (add `"\n"` yourself).
    public static func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(2, base + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }

    /// True when standard error is a terminal (so progress can be redrawn in place).
    public static var isTerminal: Bool { isatty(2) == 1 }
}
