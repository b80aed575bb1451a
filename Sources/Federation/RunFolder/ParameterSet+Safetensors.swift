import Foundation
import NeuralNet
import Safetensors

extension ParameterSet {
    /// True for batch-norm step counters (`*.num_batches_tracked`), which PyTorch keeps as int64.
    static func isCounter(_ entry: Entry) -> Bool {
        !entry.isTrainable && entry.name.hasSuffix("num_batches_tracked")
    }

    /// Every entry as a tensor named `prefix + entry.name`, with the entry's shape: F32, except the batch-norm
    /// counters, which are I64 as PyTorch stores them (whole numbers: aggregation rounds them).
    func tensors(prefix: String = "") -> [String: TensorData] {
        var tensors = [String: TensorData]()
        for entry in entries {
            tensors[prefix + entry.name] = Self.isCounter(entry)
                ? TensorData(values[entry.range].map { Int64($0.rounded()) }, shape: entry.shape)
                : TensorData(Array(values[entry.range]), shape: entry.shape)
        }
        return tensors
    }

    /// The batch-norm counters rounded to whole numbers (after a weighted mean of several clients' counters).
    func roundingCounters() -> ParameterSet {
        var result = self
        for entry in entries where Self.isCounter(entry) {
            for index in entry.range { result.values[index] = result.values[index].rounded() }
        }
        return result
    }

    /// A set with `layout`'s entries, each read from tensor `prefix + entry.name` of `file` (F32, same shape;
    /// counters I64 or F32).
    static func load(from file: SafetensorsFile, layout: ParameterSet,
                     prefix: String = "") throws(CheckpointError) -> ParameterSet {
        var result = layout
        for entry in layout.entries {
            let name = prefix + entry.name
            do {
                let info = try file.info(name)
                guard info.shape == entry.shape else {
                    throw CheckpointError.layoutMismatch(
                        "\(file.url.lastPathComponent): '\(name)' has shape \(info.shape), the model \(entry.shape)")
                }
                if Self.isCounter(entry), info.dtype == .int64 {
                    result.setValues(of: entry.name, to: try file.array(of: Int64.self, name).map(Float.init))
                } else {
                    result.setValues(of: entry.name, to: try file.array(of: Float.self, name))
                }
            } catch let error as CheckpointError {
                throw error
            } catch let error as SafetensorsError {
                throw .damagedTensors(error.description)  // the Safetensors text names the file already
            } catch {
                throw .damaged(file: file.url.path, reason: "tensor '\(name)' cannot be read")
            }
        }
        return result
    }
}
