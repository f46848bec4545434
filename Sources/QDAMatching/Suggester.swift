import Foundation
package import QDACodebook
package import QDAText

/// Learned suggestions: a linear model per code over hashed word and character n-grams
/// and the keyword rules' own verdicts, trained on people's codings (docs/methods.md).
///
/// Everything is deterministic: features are hashed with FNV-1a, examples are visited in
/// an order drawn from a fixed seed, and the arithmetic is sequential, so the same
/// project trains the same weights and proposes the same suggestions.
package struct SuggestFeatures: Sendable {
    /// The hashed feature space: 2^16 weights per code.
    package static let dimensionBits = 16
    package static let dimension = 1 << dimensionBits

    package let matcher: Matcher?
    package let groupOf: [Int]

    /// Features from text alone, plus the verdicts of `codebook`'s rules when given.
    package init(codebook: Codebook?) {
        matcher = codebook.map { Matcher(codebook: $0) }
        if let matcher {
            var groups: [String: Int] = [:]
            groupOf = matcher.codes.map { key in
                let group = String(key.prefix { $0 != "." })
                if let index = groups[group] { return index }
                groups[group] = groups.count
                return groups.count - 1
            }
        } else {
            groupOf = []
        }
    }

    /// The feature that says the keyword rules assign the code `key`, if they know it.
    package func ruleFeature(for key: String) -> Int32? {
        guard let index = matcher?.codes.firstIndex(of: key) else { return nil }
        return Int32(truncatingIfNeeded: Self.hash32(UInt32(index), seed: 6) & UInt64(Self.dimension - 1))
    }

    /// A sparse, L2-normalised feature vector.
    package struct Vector: Sendable {
        package var indices: [Int32]
        package var values: [Float]
    }

    /// The features of `text`: Latin words (lower case) as unigrams, bigrams and 5-letter
    /// prefixes; CJK characters as unigrams and bigrams; and one feature per code and per
    /// group the keyword rules assign.
    package func vector(_ text: String, normalizer: inout TextNormalizer) -> Vector {
        var hashes: [UInt64] = []
        var word: [UInt8] = []
        var previousWord: UInt64 = 0
        var previousCJK: UInt32 = 0
        func flushWord() {
            guard !word.isEmpty else { return }
            let h = Self.hash(word, seed: 1)
            hashes.append(h)
            if previousWord != 0 { hashes.append(Self.mix(previousWord, h)) }
            if word.count > 5 { hashes.append(Self.hash(word.prefix(5), seed: 2)) }
            previousWord = h
            word.removeAll(keepingCapacity: true)
        }
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                let b = UInt8(v)
                if (0x41...0x5A).contains(b) {
                    word.append(b | 0x20)
                } else if (0x61...0x7A).contains(b) || (0x30...0x39).contains(b) {
                    word.append(b)
                } else {
                    flushWord()
                    if b != 0x20 && b != 0x27 && b != 0x2D { previousWord = 0 }
                }
                previousCJK = 0
            } else if ScriptClass.isCJK(scalar) {
                flushWord()
                previousWord = 0
                hashes.append(Self.hash32(v, seed: 3))
                if previousCJK != 0 {
                    hashes.append(Self.mix(Self.hash32(previousCJK, seed: 4), Self.hash32(v, seed: 5)))
                }
                previousCJK = v
            } else if scalar.properties.isAlphabetic {
                // Other letters (accented Latin, Cyrillic) go into words by their UTF-8 bytes.
                for b in String(scalar).lowercased().utf8 { word.append(b) }
                previousCJK = 0
            } else {
                flushWord()
                previousWord = 0
                previousCJK = 0
            }
        }
        flushWord()
        // Binary n-gram features, normalised to unit length.
        var indices = hashes.map { Int32(truncatingIfNeeded: $0 & UInt64(Self.dimension - 1)) }
        indices.sort()
        var unique: [Int32] = []
        unique.reserveCapacity(indices.count + 8)
        for i in indices where unique.last != i { unique.append(i) }
        let value = unique.isEmpty ? 0 : Float(1 / Double(unique.count).squareRoot())
        var values = Array(repeating: value, count: unique.count)
        // The keyword rules' verdicts at full strength: a code the rules assign is as strong a
        // feature as the whole text, so a model can start from the rules and learn where they err.
        if let matcher {
            var rules = Set<Int32>()
            for match in matcher.matches(in: text, normalizer: &normalizer) {
                rules.insert(
                    Int32(truncatingIfNeeded: Self.hash32(UInt32(match.code), seed: 6) & UInt64(Self.dimension - 1)))
                rules.insert(
                    Int32(
                        truncatingIfNeeded: Self.hash32(UInt32(groupOf[match.code]), seed: 7)
                            & UInt64(Self.dimension - 1)))
            }
            for index in rules.sorted() {
                if let at = unique.firstIndex(of: index) {
                    values[at] = 1
                } else {
                    unique.append(index)
                    values.append(1)
                }
            }
        }
        return Vector(indices: unique, values: values)
    }

    static func hash<C: Collection<UInt8>>(_ bytes: C, seed: UInt64) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ (seed &* 0x9E37_79B9_7F4A_7C15)
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return finalize(h)
    }

    static func hash32(_ value: UInt32, seed: UInt64) -> UInt64 {
        withUnsafeBytes(of: value.littleEndian) { hash($0, seed: seed) }
    }

    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        finalize(a &* 0x9E37_79B9_7F4A_7C15 ^ b)
    }

    static func finalize(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A logistic-regression model for one code.
package struct SuggestModel: Sendable, Equatable {
    package var weights: [Float]
    package var bias: Float
    /// Scores at or above it are suggested.
    package var threshold: Float

    package init(weights: [Float], bias: Float, threshold: Float = 0.5) {
        self.weights = weights
        self.bias = bias
        self.threshold = threshold
    }

    /// The probability that `vector` belongs to the code.
    package func score(_ vector: SuggestFeatures.Vector) -> Float {
        var z = bias
        weights.withUnsafeBufferPointer { w in
            for k in vector.indices.indices { z += w[Int(vector.indices[k])] * vector.values[k] }
        }
        return 1 / (1 + exp(-z))
    }

    /// Trains on `examples` (vector indices into `vectors` with their labels) by stochastic
    /// gradient descent on the class-weighted logistic loss with L2 regularisation, in an
    /// order drawn from a fixed seed.
    ///
    /// With `rule` (the feature of the code's keyword rules), the model starts from the
    /// rules and is held towards them: that weight at 4 and the bias at −2, so that before
    /// any example it proposes what the rules find (probability 0.88) and nothing else
    /// (0.12); the L2 penalty pulls every weight towards this start rather than towards 0,
    /// so a few examples move the model a little and many move it far.
    package static func train(
        vectors: [SuggestFeatures.Vector], examples: [(vector: Int, positive: Bool)], rule: Int32? = nil,
        epochs: Int? = nil
    ) -> SuggestModel {
        // About 50,000 updates: 20 passes over a few hundred or thousand units, 5 over ten
        // thousand and more (plenty for stochastic gradient descent on that many).
        let epochs = epochs ?? min(20, max(5, 50_000 / max(1, examples.count)))
        var weights = [Float](repeating: 0, count: SuggestFeatures.dimension)
        var bias: Float = 0
        if let rule {
            weights[Int(rule)] = 4
            bias = -2
        }
        let start = weights
        let positives = examples.filter(\.positive).count
        let negatives = examples.count - positives
        guard positives > 0, negatives > 0 else {
            return SuggestModel(weights: weights, bias: positives > 0 ? 10 : -10)
        }
        // Positives weigh as much as negatives in all, up to ten times each.
        let positiveWeight = Float(min(20, max(1, Double(negatives) / Double(positives))))
        let lambda: Float = 1e-2
        var order = Array(examples.indices)
        var random = SplitMix64(seed: 0x5155_4753_4553_5421)
        var step = 0
        weights.withUnsafeMutableBufferPointer { w in
            for _ in 0..<epochs {
                for i in stride(from: order.count - 1, to: 0, by: -1) {
                    order.swapAt(i, Int(random.next() % UInt64(i + 1)))
                }
                for index in order {
                    let example = examples[index]
                    let vector = vectors[example.vector]
                    var z = bias
                    for (i, v) in zip(vector.indices, vector.values) { z += w[Int(i)] * v }
                    let p = 1 / (1 + exp(-z))
                    let y: Float = example.positive ? 1 : 0
                    let rate = 0.5 / (1 + Float(step) * 1e-4)
                    step += 1
                    let g = (p - y) * (example.positive ? positiveWeight : 1) * rate
                    for (i, v) in zip(vector.indices, vector.values) {
                        let j = Int(i)
                        w[j] -= g * v + rate * lambda * (w[j] - start[j])
                    }
                    bias -= g
                }
            }
        }
        return SuggestModel(weights: weights, bias: bias)
    }
}

extension SuggestModel {
    /// The threshold among 0.05, 0.10, … 0.95 that maximises F1 on `scored` (the highest
    /// on a tie); 0.5 when nothing is positive.
    package static func bestThreshold(_ scored: [(score: Float, positive: Bool)]) -> Float {
        var best: (f1: Double, threshold: Float) = (-1, 0.5)
        for step in stride(from: 19, through: 1, by: -1) {
            let threshold = Float(step) / 20
            var tp = 0
            var fp = 0
            var fn = 0
            for s in scored {
                let predicted = s.score >= threshold
                if predicted && s.positive { tp += 1 }
                if predicted && !s.positive { fp += 1 }
                if !predicted && s.positive { fn += 1 }
            }
            guard tp + fn > 0 else { return 0.5 }
            let f1 = 2 * Double(tp) / Double(2 * tp + fp + fn)
            if f1 > best.f1 { best = (f1, threshold) }
        }
        return best.threshold
    }
}

/// Several codes' models scored together: the weights stored feature by feature (all the
/// codes' weights of one feature side by side), so that scoring a segment reads one short
/// contiguous row per feature instead of one scattered weight per feature and code.
package struct SuggestModelSet: Sendable {
    package let count: Int
    private let matrix: [Float]
    private let biases: [Float]
    /// Each model's threshold as a logit: a score reaches the threshold when its logit does.
    private let logitThresholds: [Float]

    package init(_ models: [SuggestModel]) {
        count = models.count
        var matrix = [Float](repeating: 0, count: SuggestFeatures.dimension * models.count)
        for (m, model) in models.enumerated() {
            for (feature, weight) in model.weights.enumerated() where weight != 0 {
                matrix[feature * models.count + m] = weight
            }
        }
        self.matrix = matrix
        biases = models.map(\.bias)
        logitThresholds = models.map { model in
            let t = min(max(model.threshold, 1e-6), 1 - 1e-6)
            return log(t / (1 - t))
        }
    }

    /// The models (by index) whose score for `vector` reaches their threshold, with the score.
    package func passing(_ vector: SuggestFeatures.Vector, into logits: inout [Float]) -> [(model: Int, score: Float)] {
        logits.removeAll(keepingCapacity: true)
        logits.append(contentsOf: biases)
        let count = self.count
        matrix.withUnsafeBufferPointer { w in
            logits.withUnsafeMutableBufferPointer { z in
                for k in vector.indices.indices {
                    let row = Int(vector.indices[k]) * count
                    let v = vector.values[k]
                    for m in 0..<count { z[m] += v * w[row + m] }
                }
            }
        }
        var result: [(model: Int, score: Float)] = []
        for m in 0..<count where logits[m] >= logitThresholds[m] {
            result.append((m, 1 / (1 + exp(-logits[m]))))
        }
        return result
    }
}

/// A small, fast, seeded generator (Steele, Lea & Flood's SplitMix64).
package struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    package init(seed: UInt64) { state = seed }
    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SuggestFeatures.finalize(state)
    }
}
