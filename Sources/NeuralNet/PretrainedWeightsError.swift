import Safetensors

/// Why a pretrained `resnet18` state dict could not be loaded. Every case names the file and the fix.
public enum PretrainedWeightsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be read as safetensors.
    case unreadable(path: String, reason: String)
    /// A backbone tensor the model needs is absent.
    case missingTensor(path: String, tensor: String)
    /// A tensor exists with another shape (e.g. a width multiplier other than 1, or another architecture).
    case shapeMismatch(path: String, tensor: String, expected: [Int], found: [Int])
    /// A tensor is stored in a dtype the loader does not convert.
    case unsupportedDType(path: String, tensor: String, dtype: String)
    /// The file holds tensors that are neither backbone tensors nor `fc.*`.
    case unexpectedTensors(path: String, tensors: [String])
    /// More than one of the above, each listed (in the model's tensor order, unexpected tensors last).
    indirect case severalProblems(path: String, problems: [PretrainedWeightsError])

    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            "cannot read pretrained weights \(path): \(reason)"
        case let .missingTensor(path, tensor):
            "\(path) has no tensor \(tensor); pass a torchvision/timm resnet18 state dict saved with "
                + "safetensors.torch.save_file(model.state_dict(), ...)"
        case let .shapeMismatch(path, tensor, expected, found):
            "\(path): tensor \(tensor) has shape \(found), the model needs \(expected); pretrained weights need "
                + "--width 1 and the matching --stem (imagenet for torchvision weights)"
        case let .unsupportedDType(path, tensor, dtype):
            "\(path): tensor \(tensor) is stored as \(dtype); save it as float32 (I64 allowed for num_batches_tracked)"
        case let .unexpectedTensors(path, tensors):
            "\(path) holds tensors a resnet18 backbone does not have: \(tensors.joined(separator: ", ")); "
                + "is it a resnet18 state dict?"
        case let .severalProblems(path, problems):
            "\(path) has \(problems.count) problems; is it a resnet18 state dict (convert a torchvision/timm .pth "
                + "with tools/convert-torchvision-resnet18)?\n"
                + problems.map { "  - " + $0.description }.joined(separator: "\n")
        }
    }
}
