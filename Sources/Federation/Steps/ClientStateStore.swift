import Foundation
import NeuralNet
import Safetensors

/// The state a client keeps between its rounds (SCAFFOLD's `c_i`), on its own disk:
/// `FOLDER/<run ID>/client-NNN.round-RRRRR.safetensors`, one file per round it was written in (sets as
/// `<set>::<entry>`, names in metadata `sets`).
///
/// A step of round `r` reads the newest file of a round before `r` and writes the file of round `r`; so a round
/// that is run again (a missing reply stopped the run, which resumed from its last completed round) starts from
/// the same state. Files older than the one read are removed after the write (this store created them).
public struct ClientStateStore: Sendable {
    public let folder: URL

    public init(folder: URL) {
        self.folder = folder
    }

    private func runFolder(_ runID: String) -> URL { folder.appendingPathComponent(runID) }

    private func files(runID: String, client: Int) -> [(round: Int, url: URL)] {
        let prefix = String(format: "client-%03d.round-", client), suffix = ".safetensors"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: runFolder(runID).path)) ?? []
        return names.compactMap { name in
            guard name.hasPrefix(prefix), name.hasSuffix(suffix),
                  let round = Int(name.dropFirst(prefix.count).dropLast(suffix.count)) else { return nil }
            return (round, runFolder(runID).appendingPathComponent(name))
        }.sorted { $0.round < $1.round }
    }

    /// The state written in the newest round before `round` (empty if none).
    public func load(runID: String, client: Int, before round: Int,
                     layout: ParameterSet) throws(StepError) -> [String: ParameterSet] {
        guard let newest = files(runID: runID, client: client).last(where: { $0.round < round }) else { return [:] }
        let file = try ExchangeFile.open(newest.url, what: "client state")
        guard let names = try? JSONDecoder().decode([String].self, from: Data((file.metadata["sets"] ?? "").utf8)) else {
            throw StepError("\(newest.url.path): metadata 'sets' is not a JSON list; the client state is damaged "
                            + "(remove the file only if the run is restarted from round 1)")
        }
        var sets = [String: ParameterSet]()
        for name in names { sets[name] = try ExchangeFile.load(file, layout: layout, prefix: name + "::") }
        return sets
    }

    /// Stores the state written in `round` (nothing when `sets` is empty), then removes files older than the newest
    /// one before `round`.
    public func save(_ sets: [String: ParameterSet], runID: String, client: Int, round: Int) throws {
        guard !sets.isEmpty else { return }
        try FileManager.default.createDirectory(at: runFolder(runID), withIntermediateDirectories: true)
        var tensors = [String: TensorData]()
        for (name, set) in sets { tensors.merge(set.tensors(prefix: name + "::")) { first, _ in first } }
        let names = String(decoding: try JSONEncoder().encode(sets.keys.sorted()), as: UTF8.self)
        let url = runFolder(runID).appendingPathComponent(String(format: "client-%03d.round-%05d.safetensors",
                                                                 client, round))
        try Safetensors.write(tensors: tensors, metadata: ["sets": names], to: url)
        let earlier = files(runID: runID, client: client).filter { $0.round < round }
        for stale in earlier.dropLast() { try? FileManager.default.removeItem(at: stale.url) }
    }
}
