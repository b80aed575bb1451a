import ArgumentParser

/// The methods `--method` accepts, listed once. Adding a method = its file in `Methods/` plus its line in
/// `methods` (and, if it has options, its group in `MethodOptions` below).
public enum MethodRegistry {
    /// Every method, in `--help` order.
    public static let methods: [any FederatedMethod.Type] = [
        FedNCAlign.self, FedAvg.self, FedProx.self, FedCurv.self, Scaffold.self, SphereFed.self, Centralized.self,
    ]

    /// The `--method` values.
    public static var names: [String] { methods.map { $0.name } }

    /// The method called `name`.
    public static func method(named name: String) throws(TrainingError) -> any FederatedMethod.Type {
        guard let method = methods.first(where: { $0.name == name }) else {
            throw .invalidSetting("unknown method '\(name)'; use one of \(names.joined(separator: ", "))")
        }
        return method
    }
}

/// A method's own command-line options; `apply` records them in the run configuration.
public protocol MethodOptionGroup: ParsableArguments {
    func apply(to configuration: inout RunConfiguration)
}

/// Every method's option group, pulled into `fednc-train train` and `server start` with `@OptionGroup`.
public struct MethodOptions: ParsableArguments {
    @OptionGroup public var fedNCAlign: FedNCAlign.Options
    @OptionGroup public var fedProx: FedProx.Options
    @OptionGroup public var fedCurv: FedCurv.Options
    @OptionGroup public var sphereFed: SphereFed.Options

    public init() {}

    var groups: [any MethodOptionGroup] { [fedNCAlign, fedProx, fedCurv, sphereFed] }

    /// Records every group's values (each method reads its own).
    public func apply(to configuration: inout RunConfiguration) {
        for group in groups { group.apply(to: &configuration) }
    }
}
