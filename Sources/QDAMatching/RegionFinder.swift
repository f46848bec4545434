import Foundation
public import QDACodebook
package import QDAText

/// Finds the regions a text names, by the same rules as codebook keywords (whole Latin
/// words, Chinese substrings, longest name first).
public struct RegionFinder: Sendable {
    private let terms: TermSet
    private let regions: [String]
    /// Folded name → region, for resolving whole names.
    private let byName: [String: String]

    /// A region named in a text, with the span of the name.
    public struct Mention: Sendable, Equatable {
        /// The region the name belongs to.
        public var region: String
        /// Offsets into the text, in Unicode scalar values.
        public var start: Int
        /// Where the name ends (exclusive), in Unicode scalars.
        public var end: Int
    }

    /// Creates the value from its fields.
    public init(gazetteer: Gazetteer) {
        let index = gazetteer.nameIndex
        terms = TermSet(index.map { $0.name.replacingOccurrences(of: "*", with: "") })
        regions = index.map(\.region)
        var normalizer = TextNormalizer()
        var byName: [String: String] = [:]
        for entry in index {
            let key = String(String.UnicodeScalarView(normalizer.fold(term: entry.name)))
            if byName[key] == nil { byName[key] = entry.region }
        }
        self.byName = byName
    }

    /// The canonical region a whole name stands for (case and width folded), or nil.
    public func resolve(_ name: String) -> String? {
        var normalizer = TextNormalizer()
        return byName[String(String.UnicodeScalarView(normalizer.fold(term: name)))]
    }

    /// Every region `text` names, in text order.
    public func mentions(in text: String) -> [Mention] {
        var normalizer = TextNormalizer()
        return mentions(in: text, normalizer: &normalizer)
    }

    package func mentions(in text: String, normalizer: inout TextNormalizer) -> [Mention] {
        var prepared = terms.prepare(text, normalizer: &normalizer)
        let hits = terms.hits(in: prepared)
        return terms.leftmostLongest(hits) { _ in 0 }.map { hit in
            let span = prepared.originalSpan(hit.start, hit.end)
            return Mention(
                region: regions[terms.terms[hit.term].source], start: span.lowerBound, end: span.upperBound)
        }
    }
}
