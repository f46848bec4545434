import Foundation

/// Turns raw values into set membership (docs/qca.md#calibration).
public enum Calibration: Sendable, Equatable {
    /// 1 at or above the threshold, 0 below.
    case crisp(threshold: Double)
    /// Ragin's direct method: the logistic function through three anchors, with
    /// `logOdds` the log-odds at the anchors of full membership and full non-membership
    /// (fsQCA: 3, membership 0.953; R's QCA package: 2.944, membership 0.95). Anchors may
    /// run downwards (exclusion above inclusion) for a set of "low" values.
    case fuzzy(exclusion: Double, crossover: Double, inclusion: Double, logOdds: Double)

    /// Ragin's log-odds at the anchors, fsQCA's default.
    public static let raginLogOdds = 3.0
    /// The R package QCA's log-odds (inclusion degree 0.95).
    public static let rQCALogOdds = log(0.95 / 0.05)

    /// The set membership of a raw `value`, in [0, 1].
    public func membership(_ value: Double) -> Double {
        switch self {
        case .crisp(let threshold):
            return value >= threshold ? 1 : 0
        case .fuzzy(let exclusion, let crossover, let inclusion, let logOdds):
            let towardsInclusion = (value - crossover) * (inclusion - crossover) >= 0
            let span = towardsInclusion ? inclusion - crossover : crossover - exclusion
            guard span != 0 else { return value == crossover ? 0.5 : (towardsInclusion ? 1 : 0) }
            let direction: Double = inclusion >= exclusion ? 1 : -1
            let odds = direction * (value - crossover) * logOdds / abs(span)
            return 1 / (1 + exp(-odds))
        }
    }

    /// Checks the anchors' order: exclusion, crossover and inclusion must run one way.
    public func validate(name: String) throws {
        guard case .fuzzy(let exclusion, let crossover, let inclusion, let logOdds) = self else { return }
        let upward = exclusion < crossover && crossover < inclusion
        let downward = exclusion > crossover && crossover > inclusion
        guard upward || downward else {
            throw AnalysisError.anchorsOutOfOrder(
                column: name, exclusion: exclusion, crossover: crossover, inclusion: inclusion)
        }
        guard logOdds > 0 else { throw AnalysisError.logOddsNotPositive(column: name) }
    }

    /// Anchors suggested from the data: the 10th, 50th and 90th percentiles (the
    /// researcher is shown them and should replace them with substantive ones).
    public static func suggestedAnchors(_ values: [Double]) -> (exclusion: Double, crossover: Double, inclusion: Double)
    {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return (0, 0.5, 1) }
        func percentile(_ p: Double) -> Double {
            let position = p * Double(sorted.count - 1)
            let low = Int(position.rounded(.down))
            let high = min(low + 1, sorted.count - 1)
            let fraction = position - Double(low)
            return sorted[low] + (sorted[high] - sorted[low]) * fraction
        }
        var (e, c, i) = (percentile(0.1), percentile(0.5), percentile(0.9))
        // Anchors must differ; spread them when the data are flat.
        if !(e < c) { e = c - max(abs(c) * 0.5, 0.01) }
        if !(c < i) { i = c + max(abs(c) * 0.5, 0.01) }
        return (e, c, i)
    }
}
