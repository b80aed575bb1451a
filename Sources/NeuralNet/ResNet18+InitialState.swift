import SeededRandom

extension ResNet18 {
    /// The initial state of a model made of this backbone and one head laid out by `builder`: the backbone's
    /// entries drawn from the stream "model/backbone" and the head's from "model/head" of `seed` (SplitMix64-seeded
    /// xoshiro256**), so the backbone's initial weights never depend on which head sits on top.
    func initialState(_ builder: LayoutBuilder, seed: UInt64,
                      initializeHead: (UnsafeMutablePointer<Float>, inout Xoshiro256StarStar) -> Void) -> ParameterSet {
        var state = ParameterSet(layout: builder.layout)
        var backboneRandom = Xoshiro256StarStar(seed: seed, stream: "model/backbone")
        var headRandom = Xoshiro256StarStar(seed: seed, stream: "model/head")
        state.values.withUnsafeMutableBufferPointer { values in
            guard let base = values.baseAddress else { preconditionFailure("empty model state") }
            initialize(base, random: &backboneRandom)
            initializeHead(base, &headRandom)
        }
        return state
    }
}
