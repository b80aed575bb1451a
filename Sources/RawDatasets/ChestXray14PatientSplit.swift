import SeededRandom

/// Patient-wise, seeded carving of ChestX-ray14 records (no patient ends up on both sides).
///
/// Rule: target `t = round(fraction * n)` images (half away from zero). Patients are taken in order of first
/// appearance in `records`, shuffled with `Xoshiro256StarStar(seed: seed, stream: stream)`, and moved whole to
/// the carved part in shuffled order while the carved part holds fewer than `t` images. Both parts keep the
/// records' order.
public enum ChestXray14PatientSplit {
    /// Stream for carving validation out of the training list.
    public static let validationStream = "chestxray14/validation"
    /// Stream for the test split when the official lists are absent.
    public static let testStream = "chestxray14/test"
    /// The official test proportion: 25,596 of 112,120 images.
    public static let officialTestFraction = 25_596.0 / 112_120.0

    /// Splits `records` into (kept, carved). `fraction` must be in [0, 1).
    public static func carve(_ records: [ChestXray14Record], fraction: Double, seed: UInt64,
                             stream: String) -> (kept: [ChestXray14Record], carved: [ChestXray14Record]) {
        precondition(fraction >= 0 && fraction < 1, "carved fraction must be in [0, 1)")
        let target = Int((fraction * Double(records.count)).rounded())
        var patients: [Int] = []
        var imageCount: [Int: Int] = [:]
        for record in records {
            if imageCount[record.patientID] == nil { patients.append(record.patientID) }
            imageCount[record.patientID, default: 0] += 1
        }
        var generator = Xoshiro256StarStar(seed: seed, stream: stream)
        generator.shuffle(&patients)
        var carvedPatients: Set<Int> = []
        var carvedCount = 0
        for patient in patients where carvedCount < target {
            carvedPatients.insert(patient)
            carvedCount += imageCount[patient, default: 0]
        }
        var kept: [ChestXray14Record] = []
        var carved: [ChestXray14Record] = []
        for record in records {
            if carvedPatients.contains(record.patientID) { carved.append(record) } else { kept.append(record) }
        }
        return (kept, carved)
    }
}
