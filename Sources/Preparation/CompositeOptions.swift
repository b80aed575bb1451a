/// `--composite pairwise|none`.
public enum CompositeMode: String, Sendable, CaseIterable {
    case pairwise, none
}

/// Composite settings for the three splits (train, val, test).
public struct CompositeOptions: Sendable, Equatable {
    public var mode: CompositeMode
    /// S per split, train/val/test.
    public var singlesPerClass: [SinglesPerClass]
    /// P per split, train/val/test.
    public var pairsPerCombination: [Int]
    public var seed: UInt64

    public init(mode: CompositeMode, singlesPerClass: [SinglesPerClass], pairsPerCombination: [Int], seed: UInt64) {
        precondition(singlesPerClass.count == 3 && pairsPerCombination.count == 3, "one value per split: train, val, test")
        self.mode = mode
        self.singlesPerClass = singlesPerClass
        self.pairsPerCombination = pairsPerCombination
        self.seed = seed
    }

    /// The flags recorded in `dataset.json`.
    public var flags: [String: String] {
        var flags = ["composite": mode.rawValue, "seed": String(seed)]
        if mode == .pairwise {
            flags["singles-per-class"] = singlesPerClass.map(\.description).joined(separator: ",")
            flags["pairs-per-combination"] = pairsPerCombination.map(String.init).joined(separator: ",")
        }
        return flags
    }

    /// Parses `3100,800,800` (or a single value for all splits) into S per split.
    public static func parseSingles(_ text: String) -> [SinglesPerClass]? {
        let values = text.split(separator: ",").map { SinglesPerClass(String($0)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil }) else { return nil }
        let parsed = values.compactMap { $0 }
        return parsed.count == 1 ? Array(repeating: parsed[0], count: 3) : parsed.count == 3 ? parsed : nil
    }

    /// Parses `200,50,50` (or a single value for all splits) into P per split.
    public static func parsePairs(_ text: String) -> [Int]? {
        let values = text.split(separator: ",").map { Int($0) }
        guard !values.isEmpty, values.allSatisfy({ ($0 ?? -1) >= 0 }) else { return nil }
        let parsed = values.compactMap { $0 }
        return parsed.count == 1 ? Array(repeating: parsed[0], count: 3) : parsed.count == 3 ? parsed : nil
    }

    /// The producer of split `index` (0 train, 1 val, 2 test): composites or plain images, with warnings for
    /// classes short of singles.
    public func producer(splitIndex: Int, splitName: String, images: any SourceImageSet,
                         classCount: Int, classNames: [String]) throws -> (any SplitRecordProducer, [String]) {
        guard mode == .pairwise else {
            return (SingleImageSplitProducer(splitName: splitName, images: images), [])
        }
        var classes: [Int] = []
        classes.reserveCapacity(images.count)
        for source in 0..<images.count {
            guard let label = images.classIndex(of: source) else {
                throw PreparationError.invalidOption("--composite pairwise needs single-label sources, but \(images.name(of: source)) is multi-label; use --composite none")
            }
            classes.append(label)
        }
        let plan = CompositePlanner.plan(classOfSource: classes, classCount: classCount, sourceHeight: images.height,
                                         sourceWidth: images.width, singlesPerClass: singlesPerClass[splitIndex],
                                         pairsPerCombination: pairsPerCombination[splitIndex], seed: seed, split: splitName)
        var warnings: [String] = []
        if let fewest = plan.shortClasses.min(by: { $0.available < $1.available }) {
            let names = plan.shortClasses.map { classNames[$0.classIndex] }
            warnings.append("\(splitName): \(names.count) of \(classCount) classes have fewer sources than the \(singlesPerClass[splitIndex]) singles asked for (fewest: \(fewest.available), \(classNames[fewest.classIndex])); all their sources are used as singles")
        }
        return (CompositeSplitProducer(splitName: splitName, plan: plan, images: images), warnings)
    }
}
