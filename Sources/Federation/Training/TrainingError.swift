/// Errors a user can cause while training or evaluating.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    case calibrationFailed(String)
    case invalidSetting(String)
    case dataMismatch(String)

    public var description: String {
        switch self {
        case .calibrationFailed(let reason):
            "SphereFed calibration failed: \(reason); try a larger ridge or check the features for NaNs"
        case .invalidSetting(let reason): "invalid setting: \(reason)"
        case .dataMismatch(let reason): "data mismatch: \(reason)"
        }
    }
}
