import Checksums
import Foundation
import RawDatasets

/// Raw-input bookkeeping shared by the VOC and ChestX-ray14 converters.
enum RawInputs {
    /// The digest of one whole file, named by its path relative to the dataset root (never absolute).
    static func digest(of url: URL, name: String) throws -> RawInputDigest {
        let sha256 = try Checksums.sha256(fileAt: url)
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        let size = (attributes?[.size] as? NSNumber)?.intValue ?? 0
        return RawInputDigest(name: name, byteCount: size, sha256: sha256)
    }

    /// Rewrites `dataset.json` of a finished run with `extra` appended to its raw inputs (digests known only
    /// after the images were read, e.g. `RawImageDigests.summary`). Written to a temporary file in the same
    /// folder, then renamed over the old one, so the file is always complete. Same encoding as the pipeline.
    static func appending(_ extra: [RawInputDigest], to summary: PreparationSummary) throws -> PreparationSummary {
        var description = summary.description
        description.rawInputs += extra
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let destination = summary.output.appendingPathComponent("dataset.json")
        let temporary = summary.output.appendingPathComponent(".dataset.json.partial-\(getpid())")
        do {
            var data = try encoder.encode(description)
            data.append(0x0A)
            try data.write(to: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw PreparationError.cannotWrite(path: temporary.path, reason: FileSystemErrorText.reason(error))
        }
        guard rename(temporary.path, destination.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw PreparationError.cannotWrite(path: destination.path, reason: reason)
        }
        return PreparationSummary(description: description, output: summary.output, seconds: summary.seconds)
    }
}
