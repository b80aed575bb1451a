// bench-codecs: decodes every .jpg and .png in a folder with Imaging (from memory, files preloaded) and prints
// images per CPU second per format (best of ROUNDS), in the same output format as tools/bench/codecs_direct.c (the libjpeg/libpng
// anchor). Usage: bench-codecs FOLDER [ROUNDS]   (ROUNDS: passes over the files, default 3; the best is kept)
import Foundation
import Imaging

/// Process CPU time in seconds (as the C anchor measures): less disturbed than wall time on a shared machine.
func cpuSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    let description: String
}

func loadFiles(in folder: URL, withExtension fileExtension: String) throws -> [[UInt8]] {
    try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        .filter { $0.pathExtension == fileExtension }
        .sorted { $0.lastPathComponent < $1.lastPathComponent }
        .map { try [UInt8](Data(contentsOf: $0)) }
}

/// Best-of-`rounds` throughput of `decode` over `files`, in images per second, and a checksum of the pixels.
func measure(_ files: [[UInt8]], rounds: Int, _ decode: ([UInt8]) throws -> Image) throws -> (Double, UInt64) {
    var best = Double.infinity
    var checksum: UInt64 = 0
    for _ in 0..<rounds {
        checksum = 0
        let start = cpuSeconds()
        for file in files {
            let image = try decode(file)
            checksum &+= UInt64(image.pixels[image.sampleCount / 2]) &+ UInt64(image.sampleCount)
        }
        best = min(best, cpuSeconds() - start)
    }
    return (Double(files.count) / best, checksum)
}

func run() throws {
    let arguments = CommandLine.arguments
    guard arguments.count >= 2 else { throw BenchmarkFailure(description: "usage: bench-codecs FOLDER [ROUNDS]") }
    let folder = URL(fileURLWithPath: arguments[1], isDirectory: true)
    let rounds = arguments.count > 2 ? Int(arguments[2]) ?? 3 : 3
    let jpegs = try loadFiles(in: folder, withExtension: "jpg")
    let pngs = try loadFiles(in: folder, withExtension: "png")
    guard !jpegs.isEmpty || !pngs.isEmpty else { throw BenchmarkFailure(description: "no .jpg or .png in \(folder.path)") }
    if !jpegs.isEmpty {
        let decoder = JPEGDecoder()
        let (rate, checksum) = try measure(jpegs, rounds: rounds) { try decoder.decode($0) }
        print(String(format: "jpeg %d files %.1f images/s checksum %llu", jpegs.count, rate, checksum))
    }
    if !pngs.isEmpty {
        let decoder = PNGDecoder()
        let (rate, checksum) = try measure(pngs, rounds: rounds) { try decoder.decode($0) }
        print(String(format: "png %d files %.1f images/s checksum %llu", pngs.count, rate, checksum))
    }
    if let first = jpegs.first {
        // Resize throughput (the preparation step after decoding): one decoded photo to 224x224, repeatedly.
        let image = try JPEGDecoder().decode(first)
        let repeats = 200
        let start = cpuSeconds()
        var checksum: UInt64 = 0
        for _ in 0..<repeats { checksum &+= UInt64(image.resized(height: 224, width: 224).pixels[1000]) }
        let seconds = cpuSeconds() - start
        print(String(format: "resize %dx%d->224x224 %.1f images/s checksum %llu", image.height, image.width,
                     Double(repeats) / seconds, checksum))
    }
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("bench-codecs: \(error)\n".utf8))
    exit(1)
}
