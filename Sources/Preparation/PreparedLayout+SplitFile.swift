import Safetensors

extension PreparedLayout {
    /// The safetensors header of a split file of `count` records in this layout: `images` uint8
    /// [N, H, W, C], `labels` uint8 [N, K], `sources` int64 [N, 2] and, with a difficult mask, `difficult` uint8
    /// [N, K]; offsets in the layout's data order (sources, images, labels, difficult).
    func splitFileHeader(count: Int, metadata: [String: String]) -> SafetensorsHeader {
        var tensors: [(name: String, dtype: TensorDType, shape: [Int])] = [
            ("images", .uint8, [count, height, width, channels]),
            ("labels", .uint8, [count, classCount]),
            ("sources", .int64, [count, 2]),
        ]
        if hasDifficultMask { tensors.append(("difficult", .uint8, [count, classCount])) }
        return SafetensorsHeader.layout(metadata: metadata, tensors: tensors)
    }

    /// Positives per class (column sums) of a row-major N x K label matrix.
    func classCounts(of labels: [UInt8]) -> [Int] {
        var counts = Array(repeating: 0, count: classCount)
        for (index, value) in labels.enumerated() where value != 0 { counts[index % classCount] += 1 }
        return counts
    }
}
