/// The label-token ops of a label transformer (C-Tran): per sample, `imageRows` image tokens followed by one token per
/// class; all matrices row-major, `d` columns. Sequential loops, sums in sample order, so results are reproducible.

/// `[B*(P+K), d]`: per sample `b`, the image rows `image[b*P ..< (b+1)*P]` (`image` `[B*P, d]`), then for each class
/// `k` the row `labelEmbedding[k] + stateEmbedding[stateRows[b*K + k]]` (`labelEmbedding` `[K, d]`,
/// `stateEmbedding` `[S, d]`, `stateRows` `B*K` indices into it).
func labelTokenSequence(image: Tensor, labelEmbedding: Tensor, stateEmbedding: Tensor, stateRows: [Int],
                        batch: Int) -> Tensor {
    precondition(labelEmbedding.rank == 2 && stateEmbedding.rank == 2 && image.rank == 2
                 && image.shape[1] == labelEmbedding.shape[1] && stateEmbedding.shape[1] == labelEmbedding.shape[1],
                 "labelTokenSequence: image \(image.shape), label \(labelEmbedding.shape), "
                 + "state \(stateEmbedding.shape)")
    let (classes, d) = (labelEmbedding.shape[0], labelEmbedding.shape[1])
    precondition(batch > 0 && image.shape[0] % batch == 0 && stateRows.count == batch * classes,
                 "labelTokenSequence: \(image.shape[0]) image rows, \(stateRows.count) states for batch \(batch)")
    precondition(stateRows.allSatisfy { $0 >= 0 && $0 < stateEmbedding.shape[0] },
                 "labelTokenSequence: a state row outside 0..<\(stateEmbedding.shape[0])")
    let plane = image.shape[0] / batch
    let tokenCount = plane + classes
    var sequence = Tensor(uninitializedShape: [batch * tokenCount, d])  // every row written below
    image.withUnsafePointer { imageRows in
        labelEmbedding.withUnsafePointer { labels in
            stateEmbedding.withUnsafePointer { states in
                sequence.withUnsafeMutablePointer { target in
                    for sample in 0..<batch {
                        (target + sample * tokenCount * d).update(from: imageRows + sample * plane * d,
                                                                  count: plane * d)
                        for label in 0..<classes {
                            let row = target + (sample * tokenCount + plane + label) * d
                            let (labelRow, stateRow) = (labels + label * d,
                                                        states + stateRows[sample * classes + label] * d)
                            for column in 0..<d { row[column] = labelRow[column] + stateRow[column] }
                        }
                    }
                }
            }
        }
    }
    return sequence
}

/// `[B, K]`: `bias[k] + sum_c weight[k, c] * tokens[b*T + firstLabelRow + k, c]` (the sum starts from the bias and
/// adds the columns in order); `tokens` `[B*T, d]`, `weight` `[K, d]`, `bias` `[K]`.
func labelReadoutForward(tokens: Tensor, weight: Tensor, bias: Tensor, batch: Int, firstLabelRow: Int) -> Tensor {
    let (classes, d) = (weight.shape[0], weight.shape[1])
    precondition(weight.rank == 2 && bias.count == classes && tokens.rank == 2 && tokens.shape[1] == d
                 && batch > 0 && tokens.shape[0] % batch == 0 && firstLabelRow + classes <= tokens.shape[0] / batch,
                 "labelReadout: tokens \(tokens.shape), weight \(weight.shape), bias \(bias.shape), batch \(batch)")
    let tokenCount = tokens.shape[0] / batch
    var logits = Tensor(uninitializedShape: [batch, classes])  // every element written below
    tokens.withUnsafePointer { x in
        weight.withUnsafePointer { w in
            bias.withUnsafePointer { b in
                logits.withUnsafeMutablePointer { target in
                    for sample in 0..<batch {
                        for label in 0..<classes {
                            let row = (sample * tokenCount + firstLabelRow + label) * d
                            var sum = b[label]
                            for column in 0..<d { sum += w[label * d + column] * x[row + column] }
                            target[sample * classes + label] = sum
                        }
                    }
                }
            }
        }
    }
    return logits
}

/// The gradients of `labelReadoutForward` from `outputGradient` `[B, K]`: `bias[k] = sum_b g[b, k]`,
/// `weight[k, c] = sum_b g[b, k] * tokens[row, c]` (samples added in order from 0), and the tokens' gradient
/// `[B*T, d]`, `g[b, k] * weight[k]` on the label rows and 0 elsewhere.
func labelReadoutBackward(outputGradient: Tensor, tokens: Tensor, weight: Tensor, firstLabelRow: Int)
    -> LinearGradients {
    let (classes, d) = (weight.shape[0], weight.shape[1])
    precondition(outputGradient.rank == 2 && outputGradient.shape[1] == classes && tokens.shape[1] == d,
                 "labelReadoutBackward: gradient \(outputGradient.shape), tokens \(tokens.shape), "
                 + "weight \(weight.shape)")
    let batch = outputGradient.shape[0]
    let tokenCount = tokens.shape[0] / batch
    var input = Tensor.zeros(tokens.shape)
    var weightGradient = Tensor.zeros(weight.shape)
    var biasGradient = Tensor.zeros([classes])
    outputGradient.withUnsafePointer { g in
        tokens.withUnsafePointer { x in
            weight.withUnsafePointer { w in
                input.withUnsafeMutablePointer { dx in
                    weightGradient.withUnsafeMutablePointer { dw in
                        biasGradient.withUnsafeMutablePointer { db in
                            for sample in 0..<batch {
                                for label in 0..<classes {
                                    let gradient = g[sample * classes + label]
                                    let row = (sample * tokenCount + firstLabelRow + label) * d
                                    db[label] += gradient
                                    for column in 0..<d {
                                        dw[label * d + column] += gradient * x[row + column]
                                        dx[row + column] = gradient * w[label * d + column]
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    return LinearGradients(input: input, weight: weightGradient, bias: biasGradient)
}
