/// Scores a model on a labelled split in batches (eval mode) and computes the metrics.
public enum Evaluation {
    /// Per-class scores, `data.count x K`: the model's probabilities, or SphereFed's calibrated scores when a
    /// `calibratedHead` is given.
    public static func scores(model: some FederatedModel, data: LabeledImages, batchSize: Int,
                              calibratedHead: CalibratedLinearHead? = nil) -> [Float] {
        var scores = [Float]()
        scores.reserveCapacity(data.count * data.classCount)
        var start = 0
        while start < data.count {
            let indices = start..<min(start + batchSize, data.count)
            let images = data.batch(indices).images
            if let calibratedHead {
                scores.append(contentsOf: calibratedHead.scores(pooledFeatures: model.pooledFeatures(images: images)))
            } else {
                scores.append(contentsOf: model.predict(images: images))
            }
            start = indices.upperBound
        }
        return scores
    }

    /// The metrics of `model` on `data`.
    public static func metrics(model: some FederatedModel, data: LabeledImages, batchSize: Int,
                               calibratedHead: CalibratedLinearHead? = nil) -> MultiLabelMetrics {
        MultiLabelMetrics(scores: scores(model: model, data: data, batchSize: batchSize,
                                         calibratedHead: calibratedHead),
                          labels: data.floatLabels, classCount: data.classCount)
    }
}
