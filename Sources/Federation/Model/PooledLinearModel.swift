import Foundation
import NeuralNet
import SeededRandom

/// A small, real multi-label model for quick runs (`--model linear`) and the algorithm tests: multi-label
/// logistic regression on average-pooled pixels.
///
/// - Features: the image (gray repeated to RGB, pixels / 255) average-pooled to a `grid x grid` raster per channel,
///   `d = 3 * grid * grid`, ordered channel, row, column.
/// - Centering (a batch-norm without scale): train mode subtracts the batch mean and moves the buffer
///   `norm.running_mean` (`d`) by momentum 0.1; eval mode subtracts the buffer.
/// - Classifier: `z = W (f - mean) + b`, `classifier.weight` `K x d` (init N(0, 0.01^2)), `classifier.bias` `K`.
/// - Loss: binary cross-entropy with logits, summed over classes, mean over the batch.
public struct PooledLinearModel: FederatedModel {
    public let classCount: Int
    public let grid: Int
    public var state: ParameterSet

    /// Batch-norm style momentum of the running mean.
    public static let momentum: Float = 0.1

    public init(classCount: Int, grid: Int = 4, seed: UInt64) {
        precondition(classCount > 0 && grid > 0, "need classes and a grid")
        self.classCount = classCount
        self.grid = grid
        let dimension = 3 * grid * grid
        var state = ParameterSet(layout: [
            (name: "norm.running_mean", shape: [dimension], isTrainable: false),
            (name: "classifier.weight", shape: [classCount, dimension], isTrainable: true),
            (name: "classifier.bias", shape: [classCount], isTrainable: true),
        ])
        var generator = Xoshiro256StarStar(seed: seed, stream: "linear-model/init")
        state.setValues(of: "classifier.weight",
                        to: (0..<(classCount * dimension)).map { _ in Float(generator.normal() * 0.01) })
        self.state = state
    }

    public var featureDimension: Int { 3 * grid * grid }

    public mutating func lossAndGradients(images: ImageBatch, labels: [Float]) -> (loss: Float, gradients: ParameterSet) {
        precondition(labels.count == images.count * classCount, "labels must be batch x classes")
        let dimension = featureDimension
        var features = rawFeatures(images)
        var batchMean = [Float](repeating: 0, count: dimension)
        for sample in 0..<images.count {
            for feature in 0..<dimension { batchMean[feature] += features[sample * dimension + feature] }
        }
        for feature in 0..<dimension { batchMean[feature] /= Float(images.count) }
        for sample in 0..<images.count {
            for feature in 0..<dimension { features[sample * dimension + feature] -= batchMean[feature] }
        }
        var runningMean = state.values(of: "norm.running_mean")
        for feature in 0..<dimension {
            runningMean[feature] = (1 - Self.momentum) * runningMean[feature] + Self.momentum * batchMean[feature]
        }
        state.setValues(of: "norm.running_mean", to: runningMean)

        let logits = classify(features, count: images.count)
        var weightGradient = [Float](repeating: 0, count: classCount * dimension)
        var biasGradient = [Float](repeating: 0, count: classCount)
        var totalLoss = 0.0
        let scale = 1 / Float(images.count)
        for sample in 0..<images.count {
            for classIndex in 0..<classCount {
                let z = logits[sample * classCount + classIndex]
                let y = labels[sample * classCount + classIndex]
                // Stable BCE with logits: max(z, 0) - z y + log(1 + exp(-|z|)).
                totalLoss += Double(max(z, 0) - z * y + log1p(exp(-abs(z))))
                let delta = (1 / (1 + exp(-z)) - y) * scale
                biasGradient[classIndex] += delta
                for feature in 0..<dimension {
                    weightGradient[classIndex * dimension + feature] += delta * features[sample * dimension + feature]
                }
            }
        }
        var gradients = ParameterSet.zeros(like: state)
        gradients.setValues(of: "classifier.weight", to: weightGradient)
        gradients.setValues(of: "classifier.bias", to: biasGradient)
        return (Float(totalLoss / Double(images.count)), gradients)
    }

    public func predict(images: ImageBatch) -> [Float] {
        classify(pooledFeatures(images: images), count: images.count).map { 1 / (1 + exp(-$0)) }
    }

    public func pooledFeatures(images: ImageBatch) -> [Float] {
        var features = rawFeatures(images)
        let runningMean = state.values(of: "norm.running_mean")
        let dimension = featureDimension
        for sample in 0..<images.count {
            for feature in 0..<dimension { features[sample * dimension + feature] -= runningMean[feature] }
        }
        return features
    }

    /// `W f + b` for `count` feature rows.
    private func classify(_ features: [Float], count: Int) -> [Float] {
        let weight = state.values(of: "classifier.weight"), bias = state.values(of: "classifier.bias")
        let dimension = featureDimension
        var logits = [Float](repeating: 0, count: count * classCount)
        for sample in 0..<count {
            for classIndex in 0..<classCount {
                var sum = bias[classIndex]
                for feature in 0..<dimension {
                    sum += weight[classIndex * dimension + feature] * features[sample * dimension + feature]
                }
                logits[sample * classCount + classIndex] = sum
            }
        }
        return logits
    }

    /// Grid-pooled pixels in [0, 1], `count x d`; gray images fill all three channels.
    private func rawFeatures(_ images: ImageBatch) -> [Float] {
        let dimension = featureDimension
        var features = [Float](repeating: 0, count: images.count * dimension)
        var cellSizes = [Float](repeating: 0, count: grid * grid)
        for y in 0..<images.height {
            for x in 0..<images.width { cellSizes[(y * grid / images.height) * grid + x * grid / images.width] += 1 }
        }
        images.pixels.withUnsafeBufferPointer { pixels in
            for sample in 0..<images.count {
                for y in 0..<images.height {
                    let cellRow = y * grid / images.height
                    for x in 0..<images.width {
                        let cell = cellRow * grid + x * grid / images.width
                        let base = ((sample * images.height + y) * images.width + x) * images.channels
                        for channel in 0..<3 {
                            let value = Float(pixels[base + (images.channels == 1 ? 0 : channel)])
                            features[sample * dimension + channel * grid * grid + cell] += value
                        }
                    }
                }
            }
        }
        for sample in 0..<images.count {
            for channel in 0..<3 {
                for cell in 0..<(grid * grid) {
                    features[sample * dimension + channel * grid * grid + cell] /= 255 * max(cellSizes[cell], 1)
                }
            }
        }
        return features
    }
}
