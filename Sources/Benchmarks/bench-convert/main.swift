// bench-convert: the CIFAR-10 composite conversion in-process, timed by phase (read the raw batches, plan the
// composites, run the pipeline), for tools/bench/convert. Usage: bench-convert RAW OUT [WORKERS]
import Foundation
import Preparation
import RawDatasets

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: bench-convert RAW OUT [WORKERS]\n".utf8))
    exit(2)
}
let workers = arguments.count > 3 ? Int(arguments[3]) ?? 1 : 1
let clock = ContinuousClock()
func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}
do {
    var start = clock.now
    let archive = try CIFAR10Archive(path: arguments[1], allowShortBatches: true)
    let readSeconds = seconds(clock.now - start)
    start = clock.now
    let composite = CompositeOptions(mode: .pairwise, singlesPerClass: CIFAR10Conversion.defaultSinglesPerClass,
                                     pairsPerCombination: CIFAR10Conversion.defaultPairsPerCombination, seed: 0)
    let (request, _) = try CIFAR10Conversion.makeRequest(archive: archive, composite: composite,
                                                         output: URL(fileURLWithPath: arguments[2]), workers: workers,
                                                         tool: "bench-convert", toolVersion: fedncToolVersion)
    let planSeconds = seconds(clock.now - start)
    start = clock.now
    let summary = try PreparationPipeline.run(request)
    let runSeconds = seconds(clock.now - start)
    print(String(format: "read %.3f s, plan %.3f s, pipeline %.3f s (%d images, %.0f images/s)", readSeconds, planSeconds,
                 runSeconds, summary.recordCount, Double(summary.recordCount) / runSeconds))
} catch {
    FileHandle.standardError.write(Data("bench-convert: \(error)\n".utf8))
    exit(1)
}
