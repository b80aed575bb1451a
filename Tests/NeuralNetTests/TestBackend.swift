import Testing
import TensorEngine

/// The engine backends NeuralNet's PyTorch fixture tests run on: the CPU, and `RecordingBackend` (a second
/// implementation of the seam that wraps the CPU and counts ops). A new backend adds a case here and every fixture
/// test below runs on it unchanged, at the same tolerance.
enum TestBackend: String, CaseIterable, Sendable {
    case cpu
    case recording

    /// A fresh backend value (a recording backend starts with no counts).
    func make() -> any EngineBackend {
        switch self {
        case .cpu: CPUBackend()
        case .recording: RecordingBackend()
        }
    }
}

/// When `backend` records ops, expects each of `ops` to have run at least once (the model reached its kernels
/// through the backend, not around it).
func expectRan(_ ops: [String], on backend: any EngineBackend, sourceLocation: SourceLocation = #_sourceLocation) {
    guard let recording = backend as? RecordingBackend else { return }
    let counts = recording.counts
    for op in ops {
        #expect(counts[op, default: 0] > 0, "\(op) never ran on the recording backend", sourceLocation: sourceLocation)
    }
}
