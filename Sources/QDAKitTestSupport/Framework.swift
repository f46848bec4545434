/// The research framework the demo corpus encodes (../shared/framework.md; Liefner &
/// Kroll 2019): what a report of the bundled corpus, codebook and gazetteer must show.
public enum Framework {
    /// The three rated rows of Tab. 1 (rank: ++ = 2, + = 1, o = 0, - = -1).
    public static let table1: [String: [String: Int]] = [
        "technology": ["Beijing": 2, "Shanghai": 2, "Guangdong": 2, "Zhejiang": 1, "Chongqing": 0, "Guizhou": -1],
        "market": ["Beijing": 1, "Shanghai": 2, "Guangdong": 2, "Zhejiang": 2, "Chongqing": 0, "Guizhou": -1],
        "mindset": ["Beijing": 1, "Shanghai": 2, "Guangdong": 2, "Zhejiang": 1, "Chongqing": 0, "Guizhou": -1],
    ]

    /// Tab. 2: the prevalent types of innovation per region.
    public static let table2: [String: Set<String>] = [
        "Beijing": ["science-driven", "user-driven"], "Shanghai": ["science-driven", "user-driven"],
        "Guangdong": ["cost-oriented", "user-driven", "grassroots"], "Zhejiang": ["cost-oriented", "grassroots"],
        "Chongqing": [], "Guizhou": [],
    ]
}
