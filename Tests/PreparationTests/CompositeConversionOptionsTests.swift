import CompositeCommandOptions
import DataManifests
import Preparation
import Testing

@Suite("Composite command-line options (fednc-cifar10, fednc-medmnist)")
struct CompositeConversionOptionsTests {
    @Test("values given win; the rest come from the manifest, then the fallbacks")
    func resolution() throws {
        let given = try CompositeConversionOptions.parse(["--pairs-per-combination", "5,2,2", "--seed", "9", "--workers", "2"])
        let cifar = try DatasetManifest.named("cifar10")
        let resolved = given.resolved(defaultMode: .pairwise, manifest: cifar, fallbackSingles: [.all, .all, .all],
                                      fallbackPairs: [1, 1, 1])
        #expect(resolved == CompositeOptions(mode: .pairwise, singlesPerClass: [.count(3100), .count(800), .count(800)],
                                             pairsPerCombination: [5, 2, 2], seed: 9))
        #expect(given.workers == 2)
        let bare = try CompositeConversionOptions.parse(["--composite", "none", "--singles-per-class", "all"])
        #expect(bare.resolved(defaultMode: .pairwise, manifest: nil, fallbackSingles: [.count(1), .count(1), .count(1)],
                              fallbackPairs: [7, 7, 7])
            == CompositeOptions(mode: .none, singlesPerClass: [.all, .all, .all], pairsPerCombination: [7, 7, 7], seed: 0))
    }

    @Test("bad values are refused with the flag named", arguments: [
        (["--composite", "quad"], "--composite"),
        (["--singles-per-class", "3,4"], "--singles-per-class"),
        (["--pairs-per-combination", "-1"], "--pairs-per-combination"),
        (["--workers", "0"], "--workers"),
    ])
    func refused(arguments: [String], flag: String) {
        #expect {
            try CompositeConversionOptions.parse(arguments)
        } throws: { error in
            CompositeConversionOptions.message(for: error).contains(flag)
        }
    }
}
