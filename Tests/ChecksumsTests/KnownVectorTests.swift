import Checksums
import Foundation
import Testing

/// FIPS 180-4 / RFC 1321 test vectors.
@Suite("Checksums known vectors")
struct KnownVectorTests {
    @Test("SHA-256 of empty, abc, the two-block message and one million a")
    func sha256Vectors() {
        #expect(Checksums.sha256(of: [UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Checksums.sha256(ofUTF8: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Checksums.sha256(ofUTF8: "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        let hasher = SHA256()
        let thousand = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { hasher.update(thousand) }
        #expect(hasher.finalize() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("MD5 of empty, abc and the quick brown fox")
    func md5Vectors() {
        #expect(Checksums.md5(of: [UInt8]()) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(Checksums.md5(of: Array("abc".utf8)) == "900150983cd24fb0d6963f7d28e17f72")
        let hasher = MD5()
        hasher.update(utf8: "The quick brown fox ")
        hasher.update(Data("jumps over the lazy dog".utf8))
        #expect(hasher.finalize() == "9e107d9d372bb6826bd81d3542a419d6")
    }

    @Test("split updates equal one update; raw digest lengths")
    func splitUpdates() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let whole = Checksums.sha256(of: bytes)
        let pieces = SHA256()
        pieces.update(Array(bytes[0..<1]))
        pieces.update(Array(bytes[1..<640]))
        pieces.update(Array(bytes[640...]))
        #expect(pieces.finalize() == whole)
        #expect(SHA256().finalizeBytes().count == 32)
        #expect(MD5().finalizeBytes().count == 16)
        #expect(Checksums.hexString([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
    }
}
