import Foundation

/// Loss value and its gradient with respect to the logits.
public struct BCEWithLogitsResult: Sendable {
    /// Sum over classes, mean over the batch.
    public var loss: Float
    /// `[B, K]`: `(sigmoid(z) - t) / B`.
    public var logitsGradient: Tensor
}

/// Binary cross-entropy with logits, summed over classes and averaged over the batch (trainer.md "Losses"):
/// `loss = (1 / B) * sum_{b,k} [max(z, 0) - z * t + log(1 + exp(-|z|))]`, stable for any |z|.
/// `logits` and `targets` are `[B, K]` (targets in [0, 1]). The gradient is returned with the loss.
func bceWithLogits(logits: Tensor, targets: Tensor) -> BCEWithLogitsResult {
    precondition(logits.rank == 2 && logits.shape == targets.shape,
                 "bceWithLogits: logits \(logits.shape) and targets \(targets.shape) must be the same [B, K]")
    let batch = logits.shape[0]
    precondition(batch > 0, "bceWithLogits: empty batch")
    var gradient = Tensor.zeros(logits.shape)
    let inverseBatch = 1 / Float(batch)
    var total = 0.0
    let count = logits.count
    logits.withUnsafePointer { z in
        targets.withUnsafePointer { t in
            gradient.withUnsafeMutablePointer { g in
                for index in 0..<count {
                    let value = z[index], target = t[index]
                    total += Double(max(value, 0) - value * target + log1pf(expf(-abs(value))))
                    g[index] = (stableSigmoid(value) - target) * inverseBatch
                }
            }
        }
    }
    return BCEWithLogitsResult(loss: Float(total / Double(batch)), logitsGradient: gradient)
}
