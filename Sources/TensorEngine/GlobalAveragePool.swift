/// Global average pooling: `[N, C, H, W]` -> `[N, C]`, the mean of each plane.
func globalAveragePoolForward(_ input: Tensor) -> Tensor {
    precondition(input.rank == 4, "globalAveragePool: input must be [N, C, H, W], got \(input.shape)")
    let planes = input.shape[0] * input.shape[1]
    let planeSize = input.shape[2] * input.shape[3]
    var output = Tensor.zeros([input.shape[0], input.shape[1]])
    let scale = 1 / Float(planeSize)
    input.withUnsafePointer { x in
        output.withUnsafeMutablePointer { y in
            for plane in 0..<planes { y[plane] = VectorKernels.sum(x + plane * planeSize, planeSize) * scale }
        }
    }
    return output
}

/// Backward of global average pooling: every pixel of plane `(n, c)` gets `dy[n, c] / (H * W)`.
/// `outputGradient` is `[N, C]`, `inputShape` the forward's `[N, C, H, W]`.
func globalAveragePoolBackward(outputGradient: Tensor, inputShape: [Int]) -> Tensor {
    precondition(inputShape.count == 4 && outputGradient.shape == [inputShape[0], inputShape[1]],
                 "globalAveragePool backward: gradient \(outputGradient.shape) vs input \(inputShape)")
    let planes = inputShape[0] * inputShape[1]
    let planeSize = inputShape[2] * inputShape[3]
    var inputGradient = Tensor(uninitializedShape: inputShape)  // every plane filled below
    let scale = 1 / Float(planeSize)
    outputGradient.withUnsafePointer { dy in
        inputGradient.withUnsafeMutablePointer { dx in
            for plane in 0..<planes { (dx + plane * planeSize).update(repeating: dy[plane] * scale, count: planeSize) }
        }
    }
    return inputGradient
}
