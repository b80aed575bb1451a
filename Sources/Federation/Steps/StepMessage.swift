import Foundation
import NeuralNet
import Safetensors

/// What the server sends one client for one step (`client-NNN.message.safetensors`; trainer.md, "Exchange
/// files"): the model (the global model for `train`, the best round's model for `statistics`) as tensors
/// `model::<entry>`, the method's sets as `<set>::<entry>` (F32, the model's layout), and the `Header` as JSON in
/// metadata key `fednc`.
public struct StepMessage: Sendable {
    /// What the client is asked to do.
    public enum Kind: String, Codable, Sendable {
        /// Local training from the model; the reply carries the local model and the method's extras.
        case train
        /// Feature statistics under the model (SphereFed's calibration); the reply carries `F^T F`, `F^T Y`.
        case statistics
    }

    /// The message's metadata.
    public struct Header: Codable, Sendable, Equatable {
        /// `fednc-step-message/1`.
        public var format: String
        /// The run's ID (`run-id` in the run folder); a client keeps its state under it.
        public var runID: String
        /// 1-based round; a statistics step has round `rounds + 1`.
        public var round: Int
        public var kind: Kind
        public var client: Int
        /// `N`, the clients in the federation (1 for centralized training).
        public var clientCount: Int
        /// SHA-256 of the run's `partition.json`.
        public var partitionSHA256: String
        /// SHA-256 the run expects of this client's shard (empty for centralized training's pooled client).
        public var shardSHA256: String
        /// `FederatedRun.codeVersion` of the server.
        public var codeVersion: String
        /// Engine worker threads the client step runs with.
        public var threads: Int
        /// When the server planned the step (seconds since 1970; only for `rounds.jsonl`'s wall-clock seconds).
        public var plannedAt: Double
        /// The method's set names, sorted.
        public var sets: [String]
        /// The run's configuration (run.json), from which the client builds its model and method.
        public var configuration: RunConfiguration
    }

    public static let format = "fednc-step-message/1"
    static let metadataKey = "fednc"

    public var header: Header
    public var model: ParameterSet
    public var sets: [String: ParameterSet]

    public init(header: Header, model: ParameterSet, sets: [String: ParameterSet]) {
        self.header = header
        self.model = model
        self.sets = sets
    }

    /// Writes the message (temporary sibling, then rename).
    public func write(to url: URL) throws {
        var tensors = model.tensors(prefix: "model::")
        for (name, set) in sets { tensors.merge(set.tensors(prefix: name + "::")) { first, _ in first } }
        let metadata = [Self.metadataKey: String(decoding: try RunJSON.encoder.encode(header), as: UTF8.self)]
        try Safetensors.write(tensors: tensors, metadata: metadata, to: url)
    }

    /// The header of the message in `url` (read before the model exists: it says how to build it).
    public static func readHeader(from url: URL) throws(StepError) -> Header {
        try ExchangeFile.header(Header.self, of: ExchangeFile.open(url, what: "message"))
    }

    /// The whole message in `url`, its tensors laid out like `layout` (the model built from its header).
    public static func read(from url: URL, layout: ParameterSet) throws(StepError) -> StepMessage {
        let file = try ExchangeFile.open(url, what: "message")
        let header = try ExchangeFile.header(Header.self, of: file)
        var sets = [String: ParameterSet]()
        for name in header.sets { sets[name] = try ExchangeFile.load(file, layout: layout, prefix: name + "::") }
        return StepMessage(header: header, model: try ExchangeFile.load(file, layout: layout, prefix: "model::"),
                           sets: sets)
    }

    /// `client-NNN.message.safetensors`.
    public static func fileName(client: Int) -> String { String(format: "client-%03d.message.safetensors", client) }
}

/// Reading helpers shared by messages and replies.
enum ExchangeFile {
    static func open(_ url: URL, what: String) throws(StepError) -> SafetensorsFile {
        do {
            return try SafetensorsFile(contentsOf: url)
        } catch {
            throw StepError("cannot read the \(what) \(url.path): \(error.description); "
                            + "pass the file the server (or client) step wrote")
        }
    }

    static func header<Header: Decodable>(_ type: Header.Type, of file: SafetensorsFile) throws(StepError) -> Header {
        guard let json = file.metadata[StepMessage.metadataKey] else {
            throw StepError("\(file.url.path) has no FedNC step header (metadata key 'fednc'); it is not a "
                            + "fednc-train exchange file")
        }
        do {
            return try RunJSON.decoder.decode(Header.self, from: Data(json.utf8))
        } catch {
            throw StepError("\(file.url.path): the step header does not decode (\(error)); it was written by "
                            + "another FedNC version - use the same fednc-train build on the server and every client")
        }
    }

    static func load(_ file: SafetensorsFile, layout: ParameterSet, prefix: String) throws(StepError) -> ParameterSet {
        do {
            return try ParameterSet.load(from: file, layout: layout, prefix: prefix)
        } catch {
            throw StepError("\(file.url.path): \(error.description); the server and the client must use the same "
                            + "run configuration")
        }
    }
}
