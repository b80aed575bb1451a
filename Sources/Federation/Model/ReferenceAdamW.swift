import Foundation
import NeuralNet

/// AdamW with decoupled weight decay in PyTorch's update order, over the trainable entries of a flat set:
///
///     p *= 1 - lr * wd            (only entries of rank >= 2: no decay on biases, norm weights, scales)
///     m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
///     p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
///
/// Defaults: the paper's lr 1e-4, betas (0.9, 0.98), eps 1e-8, weight decay 0.01. Used with models that do
/// not bring their own optimiser (`PooledLinearModel`).
public struct ReferenceAdamW: ParameterOptimizer {
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    public var weightDecay: Float
    private var firstMoment: [Float] = []
    private var secondMoment: [Float] = []
    private var stepCount = 0

    public init(learningRate: Float = 1e-4, beta1: Float = 0.9, beta2: Float = 0.98, epsilon: Float = 1e-8,
                weightDecay: Float = 0.01) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    public mutating func step(_ parameters: inout ParameterSet, gradients: ParameterSet) {
        precondition(parameters.hasSameLayout(as: gradients), "gradient layout differs from the parameters")
        if firstMoment.isEmpty {
            firstMoment = [Float](repeating: 0, count: parameters.count)
            secondMoment = firstMoment
        }
        stepCount += 1
        let correction1 = 1 - pow(beta1, Float(stepCount))
        let correction2Root = (1 - pow(beta2, Float(stepCount))).squareRoot()
        let stepSize = learningRate / correction1
        for entry in parameters.entries where entry.isTrainable {
            let decay: Float = entry.shape.count >= 2 ? 1 - learningRate * weightDecay : 1
            for index in entry.range {
                let gradient = gradients.values[index]
                parameters.values[index] *= decay
                firstMoment[index] = beta1 * firstMoment[index] + (1 - beta1) * gradient
                secondMoment[index] = beta2 * secondMoment[index] + (1 - beta2) * gradient * gradient
                let denominator = secondMoment[index].squareRoot() / correction2Root + epsilon
                parameters.values[index] -= stepSize * firstMoment[index] / denominator
            }
        }
    }
}
