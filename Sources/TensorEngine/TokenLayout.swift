/// Layout changes between feature maps `[B, C, H, W]` (NCHW) and token matrices `[B*H*W, C]` (token `t` of sample
/// `b` is row `b*H*W + t`, its channels along the row), as the attention heads read a ResNet feature map.

/// `[B, C, H, W] -> [B*H*W, C]`.
func tokensFromFeatureMap(_ map: Tensor) -> Tensor {
    precondition(map.rank == 4, "tokensFromFeatureMap: expected [B, C, H, W], got \(map.shape)")
    let (batch, channels, plane) = (map.shape[0], map.shape[1], map.shape[2] * map.shape[3])
    var tokens = Tensor(uninitializedShape: [batch * plane, channels])  // a permutation: every element written
    map.withUnsafePointer { source in
        tokens.withUnsafeMutablePointer { target in
            for sample in 0..<batch {
                for channel in 0..<channels {
                    for position in 0..<plane {
                        target[(sample * plane + position) * channels + channel]
                            = source[(sample * channels + channel) * plane + position]
                    }
                }
            }
        }
    }
    return tokens
}

/// `[B*H*W, C] -> [B, C, H, W]` (the inverse of `tokensFromFeatureMap`).
func featureMapFromTokens(_ tokens: Tensor, batch: Int, height: Int, width: Int) -> Tensor {
    let plane = height * width
    precondition(tokens.rank == 2 && tokens.shape[0] == batch * plane,
                 "featureMapFromTokens: \(tokens.shape) is not [\(batch) * \(height) * \(width), C]")
    let channels = tokens.shape[1]
    var map = Tensor(uninitializedShape: [batch, channels, height, width])  // a permutation: every element written
    tokens.withUnsafePointer { source in
        map.withUnsafeMutablePointer { target in
            for sample in 0..<batch {
                for channel in 0..<channels {
                    for position in 0..<plane {
                        target[(sample * channels + channel) * plane + position]
                            = source[(sample * plane + position) * channels + channel]
                    }
                }
            }
        }
    }
    return map
}
