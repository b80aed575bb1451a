import TensorEngine

extension ParameterSet {
    /// Runs `body` with raw access to these values on `backend`, without a gradient buffer (eval passes).
    mutating func withStateAccess<Result>(backend: any EngineBackend, _ body: (StateAccess) -> Result) -> Result {
        values.withUnsafeMutableBufferPointer { values in
            guard let base = values.baseAddress else { preconditionFailure("empty model state") }
            return body(StateAccess(backend: backend, values: base, gradients: nil))
        }
    }

    /// Runs `body` with raw access to these values and to a zeroed gradient set of the same layout (train passes,
    /// which accumulate into it); returns `body`'s result and the gradients.
    mutating func withTrainingAccess<Result>(backend: any EngineBackend, _ body: (StateAccess) -> Result)
        -> (result: Result, gradients: ParameterSet) {
        var gradients = ParameterSet.zeros(like: self)
        let result = values.withUnsafeMutableBufferPointer { values in
            gradients.values.withUnsafeMutableBufferPointer { gradientValues in
                guard let base = values.baseAddress, let gradientBase = gradientValues.baseAddress else {
                    preconditionFailure("empty model state")
                }
                return body(StateAccess(backend: backend, values: base, gradients: gradientBase))
            }
        }
        return (result, gradients)
    }
}
