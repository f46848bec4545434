/// A conjunction of conditions: for each condition present (1), absent (0) or not in the
/// term. `mask` has a bit for every condition in the term, `value` its required value
/// (bits as in `TruthTable`: condition j is bit k-1-j).
public struct Implicant: Sendable, Hashable, Comparable {
    /// The bits of the conditions the implicant names.
    public var mask: Int
    /// The values of those bits.
    public var value: Int

    /// Creates the value from its fields.
    public init(mask: Int, value: Int) {
        self.mask = mask
        self.value = value
    }

    /// How many conditions the implicant names.
    public var literalCount: Int { mask.nonzeroBitCount }

    /// Whether the implicant covers `configuration`.
    public func covers(_ configuration: Int) -> Bool { configuration & mask == value }

    /// True when every configuration of `self` is one of `other`'s.
    public func implies(_ other: Implicant) -> Bool {
        other.mask & mask == other.mask && value & other.mask == other.value
    }

    /// `A*~B` with the condition names.
    public func expression(_ conditions: [String]) -> String {
        let k = conditions.count
        var parts: [String] = []
        for j in 0..<k where mask & (1 << (k - 1 - j)) != 0 {
            parts.append((value & (1 << (k - 1 - j)) != 0 ? "" : "~") + conditions[j])
        }
        return parts.isEmpty ? "1" : parts.joined(separator: "*")
    }

    /// Ordered as QCA lists terms: fewer literals first, then by the conditions in order.
    public static func < (a: Implicant, b: Implicant) -> Bool {
        if a.literalCount != b.literalCount { return a.literalCount < b.literalCount }
        if a.mask != b.mask { return a.mask > b.mask }
        return a.value > b.value
    }
}

/// Exact two-level minimisation (docs/qca.md#minimisation): all prime implicants of the
/// function that is 1 on `positive` and free on `dontCare`, then every cover of the
/// positive configurations by the fewest prime implicants.
///
/// Prime implicants are found by the Quine–McCluskey principle, computed over the 3^k
/// cubes at once: a cube is an implicant when both its halves are, and prime when no cube
/// with one literal fewer is an implicant. The covers are found by branch and bound on
/// the prime implicant chart, after the essential prime implicants.
public enum Minimizer {
    /// Covers beyond this many are not enumerated (the output says so).
    public static let maximumModels = 64
    /// Search steps before the cover search gives up proving minimality (the output says so).
    public static let searchBudget = 2_000_000
    /// Charts with more prime implicants than this are reduced by row dominance.
    public static let rowDominanceThreshold = 200

    /// The prime implicants and the minimal covers of the positive configurations.
    public struct Result: Sendable, Equatable {
        /// Every prime implicant.
        public var primeImplicants: [Implicant]
        /// The prime implicant chart: for each prime implicant, the positive configurations it covers.
        public var chart: [[Int]]
        /// Every minimal cover (fewest prime implicants), each sorted.
        public var models: [[Implicant]]
        /// More minimal covers exist than are listed, or the search stopped before it
        /// proved the listed ones minimal (`searchBudget`).
        public var truncated: Bool
        /// The chart was reduced by row dominance (`rowDominanceThreshold`).
        public var rowDominance = false
    }

    /// Quine–McCluskey minimisation of `positive` configurations of `k` conditions, using `dontCare` where they
    /// shorten a term.
    public static func minimize(conditions k: Int, positive: [Int], dontCare: [Int] = []) -> Result {
        guard !positive.isEmpty else { return Result(primeImplicants: [], chart: [], models: [], truncated: false) }
        let primes = primeImplicants(conditions: k, positive: positive, dontCare: dontCare)
        let chart = primes.map { prime in positive.filter { prime.covers($0) } }
        let (models, truncated, rowDominance) = minimalCovers(primes: primes, positive: positive)
        return Result(
            primeImplicants: primes, chart: chart, models: models, truncated: truncated, rowDominance: rowDominance)
    }

