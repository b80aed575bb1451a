/// FNV-1a, 64-bit (offset basis 0xcbf29ce484222325, prime 0x100000001b3), over UTF-8 bytes.
/// Used to derive stream seeds from stream names.
public enum FNV1a64 {
    /// The FNV-1a 64-bit hash of `text`'s UTF-8 encoding.
    public static func hash(_ text: String) -> UInt64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value &*= 0x0000_0100_0000_01b3
        }
        return value
    }
}
