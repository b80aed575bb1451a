/// Why `--label-embeddings` could not be used. Every case names the file and how to make a good one.
public enum LabelEmbeddingsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `--method fedlgt` was given no `--label-embeddings FILE`.
    case notGiven
    /// The file is absent or not safetensors.
    case unreadable(path: String, reason: String)
    /// The file has no F32 `embeddings` tensor of shape `[K + 2, d]`.
    case wrongTensor(path: String, expected: [Int], found: String)
    /// The file's `classNames` metadata lists other classes than the dataset.
    case classMismatch(path: String, expected: [String], found: [String])

    static let howToMake = "make it with tools/make-label-embeddings --dataset-json <prepared dataset>/dataset.json "
        + "--output FILE (CLIP ViT-B/16 text features of \"The photo contains {class}.\", \"positive\" and "
        + "\"negative\"; needs the CLIP weights, see docs/trainer.md)"

    public var description: String {
        switch self {
        case .notGiven:
            "--method fedlgt needs --label-embeddings FILE, a safetensors file of frozen CLIP text features; "
                + Self.howToMake
        case let .unreadable(path, reason):
            "cannot read label embeddings \(path): \(reason); " + Self.howToMake
        case let .wrongTensor(path, expected, found):
            "\(path) must hold an F32 tensor \"embeddings\" of shape \(expected) (K class prompts, then "
                + "\"positive\" and \"negative\"), found \(found); " + Self.howToMake
        case let .classMismatch(path, expected, found):
            "\(path) was made for classes \(found), the dataset has \(expected); " + Self.howToMake
        }
    }
}
