import SeededRandom

/// A classification head on the layer4 feature map `[B, d, h, w]`.
protocol ClassifierHead: AnyObject {
    func initialize(_ values: UnsafeMutablePointer<Float>, random: inout Xoshiro256StarStar)
    /// Scores and features; caches what `backward` needs when `training`.
    func forward(_ featureMap: FeatureMap, _ state: StateAccess, training: Bool) -> HeadScores
    /// Accumulates the head's parameter gradients and returns the feature-map gradient. `prototypeGradient`
    /// `[K, d]`: the loss's gradient w.r.t. `HeadScores.prototypes` (nil unless `prototypesAreTrainable`).
    func backward(scoreGradient: [Float], featureGradient: [Float]?, prototypeGradient: [Float]?,
                  _ state: StateAccess) -> FeatureMap
}
