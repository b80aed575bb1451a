import SeededRandom

/// Carves a validation split out of a VOC training list, reproducibly.
///
/// Rule: `v = round(fraction * n)` (half away from zero); the record indices `0..<n` are shuffled with
/// `Xoshiro256StarStar(seed: seed, stream: "voc/validation")`; the first `v` shuffled indices go to validation.
/// Both parts keep the list's order.
public enum VOCValidationSplit {
    /// Splits `records` into (training, validation). `fraction` must be in [0, 1).
    public static func carve<Record>(_ records: [Record], fraction: Double,
                                     seed: UInt64) -> (training: [Record], validation: [Record]) {
        precondition(fraction >= 0 && fraction < 1, "validation fraction must be in [0, 1)")
        let validationCount = Int((fraction * Double(records.count)).rounded())
        var generator = Xoshiro256StarStar(seed: seed, stream: "voc/validation")
        var order = Array(records.indices)
        generator.shuffle(&order)
        var isValidation = [Bool](repeating: false, count: records.count)
        for index in order.prefix(validationCount) { isValidation[index] = true }
        var training: [Record] = []
        var validation: [Record] = []
        for (index, record) in records.enumerated() {
            if isValidation[index] { validation.append(record) } else { training.append(record) }
        }
        return (training, validation)
    }
}
