import SeededRandom
import TensorEngine

/// Where inverted-dropout masks come from (`torch.nn.Dropout` in train mode): each element is kept with probability
/// `1 - p` and scaled by `1 / (1 - p)`, else zeroed. A mask is a `[Float]` of 0 and `1 / (1 - p)`, one per element.
/// `nil` means no dropout (eval mode, or p = 0). Layers ask for masks in a fixed order, so a seeded source gives
/// the same masks for the same seed.
package protocol DropoutMasks: AnyObject {
    /// A mask for `count` elements, or nil to apply none.
    func mask(count: Int) -> [Float]?
}

/// Masks drawn from `Xoshiro256StarStar` (element dropped when `uniform() < p`); deterministic for a seed.
package final class SeededDropoutMasks: DropoutMasks {
    /// The drop probability p in [0, 1).
    package let probability: Double
    private var random: Xoshiro256StarStar

    package init(probability: Double, random: Xoshiro256StarStar) {
        precondition(probability >= 0 && probability < 1, "dropout probability must be in [0, 1), got \(probability)")
        self.probability = probability
        self.random = random
    }

    package func mask(count: Int) -> [Float]? {
        guard probability > 0 else { return nil }
        let keep = Float(1 / (1 - probability))
        return (0..<count).map { _ in random.uniform() < probability ? 0 : keep }
    }
}

/// Masks given in advance and handed out in order (for checking layers against PyTorch with the same masks).
package final class RecordedDropoutMasks: DropoutMasks {
    private var masks: [[Float]]

    package init(_ masks: [[Float]]) { self.masks = masks }

    /// How many masks are still unused.
    package var remaining: Int { masks.count }

    package func mask(count: Int) -> [Float]? {
        precondition(!masks.isEmpty, "RecordedDropoutMasks: more masks asked for than recorded")
        let next = masks.removeFirst()
        precondition(next.count == count, "RecordedDropoutMasks: mask of \(next.count) elements, layer needs \(count)")
        return next
    }
}

/// Applying a mask: `x * mask`, elementwise on the backend (forward and backward are the same product). The mask
/// is drawn on the host (seeded) and handed to the backend as a tensor.
enum Dropout {
    static func apply(_ mask: [Float]?, to x: Tensor, _ backend: any EngineBackend) -> Tensor {
        guard let mask else { return x }
        precondition(mask.count == x.count, "Dropout: mask of \(mask.count) elements for \(x.count)")
        return backend.multiply(x, backend.tensor(shape: x.shape, values: mask))
    }

    /// The same on a flat `[Float]` (the transformer layers' row-major matrices).
    static func apply(_ mask: [Float]?, to x: [Float], _ backend: any EngineBackend) -> [Float] {
        guard mask != nil else { return x }
        return backend.download(apply(mask, to: backend.tensor(shape: [x.count], values: x), backend))
    }
}
