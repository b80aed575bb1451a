import SeededRandom

/// FedLGT's label-mask training states for one image (`get_unk_mask_indices` of C-Tran, plus FedLGT's global
/// guidance): draw how many labels to reveal, uniformly from `0...Int(0.75 K)`, then which ones, uniformly; a label
/// whose global-model probability lies in `uncertainBand` (0.48...0.52, the authors' values) is never revealed.
/// Revealed labels take their true state (positive / negative); the rest are `.unknown`.
package enum LabelMaskSampler {
    /// The authors' band of "uncertain" global predictions.
    package static let uncertainBand: ClosedRange<Float> = 0.48...0.52

    /// States for one image: `labels` 0/1 `[K]`, `globalProbabilities` the global model's sigmoid scores `[K]` with
    /// every label unknown (nil: no guidance).
    package static func states(labels: [Float], globalProbabilities: [Float]?, random: inout Xoshiro256StarStar,
                               revealFraction: Double = 0.75) -> [LabelState] {
        let k = labels.count
        let revealCount = random.uniformInt(Int(Double(k) * revealFraction) + 1)
        var order = Array(0..<k)
        random.shuffle(&order)
        var states = [LabelState](repeating: .unknown, count: k)
        for label in order.prefix(revealCount) {
            if let globalProbabilities, uncertainBand.contains(globalProbabilities[label]) { continue }
            states[label] = labels[label] > 0.5 ? .positive : .negative
        }
        return states
    }
}
