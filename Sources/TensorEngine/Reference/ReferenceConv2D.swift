/// Direct-loop convolution used to check the fast kernels: same shapes and semantics as `conv2dForward`,
/// accumulated in Double, single-threaded, no im2col.
@_spi(CPUKernels) public func referenceConv2dForward(
    input: Tensor, weight: Tensor, bias: Tensor?, stride: Int, padding: Int
) -> Tensor {
    let (g, outChannels, batch) = conv2dShapes(input: input, weight: weight, stride: stride, padding: padding)
    var output = Tensor.zeros([batch, outChannels, g.outputHeight, g.outputWidth])
    for n in 0..<batch {
        for o in 0..<outChannels {
            for outY in 0..<g.outputHeight {
                for outX in 0..<g.outputWidth {
                    var sum = Double(bias?.storage[o] ?? 0)
                    for c in 0..<g.channels {
                        for ky in 0..<g.kernelHeight {
                            let y = outY * stride - padding + ky
                            if y < 0 || y >= g.height { continue }
                            for kx in 0..<g.kernelWidth {
                                let x = outX * stride - padding + kx
                                if x < 0 || x >= g.width { continue }
                                sum += Double(input[n, c, y, x]) * Double(weight[o, c, ky, kx])
                            }
                        }
                    }
                    output[n, o, outY, outX] = Float(sum)
                }
            }
        }
    }
    return output
}

/// Direct-loop backward of the reference convolution (scatter form), accumulated in Double.
@_spi(CPUKernels) public func referenceConv2dBackward(
    outputGradient: Tensor, input: Tensor, weight: Tensor, stride: Int, padding: Int
) -> Conv2DGradients {
    let (g, outChannels, batch) = conv2dShapes(input: input, weight: weight, stride: stride, padding: padding)
    var inputGradient = [Double](repeating: 0, count: input.count)
    var weightGradient = [Double](repeating: 0, count: weight.count)
    var biasGradient = [Double](repeating: 0, count: outChannels)
    for n in 0..<batch {
        for o in 0..<outChannels {
            for outY in 0..<g.outputHeight {
                for outX in 0..<g.outputWidth {
                    let gradient = Double(outputGradient[n, o, outY, outX])
                    biasGradient[o] += gradient
                    for c in 0..<g.channels {
                        for ky in 0..<g.kernelHeight {
                            let y = outY * stride - padding + ky
                            if y < 0 || y >= g.height { continue }
                            for kx in 0..<g.kernelWidth {
                                let x = outX * stride - padding + kx
                                if x < 0 || x >= g.width { continue }
                                inputGradient[input.offset(of: [n, c, y, x])] += gradient * Double(weight[o, c, ky, kx])
                                weightGradient[weight.offset(of: [o, c, ky, kx])] += gradient * Double(input[n, c, y, x])
                            }
                        }
                    }
                }
            }
        }
    }
    return Conv2DGradients(input: Tensor(shape: input.shape, storage: inputGradient.map { Float($0) }),
                           weight: Tensor(shape: weight.shape, storage: weightGradient.map { Float($0) }),
                           bias: Tensor(shape: [outChannels], storage: biasGradient.map { Float($0) }))
}
