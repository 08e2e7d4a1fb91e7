/// Least squares with every coefficient ≥ 0 for a handful of columns: solves the unconstrained problem on every
/// subset of the columns (the rest held at 0) and keeps the best feasible one. Exact, and cheap for up to about
/// six columns.
enum NonNegativeLeastSquares {
    static func solve(_ matrix: [[Double]], _ target: [Double]) -> [Double]? {
        guard let columns = matrix.first?.count, columns > 0, columns <= 8 else { return nil }
        var best: (residual: Double, coefficients: [Double])?
        for mask in 1..<(1 << columns) {
            let active = (0..<columns).filter { mask & (1 << $0) != 0 }
            guard let partial = leastSquares(matrix.map { row in active.map { row[$0] } }, target),
                  partial.allSatisfy({ $0 >= 0 }) else { continue }
            var coefficients = [Double](repeating: 0, count: columns)
            for (index, column) in active.enumerated() { coefficients[column] = partial[index] }
            let residual = zip(matrix, target).reduce(0.0) { sum, pair in
                let predicted = zip(pair.0, coefficients).reduce(0.0) { $0 + $1.0 * $1.1 }
                return sum + (predicted - pair.1) * (predicted - pair.1)
            }
            if best == nil || residual < best!.residual { best = (residual, coefficients) }
        }
        return best?.coefficients ?? [Double](repeating: 0, count: columns)
    }

    /// Ordinary least squares through the normal equations, Gaussian elimination with partial pivoting; nil when
    /// the columns are (numerically) dependent.
    static func leastSquares(_ matrix: [[Double]], _ target: [Double]) -> [Double]? {
        let n = matrix.first?.count ?? 0
        guard n > 0, matrix.count >= n else { return nil }
        var system = [[Double]](repeating: [Double](repeating: 0, count: n + 1), count: n)
        for (row, value) in zip(matrix, target) {
            for i in 0..<n {
                for j in 0..<n { system[i][j] += row[i] * row[j] }
                system[i][n] += row[i] * value
            }
        }
        let magnitude = system.map { $0[0..<n].map(abs).max() ?? 0 }.max() ?? 0
        for column in 0..<n {
            let pivot = (column..<n).max { abs(system[$0][column]) < abs(system[$1][column]) }!
            guard abs(system[pivot][column]) > 1e-12 * max(magnitude, .leastNormalMagnitude) else { return nil }
            system.swapAt(column, pivot)
            for row in 0..<n where row != column {
                let factor = system[row][column] / system[column][column]
                for k in column...n { system[row][k] -= factor * system[column][k] }
            }
        }
        return (0..<n).map { system[$0][n] / system[$0][$0] }
    }
}