    /// All prime implicants that cover at least one positive configuration, sorted.
    public static func primeImplicants(conditions k: Int, positive: [Int], dontCare: [Int]) -> [Implicant] {
        let total = Int(pow3(k))
        // A cube's index in base 3, digit j (from the right, bit j): 0 absent, 1 present, 2 free.
        var implicant = [Bool](repeating: false, count: total)
        var hasPositive = [Bool](repeating: false, count: total)
        var power = [Int](repeating: 1, count: k + 1)
        for j in 1...max(k, 1) where j <= k { power[j] = power[j - 1] * 3 }
        func cubeIndex(ofConfiguration configuration: Int) -> Int {
            var index = 0
            for j in 0..<k where configuration & (1 << j) != 0 { index += power[j] }
            return index
        }
        for configuration in positive {
            let index = cubeIndex(ofConfiguration: configuration)
            implicant[index] = true
            hasPositive[index] = true
        }
        for configuration in dontCare { implicant[cubeIndex(ofConfiguration: configuration)] = true }
        // Cubes in increasing index order: a cube's halves (its lowest free digit set to
        // 0 and to 1) have smaller indexes.
        for index in 0..<total {
            var rest = index
            var lowestFree = -1
            for j in 0..<k {
                if rest % 3 == 2 {
                    lowestFree = j
                    break
                }
                rest /= 3
            }
            guard lowestFree >= 0 else { continue }
            let zero = index - 2 * power[lowestFree]
            let one = index - power[lowestFree]
            implicant[index] = implicant[zero] && implicant[one]
            hasPositive[index] = hasPositive[zero] || hasPositive[one]
        }
        var primes: [Implicant] = []
        for index in 0..<total where implicant[index] && hasPositive[index] {
            var rest = index
            var mask = 0
            var value = 0
            var isPrime = true
            for j in 0..<k {
                let digit = rest % 3
                rest /= 3
                if digit != 2 {
                    mask |= 1 << j
                    if digit == 1 { value |= 1 << j }
                    // The cube with this literal dropped.
                    if implicant[index + (2 - digit) * power[j]] {
                        isPrime = false
                        break
                    }
                }
            }
            if isPrime { primes.append(Implicant(mask: mask, value: value)) }
        }
        return primes.sorted()
    }

    static func pow3(_ k: Int) -> Double {
        var result = 1.0
        for _ in 0..<k { result *= 3 }
        return result
    }

