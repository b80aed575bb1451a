/// Solves `A X = B` for symmetric positive definite `A` (`n x n`) by Cholesky, in Double.
enum CholeskySolver {
    /// `X` (`n x columns`, row-major), or nil when `A` is not positive definite.
    static func solve(symmetric matrix: [Double], dimension n: Int, rightHandSides: [Double],
                      columns: Int) -> [Double]? {
        var lower = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var sum = matrix[i * n + j]
                for k in 0..<j { sum -= lower[i * n + k] * lower[j * n + k] }
                if i == j {
                    guard sum > 0 else { return nil }
                    lower[i * n + i] = sum.squareRoot()
                } else {
                    lower[i * n + j] = sum / lower[j * n + j]
                }
            }
        }
        var solution = rightHandSides
        for column in 0..<columns {
            for i in 0..<n {  // L y = b
                var sum = solution[i * columns + column]
                for k in 0..<i { sum -= lower[i * n + k] * solution[k * columns + column] }
                solution[i * columns + column] = sum / lower[i * n + i]
            }
            for i in stride(from: n - 1, through: 0, by: -1) {  // L^T x = y
                var sum = solution[i * columns + column]
                for k in (i + 1)..<n { sum -= lower[k * n + i] * solution[k * columns + column] }
                solution[i * columns + column] = sum / lower[i * n + i]
            }
        }
        return solution
    }
}
