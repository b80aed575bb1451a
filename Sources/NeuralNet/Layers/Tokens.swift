/// Layout conversions between feature maps and token matrices.
enum Tokens {
    /// `[B, d, h, w] -> [B*h*w, d]` (token t of sample b is row `b*h*w + t`).
    static func fromFeatureMap(_ map: FeatureMap) -> [Float] {
        var tokens = [Float](repeating: 0, count: map.values.count)
        let (plane, channels) = (map.spatial, map.channels)
        for sample in 0..<map.batch {
            for channel in 0..<channels {
                for position in 0..<plane {
                    tokens[(sample * plane + position) * channels + channel]
                        = map.values[(sample * channels + channel) * plane + position]
                }
            }
        }
        return tokens
    }

    /// The inverse layout change.
    static func toFeatureMap(_ tokens: [Float], batch: Int, channels: Int, height: Int, width: Int) -> FeatureMap {
        var map = FeatureMap(batch: batch, channels: channels, height: height, width: width)
        let plane = height * width
        for sample in 0..<batch {
            for channel in 0..<channels {
                for position in 0..<plane {
                    map.values[(sample * channels + channel) * plane + position]
                        = tokens[(sample * plane + position) * channels + channel]
                }
            }
        }
        return map
    }
}
