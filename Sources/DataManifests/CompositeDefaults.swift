/// Default parameters of composite multi-label images (datasets.md, "Composite multi-label images").
public struct CompositeDefaults: Codable, Sendable, Equatable {
    /// Canvas side = `canvasScale` x source side (2: CIFAR 32 -> 64).
    public var canvasScale: Int
    /// `maxOffset = sourceSide / maxOffsetDivisor` (4: CIFAR 8, MedMNIST-28 7).
    public var maxOffsetDivisor: Int
    /// Per prepared split: how many singles and pairs.
    public var splits: [CompositeSplit]

    /// The settings for prepared split `name`, if any.
    public func split(named name: String) -> CompositeSplit? {
        splits.first { $0.name == name }
    }
}

/// Composite counts for one prepared split.
public struct CompositeSplit: Codable, Sendable, Equatable {
    /// `"train"`, `"val"` or `"test"`.
    public var name: String
    /// Singles per class: `S` sources drawn per class, or every source.
    public var singlesPerClass: SourceSelection
    /// Pairs `P` per class pair `a < b`.
    public var pairsPerClassPair: Int
}

/// How many sources of a class become singles: a count, or all of them (JSON: an integer or `"all"`).
public enum SourceSelection: Codable, Sendable, Equatable, CustomStringConvertible {
    /// The first `n` of a shuffled copy of the class's indices.
    case count(Int)
    /// Every source, in order.
    case all

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let count = try? container.decode(Int.self) {
            self = .count(count)
        } else if let text = try? container.decode(String.self), text == "all" {
            self = .all
        } else {
            throw DecodingError.dataCorruptedError(in: container,
                                                   debugDescription: "expected a count or \"all\"")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .count(let count): try container.encode(count)
        case .all: try container.encode("all")
        }
    }

    /// `"3100"` or `"all"`, as on the command line.
    public var description: String {
        switch self {
        case .count(let count): String(count)
        case .all: "all"
        }
    }
}
