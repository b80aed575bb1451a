import TensorEngine

extension BasicBlock {
    /// One train-mode forward and backward of a standalone BasicBlock named `block` (for cross-checks against
    /// PyTorch): `parameters` holds every tensor of the block by its name (`block.conv1.weight`, `block.bn1.weight`,
    /// ..., `block.downsample.0.weight`, ...). Returns the output, the input gradient for `outputGradient`, and the
    /// gradient of every trainable tensor plus the updated running statistics, by name. Runs on `backend`.
    package static func probe(inChannels: Int, outChannels: Int, stride: Int, input: FeatureMap,
                              parameters: [String: [Float]], outputGradient: [Float],
                              backend: any EngineBackend = CPUBackend())
        -> (output: FeatureMap, inputGradient: FeatureMap, tensors: [String: [Float]]) {
        var builder = LayoutBuilder()
        let block = BasicBlock(&builder, name: "block", inChannels: inChannels, outChannels: outChannels,
                               stride: stride)
        var state = ParameterSet(layout: builder.layout)
        for entry in state.entries {
            guard let values = parameters[entry.name] else { preconditionFailure("probe: missing \(entry.name)") }
            state.setValues(of: entry.name, to: values)
        }
        let ((output, inputGradient), gradients) = state.withTrainingAccess(backend: backend) { access in
            let output = block.forward(input, access, training: true)
            var upstream = output
            upstream.values = outputGradient
            return (output, block.backward(upstream, access))
        }
        var tensors = [String: [Float]]()
        for entry in state.entries {
            tensors[entry.isTrainable ? "grad/\(entry.name)" : "after/\(entry.name)"]
                = entry.isTrainable ? gradients.values(of: entry.name) : state.values(of: entry.name)
        }
        return (output, inputGradient, tensors)
    }
}