    /// Every cover of `positive` by the fewest of `primes`, essential ones included.
    static func minimalCovers(primes: [Implicant], positive: [Int]) -> ([[Implicant]], Bool, Bool) {
        let columns = positive.count
        let words = (columns + 63) / 64
        let coverage: [[UInt64]] = primes.map { prime in
            var bits = [UInt64](repeating: 0, count: words)
            for (column, configuration) in positive.enumerated() where prime.covers(configuration) {
                bits[column / 64] |= 1 << UInt64(column % 64)
            }
            return bits
        }
        // Columns covered by one prime only make it essential.
        var essential: Set<Int> = []
        for column in 0..<columns {
            let covering = coverage.indices.filter { coverage[$0][column / 64] & (1 << UInt64(column % 64)) != 0 }
            if covering.count == 1 { essential.insert(covering[0]) }
        }
        var covered = [UInt64](repeating: 0, count: words)
        for index in essential {
            for w in 0..<words { covered[w] |= coverage[index][w] }
        }
        var full = [UInt64](repeating: 0, count: words)
        for column in 0..<columns { full[column / 64] |= 1 << UInt64(column % 64) }
        var candidates = coverage.indices.filter { !essential.contains($0) }
        // Row dominance on large charts (R's row.dom = TRUE): a prime whose uncovered
        // columns are a strict subset of another's is dropped. Every listed model stays
        // minimal, but alternatives that use a dominated prime are not listed.
        let rowDominance = candidates.count > rowDominanceThreshold
        if rowDominance {
            func remaining(_ index: Int) -> [UInt64] { (0..<words).map { coverage[index][$0] & ~covered[$0] } }
            let rows = candidates.map(remaining)
            var keep = [Bool](repeating: true, count: candidates.count)
            for a in candidates.indices {
                for b in candidates.indices where a != b && keep[b] {
                    let subset = (0..<words).allSatisfy { rows[a][$0] & ~rows[b][$0] == 0 }
                    let strict = subset && rows[a] != rows[b]
                    if strict || rows[a].allSatisfy({ $0 == 0 }) {
                        keep[a] = false
                        break
                    }
                }
            }
            candidates = candidates.indices.filter { keep[$0] }.map { candidates[$0] }
        }
        // Columns, and for each the primes (not essential) that cover it.
        let optionsOf: [[Int]] = (0..<columns).map { column in
            candidates.filter { coverage[$0][column / 64] & (1 << UInt64(column % 64)) != 0 }
        }
        // Column dominance: a column whose primes include all those of another column is
        // covered whenever that one is; it is set aside (it changes no minimal cover).
        var dominated = [Bool](repeating: false, count: columns)
        for a in 0..<columns where !(covered[a / 64] & (1 << UInt64(a % 64)) != 0) {
            let optionsA = Set(optionsOf[a])
            for b in 0..<columns where b != a && !dominated[b] && !dominated[a] {
                guard !(covered[b / 64] & (1 << UInt64(b % 64)) != 0), optionsOf[b].count >= optionsA.count else {
                    continue
                }
                if optionsA.isSubset(of: optionsOf[b]) && (optionsOf[b].count > optionsA.count || a < b) {
                    dominated[b] = true
                }
            }
        }
        for column in 0..<columns where dominated[column] { covered[column / 64] |= 1 << UInt64(column % 64) }
        func isCovered(_ covered: [UInt64], _ column: Int) -> Bool {
            covered[column / 64] & (1 << UInt64(column % 64)) != 0
        }
        // An upper bound from a greedy cover, so that the search prunes from the start.
        var best: Int = {
            var greedy = covered
            var count = 0
            while greedy != full {
                var pick = -1
                var gain = 0
                for option in candidates {
                    var g = 0
                    for w in 0..<words { g += (coverage[option][w] & ~greedy[w]).nonzeroBitCount }
                    if g > gain {
                        gain = g
                        pick = option
                    }
                }
                guard pick >= 0 else { break }
                for w in 0..<words { greedy[w] |= coverage[pick][w] }
                count += 1
            }
            return count
        }()
        var found = Set<[Int]>()
        var truncated = false
        var chosen: [Int] = []
        var excluded = [Bool](repeating: false, count: primes.count)

        /// A lower bound on the primes still needed: uncovered columns no two of which
        /// share a usable prime each need their own.
        func lowerBound(_ covered: [UInt64]) -> Int {
            var used = [Bool](repeating: false, count: primes.count)
            var bound = 0
            for column in 0..<columns where !isCovered(covered, column) {
                var shares = false
                for option in optionsOf[column] where !excluded[option] && used[option] {
                    shares = true
                    break
                }
                if shares { continue }
                for option in optionsOf[column] where !excluded[option] { used[option] = true }
                bound += 1
            }
            return bound
        }

        var steps = 0
        func search(_ covered: [UInt64]) {
            steps += 1
            if steps > searchBudget {
                truncated = true
                return
            }
            if covered == full {
                let cover = chosen.sorted()
                if chosen.count < best {
                    best = chosen.count
                    found = [cover]
                } else if chosen.count == best, !found.contains(cover) {
                    if found.count < maximumModels { found.insert(cover) } else { truncated = true }
                }
                return
            }
            // Once enough covers of the best size are listed, only smaller ones matter.
            let listed = found.count >= maximumModels
            let needed = chosen.count + lowerBound(covered)
            if needed > best || (listed && needed >= best) { return }
            // Branch on the uncovered column with the fewest primes to cover it.
            var pickOptions: [Int]?
            for column in 0..<columns where !isCovered(covered, column) {
                let options = optionsOf[column].filter { !excluded[$0] }
                if pickOptions == nil || options.count < pickOptions!.count {
                    pickOptions = options
                    if options.count <= 1 { break }
                }
            }
            // Each cover is visited once: a prime tried in one branch is excluded from
            // the branches after it.
            var excludedHere: [Int] = []
            for option in pickOptions ?? [] {
                chosen.append(option)
                var next = covered
                for w in 0..<words { next[w] |= coverage[option][w] }
                search(next)
                chosen.removeLast()
                excluded[option] = true
                excludedHere.append(option)
            }
            for option in excludedHere { excluded[option] = false }
        }
        search(covered)
        let result = found.map { cover in (Array(essential) + cover).map { primes[$0] }.sorted() }.sorted { a, b in
            for (x, y) in zip(a, b) where x != y { return x < y }
            return a.count < b.count
        }
        return (result, truncated, rowDominance)
    }
}
