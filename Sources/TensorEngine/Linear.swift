/// Fully connected layer, PyTorch layout: `y = x W^T + b`. `input` is `[..., in]` (leading dimensions are rows),
/// `weight` `[out, in]`, optional `bias` `[out]`; the output is `[..., out]`.
func linearForward(input: Tensor, weight: Tensor, bias: Tensor? = nil) -> Tensor {
    let (rows, inFeatures, outFeatures) = linearShapes(input: input, weight: weight)
    var outputShape = input.shape
    outputShape[outputShape.count - 1] = outFeatures
    var output = Tensor.zeros(outputShape)
    if let bias {
        precondition(bias.shape == [outFeatures], "linear: bias \(bias.shape), expected [\(outFeatures)]")
        output.withUnsafeMutablePointer { y in
            bias.withUnsafePointer { b in
                for row in 0..<rows { (y + row * outFeatures).update(from: b, count: outFeatures) }
            }
        }
    }
    input.withUnsafePointer { x in
        weight.withUnsafePointer { w in
            output.withUnsafeMutablePointer { y in
                matmul(x, w, y, m: rows, n: outFeatures, k: inFeatures, transposeB: true,
                       beta: bias == nil ? 0 : 1, parallel: true)
            }
        }
    }
    return output
}

/// Gradients of a linear layer: input `[..., in]`, weight `[out, in]`, bias `[out]` (nil without a bias).
public struct LinearGradients: Sendable {
    public var input: Tensor
    public var weight: Tensor
    public var bias: Tensor?
}

/// Backward of `linearForward`: `dx = dy W`, `dW = dy^T x`, `db = sum over rows of dy`.
/// `outputGradient` is `[..., out]`.
func linearBackward(outputGradient: Tensor, input: Tensor, weight: Tensor, hasBias: Bool = true) -> LinearGradients {
    let (rows, inFeatures, outFeatures) = linearShapes(input: input, weight: weight)
    precondition(outputGradient.count == rows * outFeatures && outputGradient.shape.last == outFeatures,
                 "linear backward: gradient \(outputGradient.shape) for input \(input.shape) and weight \(weight.shape)")
    var inputGradient = Tensor.zeros(input.shape)
    var weightGradient = Tensor.zeros(weight.shape)
    var biasGradient = Tensor.zeros([outFeatures])
    input.withUnsafePointer { x in
        weight.withUnsafePointer { w in
            outputGradient.withUnsafePointer { dy in
                inputGradient.withUnsafeMutablePointer { dx in
                    matmul(dy, w, dx, m: rows, n: inFeatures, k: outFeatures, parallel: true)
                }
                weightGradient.withUnsafeMutablePointer { dw in
                    matmul(dy, x, dw, m: outFeatures, n: inFeatures, k: rows, transposeA: true, parallel: true)
                }
                if hasBias {
                    biasGradient.withUnsafeMutablePointer { db in
                        for row in 0..<rows {
                            let source = dy + row * outFeatures
                            for column in 0..<outFeatures { db[column] += source[column] }
                        }
                    }
                }
            }
        }
    }
    return LinearGradients(input: inputGradient, weight: weightGradient, bias: hasBias ? biasGradient : nil)
}

/// Checks shapes; returns (rows, in, out).
private func linearShapes(input: Tensor, weight: Tensor) -> (Int, Int, Int) {
    precondition(input.rank >= 1 && weight.rank == 2, "linear: input \(input.shape), weight \(weight.shape) must be [out, in]")
    let inFeatures = weight.shape[1]
    precondition(input.shape.last == inFeatures, "linear: input \(input.shape) last dimension must be \(inFeatures)")
    return (inFeatures == 0 ? 0 : input.count / inFeatures, inFeatures, weight.shape[0])
}
