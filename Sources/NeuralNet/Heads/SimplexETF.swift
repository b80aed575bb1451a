import SeededRandom

/// Fixed classifiers: the simplex equiangular tight frame and a random orthonormal frame.
package enum FixedClassifier {
    /// `W = sqrt(K/(K-1)) (I_K - 11^T/K) U^T`, `U` the first K columns of `I_d`: `[K, d]` row-major, rows of unit
    /// norm with pairwise cosine `-1/(K-1)`. Needs `2 <= K <= d`.
    package static func simplexETF(classes: Int, dimension: Int) -> [Float] {
        precondition(classes >= 2 && classes <= dimension,
                     "simplex ETF needs 2 <= K <= d, got K = \(classes), d = \(dimension)")
        let factor = (Double(classes) / Double(classes - 1)).squareRoot()
        var matrix = [Float](repeating: 0, count: classes * dimension)
        for row in 0..<classes {
            for column in 0..<classes {
                let centered = (row == column ? 1.0 : 0.0) - 1.0 / Double(classes)
                matrix[row * dimension + column] = Float(factor * centered)
            }
        }
        return matrix
    }

    /// `[K, d]` with orthonormal rows: the Q factor (modified Gram-Schmidt) of a standard-normal `d x K` matrix
    /// drawn column by column from `random`, transposed. Needs `K <= d`.
    static func randomOrthonormal(classes: Int, dimension: Int, random: inout Xoshiro256StarStar) -> [Float] {
        precondition(classes >= 1 && classes <= dimension,
                     "orthonormal classifier needs K <= d, got K = \(classes), d = \(dimension)")
        var rows = [[Double]]()
        for _ in 0..<classes {
            var vector = (0..<dimension).map { _ in random.normal() }
            for previous in rows {
                let projection = zip(vector, previous).reduce(0) { $0 + $1.0 * $1.1 }
                for index in vector.indices { vector[index] -= projection * previous[index] }
            }
            let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            rows.append(vector.map { $0 / norm })
        }
        return rows.flatMap { $0.map(Float.init) }
    }

    /// `[K, d]` standard-normal rows scaled to unit norm (random LADM queries).
    static func randomUnitRows(classes: Int, dimension: Int, random: inout Xoshiro256StarStar) -> [Float] {
        var result = [Float]()
        for _ in 0..<classes {
            let vector = (0..<dimension).map { _ in random.normal() }
            let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            result += vector.map { Float($0 / norm) }
        }
        return result
    }
}
