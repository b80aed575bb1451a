/// What every attempt shares (partition.md steps 1 and 2): label sets as bit sets, class sets, holders,
/// and the samples anchored at each class.
struct PartitionInputs {
    /// 64-bit words per label set: `(K + 63) / 64`.
    let wordCount: Int
    /// `N * wordCount` words; bit `c` of sample `s` is set when `Y[s, c] == 1`.
    let labelBits: [UInt64]
    /// `S_i` for each client, ascending.
    let classSets: [[Int]]
    /// `M * wordCount` words: client `h`'s class set as bits.
    let classSetBits: [UInt64]
    /// `H_c`: the clients holding class `c`, ascending.
    let holders: [[Int]]
    /// `A_c`: the samples anchored at class `c` (its rarest label, ties to the lower class), ascending.
    let anchored: [[Int32]]
    /// Samples without labels, ascending.
    let emptySamples: [Int32]

    init(labels: LabelMatrix, parameters: PartitionParameters) {
        let classCount = labels.classCount
        let sampleCount = labels.sampleCount
        let wordCount = (classCount + 63) / 64
        self.wordCount = wordCount

        classSets = ClassSetAssignment.classSets(classCount: classCount, clients: parameters.clients,
                                                 rho: parameters.rho, seed: parameters.seed)
        var classSetBits = [UInt64](repeating: 0, count: parameters.clients * wordCount)
        var holders = [[Int]](repeating: [], count: classCount)
        for (client, classSet) in classSets.enumerated() {
            for classIndex in classSet {
                classSetBits[client * wordCount + classIndex / 64] |= 1 << UInt64(classIndex % 64)
                holders[classIndex].append(client)
            }
        }
        self.classSetBits = classSetBits
        self.holders = holders

        // Anchor order: class c ranks by (n_c, c); the anchor is the label of lowest rank.
        let positives = labels.positiveCounts()
        let byRarity = (0..<classCount).sorted { (positives[$0], $0) < (positives[$1], $1) }
        var rarity = [Int](repeating: 0, count: classCount)
        for (position, classIndex) in byRarity.enumerated() { rarity[classIndex] = position }

        var labelBits = [UInt64](repeating: 0, count: sampleCount * wordCount)
        var anchored = [[Int32]](repeating: [], count: classCount)
        for classIndex in 0..<classCount { anchored[classIndex].reserveCapacity(positives[classIndex]) }
        var emptySamples = [Int32]()
        labels.values.withUnsafeBufferPointer { values in
            labelBits.withUnsafeMutableBufferPointer { bits in
                for sample in 0..<sampleCount {
                    let rowStart = sample * classCount
                    var anchor = -1
                    var anchorRarity = Int.max
                    for classIndex in 0..<classCount where values[rowStart + classIndex] != 0 {
                        bits[sample * wordCount + classIndex / 64] |= 1 << UInt64(classIndex % 64)
                        if rarity[classIndex] < anchorRarity {
                            anchorRarity = rarity[classIndex]
                            anchor = classIndex
                        }
                    }
                    if anchor < 0 {
                        emptySamples.append(Int32(sample))
                    } else {
                        anchored[anchor].append(Int32(sample))
                    }
                }
            }
        }
        self.labelBits = labelBits
        self.anchored = anchored
        self.emptySamples = emptySamples
    }

    /// Whether every label of `sample` is in client `client`'s class set.
    @inline(__always)
    func labelsCovered(sample: Int, by client: Int) -> Bool {
        for word in 0..<wordCount
        where labelBits[sample * wordCount + word] & ~classSetBits[client * wordCount + word] != 0 {
            return false
        }
        return true
    }

    /// How many of `sample`'s labels fall outside client `client`'s class set.
    func labelsOutside(sample: Int, of client: Int) -> Int {
        var count = 0
        for word in 0..<wordCount {
            count += (labelBits[sample * wordCount + word] & ~classSetBits[client * wordCount + word]).nonzeroBitCount
        }
        return count
    }
}
