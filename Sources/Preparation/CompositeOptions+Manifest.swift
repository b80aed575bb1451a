import DataManifests

extension CompositeOptions {
    /// S and P per split (train, val, test) from a manifest's `composite` defaults, or nil if it has none.
    public static func manifestDefaults(_ manifest: DatasetManifest)
        -> (singlesPerClass: [SinglesPerClass], pairsPerCombination: [Int])?
    {
        guard let composite = manifest.composite else { return nil }
        var singles: [SinglesPerClass] = []
        var pairs: [Int] = []
        for split in ["train", "val", "test"] {
            guard let entry = composite.split(named: split) else { return nil }
            switch entry.singlesPerClass {
            case .all: singles.append(.all)
            case let .count(count): singles.append(.count(count))
            }
            pairs.append(entry.pairsPerClassPair)
        }
        return (singles, pairs)
    }
}
