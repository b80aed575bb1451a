import Testing
@_spi(CPUKernels) @_spi(HostStorage) import TensorEngine

@Suite("Matmul")
struct MatmulTests {
    /// Plain triple loop in Double: C = op(A) op(B).
    private func reference(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool) -> [Float] {
        let m = transposeA ? a.shape[1] : a.shape[0]
        let k = transposeA ? a.shape[0] : a.shape[1]
        let n = transposeB ? b.shape[0] : b.shape[1]
        var c = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k {
                    let x = transposeA ? a[p, i] : a[i, p]
                    let y = transposeB ? b[j, p] : b[p, j]
                    sum += Double(x) * Double(y)
                }
                c[i * n + j] = Float(sum)
            }
        }
        return c
    }

    @Test("all four transpose combinations match a triple loop", arguments: [(false, false), (true, false), (false, true), (true, true)])
    func transposes(flags: (Bool, Bool)) {
        var values = TestValues(seed: 1)
        let (m, n, k) = (5, 7, 3)
        let a = values.tensor(flags.0 ? [k, m] : [m, k])
        let b = values.tensor(flags.1 ? [n, k] : [k, n])
        let c = cpu.matmul(a, b, transposeA: flags.0, transposeB: flags.1)
        #expect(c.shape == [m, n])
        #expect(maxAbsDifference(c.storage, reference(a, b, transposeA: flags.0, transposeB: flags.1)) < 1e-5)
    }

    @Test("oneDNN and OpenBLAS sgemm match a triple loop on strided, transposed operands; beta 0 overwrites NaN",
          arguments: GEMMLibrary.allCases)
    func libraries(library: GEMMLibrary) {
        var values = TestValues(seed: 11)
        let (m, n, k) = (37, 45, 70) // beyond one register tile, odd edges
        for (transposeA, transposeB) in [(false, false), (true, false), (false, true), (true, true)] {
            let a = values.tensor(transposeA ? [k, m] : [m, k])
            let b = values.tensor(transposeB ? [n, k] : [k, n])
            let strideC = n + 3
            var c = [Float](repeating: .nan, count: m * strideC)
            a.withUnsafePointer { pa in
                b.withUnsafePointer { pb in
                    c.withUnsafeMutableBufferPointer { pc in
                        singleThreadedSGEMM(pa, pb, pc.baseAddress!, m: m, n: n, k: k, transposeA: transposeA,
                                            transposeB: transposeB, alpha: 1, beta: 0, lda: transposeA ? m : k,
                                            ldb: transposeB ? k : n, ldc: strideC, library: library)
                    }
                }
            }
            let packed = (0..<m).flatMap { row in c[(row * strideC)..<(row * strideC + n)] }
            let expected = reference(a, b, transposeA: transposeA, transposeB: transposeB)
            #expect(maxAbsDifference(packed, expected) < 1e-4,
                    "\(library) transposeA \(transposeA) transposeB \(transposeB)")
        }
    }

    @Test("accumulate adds alpha * product to the existing output")
    func accumulate() {
        var values = TestValues(seed: 2)
        let a = values.tensor([4, 6]), b = values.tensor([6, 3])
        var c = values.tensor([4, 3])
        let before = c.storage
        cpu.matmul(a, b, into: &c, alpha: 0.5, accumulate: true)
        let product = reference(a, b, transposeA: false, transposeB: false)
        let expected = zip(before, product).map { $0 + 0.5 * $1 }
        #expect(maxAbsDifference(c.storage, expected) < 1e-5)
    }

    @Test("parallel split matches the single call and repeats bitwise, for rows and columns")
    func parallelSplit() {
        var values = TestValues(seed: 3)
        for (m, n, k) in [(200, 40, 150), (30, 300, 120)] {
            for transposeA in [false, true] {
                for transposeB in [false, true] {
                    let a = values.tensor(transposeA ? [k, m] : [m, k])
                    let b = values.tensor(transposeB ? [n, k] : [k, n])
                    let serial = cpu.matmul(a, b, transposeA: transposeA, transposeB: transposeB)
                    let split = cpu.matmul(a, b, transposeA: transposeA, transposeB: transposeB, parallel: true)
                    let again = cpu.matmul(a, b, transposeA: transposeA, transposeB: transposeB, parallel: true)
                    #expect(maxAbsDifference(split.storage, again.storage) == 0)
                    #expect(maxAbsDifference(serial.storage, split.storage) < 1e-4)
                    let expected = reference(a, b, transposeA: transposeA, transposeB: transposeB)
                    #expect(maxAbsDifference(split.storage, expected) < 1e-3)
                }
            }
        }
    }

    @Test("parallelChunks tiles the range exactly once")
    func chunksTile() {
        for total in [0, 1, 5, 17] {
            for chunks in [1, 2, 3, 8] {
                var covered = [Int]()
                for chunk in 0..<chunks {
                    covered += Array(EngineThreads.chunkRange(chunk, of: chunks, total: total))
                }
                #expect(covered == Array(0..<total))
            }
        }
    }

    @Test("parallelFor visits every index exactly once")
    func parallelForCoversIndices() {
        let count = 1000
        var visits = [Int32](repeating: 0, count: count)
        visits.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            EngineThreads.parallelFor(count) { index in base[index] += 1 }
        }
        #expect(visits.allSatisfy { $0 == 1 })
    }
}
