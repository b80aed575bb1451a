import Foundation

extension PartitionManifest.Parameters {
    private enum CodingKeys: String, CodingKey {
        case clients, alpha, rho, seed, absentLabels, emptyLabels, minClientSize
    }

    /// Records `parameters` (policies by their raw names).
    public init(_ parameters: PartitionParameters) {
        clients = parameters.clients
        alpha = parameters.alpha
        rho = parameters.rho
        seed = parameters.seed
        absentLabels = parameters.absentLabels.rawValue
        emptyLabels = parameters.emptyLabels.rawValue
        minClientSize = parameters.minClientSize
    }

    /// Reads `alpha` as a number or the string `"inf"`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        clients = try container.decode(Int.self, forKey: .clients)
        if let text = try? container.decode(String.self, forKey: .alpha) {
            guard text == "inf" else {
                throw DecodingError.dataCorruptedError(forKey: .alpha, in: container,
                                                       debugDescription: "alpha must be a number or \"inf\"")
            }
            alpha = .infinity
        } else {
            alpha = try container.decode(Double.self, forKey: .alpha)
        }
        rho = try container.decode(Double.self, forKey: .rho)
        seed = try container.decode(UInt64.self, forKey: .seed)
        absentLabels = try container.decode(String.self, forKey: .absentLabels)
        emptyLabels = try container.decode(String.self, forKey: .emptyLabels)
        minClientSize = try container.decode(Int.self, forKey: .minClientSize)
    }

    /// Writes `alpha` as a number, or `"inf"` when infinite (JSON has no infinity).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(clients, forKey: .clients)
        if alpha.isInfinite {
            try container.encode("inf", forKey: .alpha)
        } else {
            try container.encode(alpha, forKey: .alpha)
        }
        try container.encode(rho, forKey: .rho)
        try container.encode(seed, forKey: .seed)
        try container.encode(absentLabels, forKey: .absentLabels)
        try container.encode(emptyLabels, forKey: .emptyLabels)
        try container.encode(minClientSize, forKey: .minClientSize)
    }

    /// The parameters back, or `nil` when a policy name is unknown.
    public var partitionParameters: PartitionParameters? {
        guard let absent = AbsentLabelPolicy(rawValue: absentLabels),
              let empty = EmptyLabelPolicy(rawValue: emptyLabels) else { return nil }
        return PartitionParameters(clients: clients, alpha: alpha, rho: rho, seed: seed, absentLabels: absent,
                                   emptyLabels: empty, minClientSize: minClientSize)
    }
}

extension PartitionManifest {
    /// The manifest's file name inside a shards folder.
    public static let fileName = "partition.json"
    /// The layout version written.
    public static let currentFormatVersion = 1

    /// Deterministic JSON: sorted keys, two-space pretty printing, unescaped slashes, trailing newline.
    public func encodedJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }

    /// Parses `partition.json` bytes WITHOUT checking the fields against each other. Commands must read through
    /// `read(shardsFolder:)` or `decodeValidated(_:path:)` instead (a manifest is untrusted input: a short
    /// `classCounts` used to trap `histogram`); this stays public only for the histogram command until it moves.
    @available(*, deprecated, message: "use PartitionManifest.read(shardsFolder:) or decodeValidated(_:path:)")
    public static func decode(_ data: Data) throws -> PartitionManifest {
        try JSONDecoder().decode(PartitionManifest.self, from: data)
    }

    /// The shard file name of client `index`: `client-NNN.safetensors` (at least three digits).
    public static func shardFileName(client index: Int) -> String {
        let digits = String(index)
        return "client-" + String(repeating: "0", count: max(0, 3 - digits.count)) + digits + ".safetensors"
    }
}
