import Testing
import SeededRandom

/// Vectors pinned in partition.md, computed by an independent implementation of the spec.
@Suite("SeededRandom pinned vectors")
struct PinnedVectorTests {
    @Test("stream(42, class-sets): first three outputs")
    func classSetsStream() {
        var generator = Xoshiro256StarStar(seed: 42, stream: "class-sets")
        #expect(generator.next() == 0xabef_9760_d3a0_08be)
        #expect(generator.next() == 0x0e0c_b12e_3de8_d630)
        #expect(generator.next() == 0xcad9_6764_e1a9_6a0e)
    }

    @Test("stream(0, route/3/0): shuffle of 0..<10")
    func routeShuffle() {
        var generator = Xoshiro256StarStar(seed: 0, stream: "route/3/0")
        var values = Array(0..<10)
        generator.shuffle(&values)
        #expect(values == [0, 6, 1, 8, 9, 2, 7, 4, 5, 3])
    }

    @Test("stream(42, dirichlet/0): dirichlet(0.5, 10), log-domain branch")
    func dirichletSmallAlpha() {
        var generator = Xoshiro256StarStar(seed: 42, stream: "dirichlet/0")
        let proportions = generator.dirichlet(alpha: 0.5, count: 10)
        let expected: [Double] = [
            0.35206277285926024, 0.030955997564535796, 0.000303199758016821, 0.0075772009197519335,
            0.031525489132406326, 0.018697736405774282, 0.22769610406390953, 0.20542948885554327,
            0.11364131328565126, 0.012110697155150542,
        ]
        #expect(proportions == expected)
    }

    @Test("stream(7, dirichlet/0): dirichlet(2.0, 4), gamma branch")
    func dirichletLargeAlpha() {
        var generator = Xoshiro256StarStar(seed: 7, stream: "dirichlet/0")
        let proportions = generator.dirichlet(alpha: 2.0, count: 4)
        #expect(proportions == [0.3392986450398504, 0.06407791205900229, 0.2510891982572575, 0.34553424464388993])
    }

    @Test("alpha = inf: equal proportions and no draws")
    func dirichletInfinite() {
        var generator = Xoshiro256StarStar(seed: 3, stream: "x")
        var untouched = Xoshiro256StarStar(seed: 3, stream: "x")
        #expect(generator.dirichlet(alpha: .infinity, count: 4) == [0.25, 0.25, 0.25, 0.25])
        #expect(generator.next() == untouched.next())
    }

    @Test("FNV-1a 64 of the empty string is the offset basis; of 'a' the published value")
    func fnv() {
        #expect(FNV1a64.hash("") == 0xcbf2_9ce4_8422_2325)
        #expect(FNV1a64.hash("a") == 0xaf63_dc4c_8601_ec8c)
    }

    @Test("uniform stays in [0, 1) and uniformInt in range", arguments: [1, 2, 3, 7, 1000])
    func ranges(bound: Int) {
        var generator = Xoshiro256StarStar(seed: UInt64(bound))
        for _ in 0..<1000 {
            let u = generator.uniform()
            #expect(u >= 0 && u < 1)
            let k = generator.uniformInt(bound)
            #expect(k >= 0 && k < bound)
        }
    }
}
