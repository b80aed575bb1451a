import Foundation
import Imaging
import SeededRandom

/// Writes a small NIH ChestX-ray14-format dataset: `Data_Entry_2017_v2020.csv` with the real header (its
/// bracketed column names unquoted), `train_val_list.txt` (with a final newline), `test_list.txt` (without one),
/// and PNGs split over `images_001/images/` and `images_002/images/`.
///
/// Patients get 1 to 4 images (`PPPPPPPP_FFF.png`); about a third of the images are `No Finding`, the others
/// have 1 to 3 findings, each drawn as its own pattern (shape `c % 7`, bright for the first seven classes, dark
/// for the rest) inside a bright disc. PNG kinds: 8-bit gray, RGBA (every 9th from index 4; alpha varies and must
/// be ignored) and 16-bit gray (every 13th from index 7; the high byte carries the picture). The lists are
/// patient-disjoint, the test list holding about the official 22.8% of the images.
public enum ChestXray14SampleGenerator {
    /// The 14 classes in label order (must equal data-manifests' chestxray14 list; a test checks).
    public static let classNames = ["Atelectasis", "Cardiomegaly", "Consolidation", "Edema", "Effusion",
                                    "Emphysema", "Fibrosis", "Hernia", "Infiltration", "Mass", "Nodule",
                                    "Pleural_Thickening", "Pneumonia", "Pneumothorax"]

    /// The real file's header line.
    public static let header = "Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,Patient Gender,"
        + "View Position,OriginalImage[Width,Height],OriginalImagePixelSpacing[x,y]"

    /// Writes the dataset to `<folder>/ChestXray14` and returns that path.
    /// - Throws: `VOCSampleWriteError` when the destination exists or a file cannot be written.
    @discardableResult
    public static func write(to folder: URL, options: ChestXray14SampleOptions = ChestXray14SampleOptions())
        throws(VOCSampleWriteError) -> URL {
        let output = try VOCSampleFolder(destination: folder.appendingPathComponent("ChestXray14"))
        do {
            try fill(output, options: options)
            try output.commit()
        } catch {
            output.discard()
            throw error
        }
        return output.destination
    }

    private static func fill(_ output: VOCSampleFolder, options: ChestXray14SampleOptions)
        throws(VOCSampleWriteError) {
        var random = Xoshiro256StarStar(seed: options.seed, stream: "samples/chestxray14/patients")
        var names: [String] = []
        var patientOf: [Int] = []
        var patient = 1
        while names.count < options.imageCount {
            let images = min(1 + random.uniformInt(4), options.imageCount - names.count)
            for followUp in 0..<images {
                names.append(String(format: "%08d_%03d.png", patient, followUp))
                patientOf.append(patient)
            }
            patient += 1
        }
        let allNames = names
        try output.makeFolders(["images_001/images", "images_002/images"])
        let findingsByImage = try VOCSampleParallel.map(count: names.count) { (index) throws(VOCSampleWriteError) in
            let sample = ChestXray14SampleImage(index: index, size: options.size, classCount: classNames.count,
                                                seed: options.seed)
            let png: [UInt8]
            do throws(ImageCodecError) {
                png = try sample.pngBytes(compressionLevel: options.compressionLevel, seed: options.seed, index: index)
            } catch {
                throw .cannotEncode(file: allNames[index], reason: error.description)
            }
            let folder = index < allNames.count / 2 ? "images_001/images" : "images_002/images"
            try output.write(png, to: "\(folder)/\(allNames[index])")
            return sample.findings
        }
        var rows = [header]
        for (index, name) in names.enumerated() {
            let findings = findingsByImage[index].isEmpty ? "No Finding"
                : findingsByImage[index].map { classNames[$0] }.joined(separator: "|")
            let followUp = Int(name.dropFirst(9).prefix(3)) ?? 0
            let view = index % 3 == 0 ? "AP" : "PA"
            rows.append("\(name),\(findings),\(followUp),\(patientOf[index]),\(30 + patientOf[index] % 50),"
                        + "\(patientOf[index] % 2 == 0 ? "F" : "M"),\(view),\(options.size),\(options.size),0.143,0.143")
        }
        try output.write(text: rows.joined(separator: "\n") + "\n", to: "Data_Entry_2017_v2020.csv")

        var patients = Array(Set(patientOf)).sorted()
        var splitter = Xoshiro256StarStar(seed: options.seed, stream: "samples/chestxray14/lists")
        splitter.shuffle(&patients)
        let testTarget = Int((Double(names.count) * 25_596.0 / 112_120.0).rounded())
        var imagesOfPatient: [Int: Int] = [:]
        for owner in patientOf { imagesOfPatient[owner, default: 0] += 1 }
        var testPatients: Set<Int> = []
        var testCount = 0
        for candidate in patients where testCount < testTarget {
            testPatients.insert(candidate)
            testCount += imagesOfPatient[candidate, default: 0]
        }
        let test = names.indices.filter { testPatients.contains(patientOf[$0]) }.map { names[$0] }
        let trainValidation = names.indices.filter { !testPatients.contains(patientOf[$0]) }.map { names[$0] }
        try output.write(text: trainValidation.map { $0 + "\n" }.joined(), to: "train_val_list.txt")
        try output.write(text: test.joined(separator: "\n"), to: "test_list.txt")
    }
}
