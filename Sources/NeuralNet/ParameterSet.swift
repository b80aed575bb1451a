/// A model's state as one flat, named float32 vector: what federated algorithms add, scale and average.
///
/// Entries keep torchvision's names and order (`conv1.weight`, `bn1.running_mean`, `layer2.0.downsample.0.weight`,
/// ...). `values` holds every entry's elements back to back, row-major in the entry's shape. Buffers that are not
/// trained (batch-norm running statistics) are entries with `isTrainable == false`: aggregation averages them too,
/// optimisers and gradient terms skip them.
public struct ParameterSet: Sendable, Equatable {
    /// One named tensor inside the flat vector.
    public struct Entry: Sendable, Equatable {
        /// torchvision-style dotted name.
        public let name: String
        /// Shape, outermost first (e.g. `[64, 3, 7, 7]` for `conv1.weight`, OIHW).
        public let shape: [Int]
        /// Index of the first element in `values`.
        public let offset: Int
        /// Element count, the product of `shape`.
        public let count: Int
        /// `false` for running statistics and other buffers.
        public let isTrainable: Bool
        /// The entry this one repeats and when they are made equal, or nil (the usual case).
        public fileprivate(set) var tie: ParameterTie?

        /// `offset ..< offset + count`.
        public var range: Range<Int> { offset..<(offset + count) }
    }

    /// The entries in order; their ranges tile `values` exactly.
    public private(set) var entries: [Entry]
    /// Every element of every entry, back to back.
    public var values: [Float]
    private var indexByName: [String: Int]

    /// A zero-filled set with the given layout. Names must be unique.
    public init(layout: [(name: String, shape: [Int], isTrainable: Bool)]) {
        var entries = [Entry]()
        var indexByName = [String: Int]()
        var offset = 0
        for item in layout {
            precondition(indexByName[item.name] == nil, "duplicate parameter name \(item.name)")
            let count = item.shape.reduce(1, *)
            indexByName[item.name] = entries.count
            entries.append(Entry(name: item.name, shape: item.shape, offset: offset, count: count,
                                 isTrainable: item.isTrainable, tie: nil))
            offset += count
        }
        self.entries = entries
        self.indexByName = indexByName
        self.values = [Float](repeating: 0, count: offset)
    }

    /// A zero-filled set with the same layout as `other`.
    public static func zeros(like other: ParameterSet) -> ParameterSet {
        var copy = other
        copy.values = [Float](repeating: 0, count: other.values.count)
        return copy
    }

    /// Total number of elements.
    public var count: Int { values.count }

    /// The entry called `name`, if any.
    public func entry(named name: String) -> Entry? {
        indexByName[name].map { entries[$0] }
    }

    /// A copy of the elements of entry `name`. Traps on an unknown name (a programmer error).
    public func values(of name: String) -> [Float] {
        guard let entry = entry(named: name) else { preconditionFailure("no parameter named \(name)") }
        return Array(values[entry.range])
    }

    /// Replaces the elements of entry `name`; `newValues.count` must equal the entry's count.
    public mutating func setValues(of name: String, to newValues: [Float]) {
        guard let entry = entry(named: name) else { preconditionFailure("no parameter named \(name)") }
        precondition(newValues.count == entry.count, "\(name): expected \(entry.count) values, got \(newValues.count)")
        values.replaceSubrange(entry.range, with: newValues)
    }

    /// Marks entry `alias` as a second registration of entry `owner` (see `ParameterTie`) and copies the owner's
    /// values into it. Both must be trainable, of the same shape, and `owner` must not be an alias itself.
    package mutating func tie(_ alias: String, to owner: String, timing: ParameterTie.Timing) {
        guard let aliasIndex = indexByName[alias], let ownerEntry = entry(named: owner) else {
            preconditionFailure("tie: no entry \(alias) or \(owner)")
        }
        precondition(entries[aliasIndex].shape == ownerEntry.shape && entries[aliasIndex].isTrainable
                     && ownerEntry.isTrainable && ownerEntry.tie == nil && alias != owner,
                     "tie: \(alias) cannot repeat \(owner)")
        entries[aliasIndex].tie = ParameterTie(owner: owner, timing: timing)
        values.replaceSubrange(entries[aliasIndex].range, with: values[ownerEntry.range])
    }

    /// A copy in which every owner tied `.atAggregation` takes its alias's values (call after averaging clients).
    /// As the authors' server does: its model still shares one storage between the two registrations, and the
    /// alias's state-dict key is aggregated after the owner's, so the alias's average is what remains.
    public func applyingAggregationTies() -> ParameterSet {
        var result = self
        for alias in entries {
            guard let tie = alias.tie, tie.timing == .atAggregation, let owner = entry(named: tie.owner) else {
                continue
            }
            result.values.replaceSubrange(owner.range, with: values[alias.range])
        }
        return result
    }

    /// True when both sets have the same names, shapes, order and ties.
    public func hasSameLayout(as other: ParameterSet) -> Bool {
        entries == other.entries
    }
}
