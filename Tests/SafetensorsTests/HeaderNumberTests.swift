import Foundation
import Safetensors
import Testing

/// A header number that no 64-bit integer holds (found by tools/fuzz): the message names the tensor and the
/// fields, never Swift's own error (`numberIsNotRepresentableInSwift(parsed: ...)`).
@Suite("Safetensors header numbers")
struct HeaderNumberTests {
    @Test("1e300, 2^63 and -2^63-1 in shape or data_offsets: a plain message")
    func unrepresentableNumbers() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fednc-header-numbers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for number in ["1e+300", "9223372036854775808", "-9223372036854775809"] {
            let header = #"{"images":{"dtype":"U8","shape":["# + number + #"],"data_offsets":[0,4]}}"#
            let url = folder.appendingPathComponent("case.safetensors")
            try CraftedFile.write(CraftedFile.bytes(header: header, dataByteCount: 4), to: url)
            #expect {
                try SafetensorsFile(contentsOf: url)
            } throws: { error in
                let text = "\(error)"
                return text.contains("'images'") && text.contains("64 bits") && !text.contains("Swift")
                    && !text.contains("parsed:")
            }
        }
    }
}
