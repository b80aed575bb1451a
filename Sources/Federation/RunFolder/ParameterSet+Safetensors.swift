import Foundation
import NeuralNet
import Safetensors

extension ParameterSet {
    /// Every entry as an F32 tensor named `prefix + entry.name`, with the entry's shape.
    func tensors(prefix: String = "") -> [String: TensorData] {
        var tensors = [String: TensorData]()
        for entry in entries {
            tensors[prefix + entry.name] = TensorData(Array(values[entry.range]), shape: entry.shape)
        }
        return tensors
    }

    /// A set with `layout`'s entries, each read from tensor `prefix + entry.name` of `file` (F32, same shape).
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
                result.setValues(of: entry.name, to: try file.array(of: Float.self, name))
            } catch let error as CheckpointError {
                throw error
            } catch {
                throw .unreadable(file: file.url.path, reason: String(describing: error))
            }
        }
        return result
    }
}
