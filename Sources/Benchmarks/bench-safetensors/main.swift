// bench-safetensors: times the streaming SafetensorsWriter, the mmap reader and file SHA-256 on a dataset-sized
// file. Run through tools/bench/safetensors, which also runs the Python anchors and prints ratios.
//
// Usage: bench-safetensors OUTPUT_FOLDER ROWS HEIGHT WIDTH CHANNELS, or bench-safetensors sha256 FILE
// Prints one line per measurement: `name seconds`.
import Checksums
import Foundation
import Safetensors

func seconds(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}

let arguments = CommandLine.arguments
// `bench-safetensors sha256 FILE`: only time Checksums.sha256(fileAt:).
if arguments.count == 3, arguments[1] == "sha256" {
    let start = DispatchTime.now()
    do {
        let digest = try Checksums.sha256(fileAt: URL(fileURLWithPath: arguments[2]))
        print("sha256 \(seconds(since: start))")
        print("sha256_hex \(digest)")
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("bench-safetensors: \(error)\n".utf8))
        exit(1)
    }
}
guard arguments.count == 6, let rows = Int(arguments[2]), let height = Int(arguments[3]),
      let width = Int(arguments[4]), let channels = Int(arguments[5])
else {
    FileHandle.standardError.write(Data("usage: bench-safetensors OUTPUT_FOLDER ROWS HEIGHT WIDTH CHANNELS\n".utf8))
    exit(2)
}
let output = URL(fileURLWithPath: arguments[1]).appendingPathComponent("bench.safetensors")
let rowBytes = height * width * channels

// One block of 64 distinct rows, reused: generating data is not what is measured.
let blockRows = 64
var block = [UInt8](repeating: 0, count: blockRows * rowBytes)
for index in block.indices { block[index] = UInt8(truncatingIfNeeded: (index &* 2_654_435_761) >> 13) }

do {
    let start = DispatchTime.now()
    let writer = SafetensorsWriter(destination: output, metadata: ["dataset": "bench", "split": "train"])
    try writer.declare("images", dtype: .uint8, rowShape: [height, width, channels])
    try writer.declare("labels", dtype: .uint8, rowShape: [10])
    try writer.declare("sources", dtype: .int64, rowShape: [2])
    var label = [UInt8](repeating: 0, count: 10)
    try block.withUnsafeBytes { blockBytes in
        for row in 0..<rows {
            let offset = (row % blockRows) * rowBytes
            try writer.append("images", rows: UnsafeRawBufferPointer(rebasing: blockBytes[offset..<(offset + rowBytes)]))
            label[row % 10] = 1
            try writer.append("labels", rows: label)
            label[row % 10] = 0
            try writer.append("sources", rows: [Int64(row), -1])
        }
    }
    let appended = seconds(since: start)
    let finishStart = DispatchTime.now()
    let byteCount = try writer.finish()
    let finished = seconds(since: finishStart)
    print("write_append \(appended)")
    print("write_finish \(finished)")
    print("write_total \(appended + finished)")
    print("file_bytes \(byteCount)")

    let readStart = DispatchTime.now()
    let file = try SafetensorsFile(contentsOf: output)
    var checksum: UInt64 = 0
    try file.withUnsafeBytes(of: "images") { raw in
        raw.withMemoryRebound(to: UInt64.self) { words in
            for word in words { checksum &+= word }
        }
    }
    print("read_images \(seconds(since: readStart))")
    FileHandle.standardError.write(Data("images checksum \(checksum)\n".utf8))

    let hashStart = DispatchTime.now()
    let digest = try Checksums.sha256(fileAt: output)
    print("sha256 \(seconds(since: hashStart))")
    print("sha256_hex \(digest)")
} catch {
    FileHandle.standardError.write(Data("bench-safetensors: \(error)\n".utf8))
    exit(1)
}
