import Partitioning
import SeededRandom
import Testing

/// partition.md's pinned vectors, computed by an independent implementation of the spec, held as literals.
@Suite("Partitioning pinned vectors")
struct PinnedVectorTests {
    @Test func classSetsStreamFirstOutputs() {
        var generator = Xoshiro256StarStar(seed: 42, stream: "class-sets")
        #expect([generator.next(), generator.next(), generator.next()]
            == [0xabef_9760_d3a0_08be, 0x0e0c_b12e_3de8_d630, 0xcad9_6764_e1a9_6a0e])
    }

    @Test func routeStreamShuffle() {
        var generator = Xoshiro256StarStar(seed: 0, stream: "route/3/0")
        var values = Array(0..<10)
        generator.shuffle(&values)
        #expect(values == [0, 6, 1, 8, 9, 2, 7, 4, 5, 3])
    }

    @Test func dirichletBelowOne() {
        var generator = Xoshiro256StarStar(seed: 42, stream: "dirichlet/0")
        let expected = [0.35206277285926024, 0.030955997564535796, 0.000303199758016821, 0.0075772009197519335,
                        0.031525489132406326, 0.018697736405774282, 0.22769610406390953, 0.20542948885554327,
                        0.11364131328565126, 0.012110697155150542]
        #expect(generator.dirichlet(alpha: 0.5, count: 10) == expected)
    }

    @Test func dirichletAboveOne() {
        var generator = Xoshiro256StarStar(seed: 7, stream: "dirichlet/0")
        let expected = [0.3392986450398504, 0.06407791205900229, 0.2510891982572575, 0.34553424464388993]
        #expect(generator.dirichlet(alpha: 2.0, count: 4) == expected)
    }

    @Test func classSetsTenClasses() {
        let sets = ClassSetAssignment.classSets(classCount: 10, clients: 10, rho: 0.5, seed: 42)
        #expect(sets == [[0, 1, 2, 4, 8], [3, 5, 6, 7, 9], [3, 4, 5, 6, 9], [0, 1, 2, 7, 8], [0, 4, 6, 7, 8],
                         [1, 2, 3, 5, 9], [0, 2, 5, 6, 8], [1, 3, 4, 7, 9], [1, 4, 5, 7, 8], [0, 2, 3, 6, 9]])
    }

    @Test func classSetsFourteenClasses() {
        let sets = ClassSetAssignment.classSets(classCount: 14, clients: 10, rho: 0.5, seed: 1)
        #expect(sets == [[1, 3, 4, 7, 10, 11, 13], [0, 2, 5, 6, 8, 9, 12], [0, 1, 6, 7, 8, 11, 13],
                         [2, 3, 4, 5, 9, 10, 12], [0, 1, 2, 3, 4, 5, 10], [6, 7, 8, 9, 11, 12, 13],
                         [0, 4, 7, 9, 10, 11, 13], [1, 2, 3, 5, 6, 8, 12], [2, 4, 6, 7, 8, 9, 11],
                         [0, 1, 3, 5, 10, 12, 13]])
    }

    @Test func classSetUsageDiffersByAtMostOne() {
        let sets = ClassSetAssignment.classSets(classCount: 14, clients: 7, rho: 0.3, seed: 9)
        var usage = [Int](repeating: 0, count: 14)
        for set in sets { for classIndex in set { usage[classIndex] += 1 } }
        #expect(sets.allSatisfy { $0.count == 4 })
        #expect(usage.max()! - usage.min()! <= 1)
    }

    @Test func fullRhoGivesEveryClassToEveryClient() {
        let sets = ClassSetAssignment.classSets(classCount: 5, clients: 3, rho: 1, seed: 3)
        #expect(sets == [[0, 1, 2, 3, 4], [0, 1, 2, 3, 4], [0, 1, 2, 3, 4]])
        #expect(ClassSetAssignment.classesPerClient(classCount: 10, rho: 0.3) == 3)
        #expect(ClassSetAssignment.classesPerClient(classCount: 14, rho: 0.01) == 1)
    }

    @Test func largestRemainderTiesGoToLowerIndex() {
        #expect(LargestRemainder.apportion(total: 10, proportions: [1.0 / 3, 1.0 / 3, 1.0 / 3]) == [4, 3, 3])
        #expect(LargestRemainder.apportion(total: 7, proportions: [0.1, 0.6, 0.3]) == [1, 4, 2])
        #expect(LargestRemainder.apportion(total: 0, proportions: [0.5, 0.5]) == [0, 0])
    }
}
