import Foundation
import Safetensors

extension MultiLabelClassifier {
    /// Loads a torchvision/timm `resnet18` state dict saved as safetensors into the backbone entries of `state`.
    ///
    /// Every backbone tensor must be present (float32) with the model's shape; `num_batches_tracked` is optional
    /// (int64 or float32) and kept at its current value when absent; `fc.*` is ignored; head entries are left
    /// untouched. Any other tensor is an error. Nothing changes unless the whole file loads.
    public func loadPretrained(from url: URL) throws {
        let file: SafetensorsFile
        do {
            file = try SafetensorsFile(contentsOf: url)
        } catch {
            throw PretrainedWeightsError.unreadable(path: url.path, reason: error.description)
        }
        let path = url.path
        var loaded = state
        var used = Set<String>()
        for entry in state.entries where !entry.name.hasPrefix("head.") {
            let isCounter = entry.name.hasSuffix(".num_batches_tracked")
            guard file.contains(entry.name) else {
                if isCounter { continue }
                throw PretrainedWeightsError.missingTensor(path: path, tensor: entry.name)
            }
            used.insert(entry.name)
            let info = try readInfo(file, entry.name, path: path)
            let expected = entry.shape
            let matches = info.shape == expected || (isCounter && info.shape.reduce(1, *) == 1)
            guard matches else {
                throw PretrainedWeightsError.shapeMismatch(path: path, tensor: entry.name, expected: expected,
                                                           found: info.shape)
            }
            let values: [Float]
            do {
                switch info.dtype {
                case .float32: values = try file.array(of: Float.self, entry.name)
                case .int64 where isCounter: values = try file.array(of: Int64.self, entry.name).map { Float($0) }
                default:
                    throw PretrainedWeightsError.unsupportedDType(path: path, tensor: entry.name,
                                                                  dtype: info.dtype.rawValue)
                }
            } catch let error as SafetensorsError {
                throw PretrainedWeightsError.unreadable(path: path, reason: error.description)
            }
            loaded.setValues(of: entry.name, to: values)
        }
        let unexpected = file.tensorNames.filter { !used.contains($0) && !$0.hasPrefix("fc.") && state.entry(named: $0) == nil }
        guard unexpected.isEmpty else { throw PretrainedWeightsError.unexpectedTensors(path: path, tensors: unexpected) }
        state = loaded
    }

    private func readInfo(_ file: SafetensorsFile, _ name: String, path: String) throws -> TensorInfo {
        do {
            return try file.info(name)
        } catch {
            throw PretrainedWeightsError.unreadable(path: path, reason: error.description)
        }
    }
}
