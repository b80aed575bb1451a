import Checksums
import Foundation

/// SHA-256 of the prepared dataset's four files, computed in parallel (one file per worker).
struct InputDigests: Sendable, Equatable {
    let datasetJSON: String
    let train: String
    let validation: String
    let test: String

    /// The files hashed, largest first so that parallel hashing starts with the longest job.
    static let fileNames = [PreparedDataset.trainName, PreparedDataset.datasetJSONName, PreparedDataset.validationName,
                            PreparedDataset.testName]

    /// Hashes `fileNames[index]` of the dataset's folder; train.safetensors straight from the dataset's memory
    /// map (the shard writers read the same pages, so the file is not read twice).
    static func digest(_ index: Int, of dataset: PreparedDataset) throws(ShardError) -> String {
        if fileNames[index] == PreparedDataset.trainName {
            return dataset.train.withUnsafeFileBytes { Checksums.sha256(of: $0) }
        }
        return try digest(index, in: dataset.folder)
    }

    /// Hashes `fileNames[index]` of `folder`.
    static func digest(_ index: Int, in folder: URL) throws(ShardError) -> String {
        do throws(ChecksumError) {
            return try Checksums.sha256(fileAt: folder.appendingPathComponent(fileNames[index]))
        } catch {
            throw .checksum(error)
        }
    }

    /// Digests in `fileNames` order.
    init(digests: [String]) {
        precondition(digests.count == Self.fileNames.count, "one digest per prepared-dataset file")
        train = digests[0]
        datasetJSON = digests[1]
        validation = digests[2]
        test = digests[3]
    }

    /// Hashes the four files on up to `workers` threads.
    init(dataset: PreparedDataset, workers: Int) throws(ShardError) {
        self.init(digests: try ParallelWork.map(count: Self.fileNames.count, workers: workers) {
            index throws(ShardError) in try Self.digest(index, of: dataset)
        })
    }
}

/// Assembles `partition.json` from a plan, the dataset and the checksums.
struct ManifestBuilder {
    let dataset: PreparedDataset
    let plan: PartitionPlan
    let inputs: InputDigests
    let shardsFolder: URL

    /// The dataset section (paths relative to the shards folder).
    var datasetSection: PartitionManifest.Dataset {
        let folder = RelativePath.from(shardsFolder, to: dataset.folder)
        func digest(_ name: String, _ sha256: String) -> PartitionManifest.FileDigest {
            .init(file: folder == "." ? name : folder + "/" + name, sha256: sha256)
        }
        return .init(name: dataset.name, classNames: dataset.classNames, folder: folder,
                     datasetJSONSHA256: inputs.datasetJSON, train: digest(PreparedDataset.trainName, inputs.train),
                     validation: digest(PreparedDataset.validationName, inputs.validation),
                     test: digest(PreparedDataset.testName, inputs.test))
    }

    func manifest(shardDigests: [String]) -> PartitionManifest {
        let classCount = plan.classCount
        let clients = plan.clients.map { client in
            PartitionManifest.Client(index: client.index, file: PartitionManifest.shardFileName(client: client.index),
                                     sha256: shardDigests[client.index], size: client.size,
                                     classSet: client.classSet, classCounts: client.classCounts,
                                     emptyLabelSamples: client.emptyLabelSamples, maskedLabels: client.maskedLabels)
        }
        let keptCounts = (0..<classCount).map { classIndex in plan.clients.reduce(0) { $0 + $1.classCounts[classIndex] } }
        let totals = PartitionManifest.Totals(
            samples: plan.sampleCount, kept: plan.keptCount, dropped: plan.dropped.total, classCounts: keptCounts,
            datasetClassCounts: dataset.labels.positiveCounts(),
            emptyLabelSamples: plan.clients.reduce(0) { $0 + $1.emptyLabelSamples })
        return PartitionManifest(
            formatVersion: PartitionManifest.currentFormatVersion, algorithm: Partitioner.algorithmVersion,
            parameters: .init(plan.parameters), attemptUsed: plan.attemptUsed, dataset: datasetSection,
            clients: clients,
            dropped: .init(unroutable: plan.dropped.unroutable, noEligibleClient: plan.dropped.noEligibleClient,
                           emptyLabels: plan.dropped.emptyLabels),
            maskedLabels: plan.maskedLabels, totals: totals)
    }

    /// Why `existing` does not describe a partition of the same input with the same parameters, or `nil`.
    func differenceInInputs(from existing: PartitionManifest) -> String? {
        if existing.algorithm != Partitioner.algorithmVersion {
            return "algorithm \(existing.algorithm), not \(Partitioner.algorithmVersion)"
        }
        let parameters = PartitionManifest.Parameters(plan.parameters)
        if existing.parameters != parameters {
            return "parameters \(ManifestDifferences.describe(existing.parameters)) instead of "
                + ManifestDifferences.describe(parameters)
        }
        let section = datasetSection
        if existing.dataset.train.sha256 != section.train.sha256 { return "a different train.safetensors" }
        if existing.dataset.validation.sha256 != section.validation.sha256 { return "a different val.safetensors" }
        if existing.dataset.test.sha256 != section.test.sha256 { return "a different test.safetensors" }
        if existing.dataset.datasetJSONSHA256 != section.datasetJSONSHA256 { return "a different dataset.json" }
        return nil
    }
}
