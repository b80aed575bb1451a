import Foundation
import Safetensors

extension MultiLabelClassifier {
    /// Loads a torchvision/timm `resnet18` state dict into the backbone (see `ParameterSet.loadingPretrained`).
    public func loadPretrained(from url: URL) throws {
        state = try state.loadingPretrained(from: url)
    }
}

extension LabelTransformerClassifier {
    /// Loads a torchvision/timm `resnet18` state dict into the backbone (see `ParameterSet.loadingPretrained`).
    package func loadPretrained(from url: URL) throws {
        state = try state.loadingPretrained(from: url)
    }
}

extension ParameterSet {
    /// This state with its backbone entries read from a torchvision/timm `resnet18` state dict saved as
    /// safetensors (by `safetensors.torch.save_file` or `tools/convert-torchvision-resnet18`).
    ///
    /// Every backbone tensor must be present (float32) with the model's shape; `num_batches_tracked` is optional
    /// (int64 or float32) and kept at its current value when absent; `fc.*` is ignored; head entries are left
    /// untouched. Any other tensor is an error. Every problem is found before anything is reported: one problem
    /// throws its own case, several throw `.severalProblems` listing each.
    public func loadingPretrained(from url: URL) throws -> ParameterSet {
        let file: SafetensorsFile
        do {
            file = try SafetensorsFile(contentsOf: url)
        } catch {
            throw PretrainedWeightsError.unreadable(path: url.path, reason: error.description)
        }
        let path = url.path
        var loaded = self
        var problems = [PretrainedWeightsError]()
        for entry in entries where !entry.name.hasPrefix("head.") {
            do {
                if let values = try pretrainedValues(for: entry, in: file, path: path) {
                    loaded.setValues(of: entry.name, to: values)
                }
            } catch let problem as PretrainedWeightsError {
                problems.append(problem)
            }
        }
        let unexpected = file.tensorNames.filter { !$0.hasPrefix("fc.") && entry(named: $0) == nil }
        if !unexpected.isEmpty { problems.append(.unexpectedTensors(path: path, tensors: unexpected)) }
        if problems.count == 1, let problem = problems.first { throw problem }
        guard problems.isEmpty else { throw PretrainedWeightsError.severalProblems(path: path, problems: problems) }
        return loaded
    }

    /// The file's values for one backbone entry, or nil for an absent (optional) `num_batches_tracked`.
    private func pretrainedValues(for entry: Entry, in file: SafetensorsFile,
                                  path: String) throws -> [Float]? {
        let isCounter = entry.name.hasSuffix(".num_batches_tracked")
        guard file.contains(entry.name) else {
            if isCounter { return nil }
            throw PretrainedWeightsError.missingTensor(path: path, tensor: entry.name)
        }
        let info: TensorInfo
        do {
            info = try file.info(entry.name)
        } catch {
            throw PretrainedWeightsError.unreadable(path: path, reason: error.description)
        }
        guard info.dtype == .float32 || (isCounter && info.dtype == .int64) else {
            throw PretrainedWeightsError.unsupportedDType(path: path, tensor: entry.name, dtype: info.dtype.rawValue)
        }
        guard info.shape == entry.shape || (isCounter && info.shape.reduce(1, *) == 1) else {
            throw PretrainedWeightsError.shapeMismatch(path: path, tensor: entry.name, expected: entry.shape,
                                                       found: info.shape)
        }
        do {
            if info.dtype == .int64 { return try file.array(of: Int64.self, entry.name).map { Float($0) } }
            return try file.array(of: Float.self, entry.name)
        } catch {
            throw PretrainedWeightsError.unreadable(path: path, reason: error.description)
        }
    }
}
