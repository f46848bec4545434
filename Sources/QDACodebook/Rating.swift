/// A rating on the scale of the research framework's Tab. 1, extended by `--`.
public enum Rating: String, Sendable, Codable, CaseIterable {
    case veryStrong = "++"
    case strong = "+"
    case neutral = "o"
    case weak = "-"
    case veryWeak = "--"

    /// 2 for `++` down to −2 for `--`.
    public var rank: Int {
        switch self {
        case .veryStrong: return 2
        case .strong: return 1
        case .neutral: return 0
        case .weak: return -1
        case .veryWeak: return -2
        }
    }

    /// The rating of a score; thresholds are documented in `docs/methods.md`.
    public init(score: Double) {
        // Symmetric around zero: o is the open interval (−0.25, 0.25).
        if score >= 0.75 {
            self = .veryStrong
        } else if score >= 0.25 {
            self = .strong
        } else if score > -0.25 {
            self = .neutral
        } else if score > -0.75 {
            self = .weak
        } else {
            self = .veryWeak
        }
    }
}
