import NeuralNet

/// NeuralNet's AdamW (PyTorch's update order, no decay on rank <= 1 entries) is the clients' optimiser.
extension AdamW: ParameterOptimizer {}
