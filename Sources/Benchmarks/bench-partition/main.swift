// bench-partition: times `Partitioner.partition` on a 112,120 x 14 ChestX-ray14-like label matrix (10 clients,
// alpha 0.5, rho 0.5), printing one line `partition_seconds <best of runs>` for tools/bench/partition.
// Usage: bench-partition [runs (default 5)]
import Foundation
import Partitioning

let runs = CommandLine.arguments.count > 1 ? max(1, Int(CommandLine.arguments[1]) ?? 5) : 5
let labels = ChestXray14LikeLabels.make(seed: 0)
let parameters = PartitionParameters(clients: 10, alpha: 0.5, rho: 0.5, seed: 0)
var best = Double.infinity
var plan: PartitionPlan?
for _ in 0..<runs {
    let start = DispatchTime.now().uptimeNanoseconds
    do {
        plan = try Partitioner.partition(labels, parameters: parameters)
    } catch {
        FileHandle.standardError.write(Data("bench-partition: \(error)\n".utf8))
        exit(1)
    }
    best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}
if let plan {
    let sizes = plan.clients.map { String($0.size) }.joined(separator: ",")
    print("labels \(labels.sampleCount)x\(labels.classCount) empty \(plan.clients.reduce(0) { $0 + $1.emptyLabelSamples })"
        + " kept \(plan.keptCount) dropped \(plan.dropped.total) attempt \(plan.attemptUsed) sizes \(sizes)")
}
print("partition_seconds \(best)")
