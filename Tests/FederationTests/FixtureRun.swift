import Federation
import Foundation
import NeuralNet

/// One run through `FederatedRun` (the step loop) on a temporary shards folder of synthetic images; both folders
/// are removed afterwards.
enum FixtureRun {
    /// Writes `clients` with `validationCount` validation and `testCount` test images (seeds 2 and 3), trains the
    /// configuration `configure` makes for that folder, and returns it with the final checkpoint's snapshot.
    static func train(clients: [LabeledImages], validationCount: Int, testCount: Int,
                      configure: (_ shardsFolder: URL, _ shards: ShardFolder) throws -> RunConfiguration)
        throws -> (configuration: RunConfiguration, snapshot: RunSnapshot) {
        let folder = try ShardFixture.write(
            clients: clients,
            validation: SyntheticImages.make(count: validationCount, seed: 2, stream: "validation"),
            test: SyntheticImages.make(count: testCount, seed: 3, stream: "test"))
        let runURL = ShardFixture.temporaryRunFolder()
        defer {
            try? FileManager.default.removeItem(at: folder)
            try? FileManager.default.removeItem(at: runURL)
        }
        let shards = try ShardFolder(url: folder)
        let configuration = try configure(folder, shards)
        try FederatedRun(configuration: configuration, shards: shards, runURL: runURL).train(resume: false)
        let layout = try ModelFactory.make(configuration, classCount: SyntheticImages.classCount,
                                           loadingPretrained: false).state
        return (configuration, try Checkpoint.read(from: runURL, layout: layout).snapshot)
    }
}
