import Foundation
import QDAText

/// The regions a study compares, with every name they go by, and their groupings.
///
/// Regions are the base level (China's province-level divisions); places (cities,
/// districts, zones) belong to one region; groupings (Pearl River Delta, Western China)
/// gather regions into sets. The format is documented in `docs/gazetteer-format.md`.
public struct Gazetteer: Sendable, Equatable {
    public var name: String
    public var version: String?
    public var regions: [Region]
    public var groupings: [Grouping]
    /// SHA-256 of the file's bytes.
    public var sha256: String

    public struct Region: Sendable, Equatable {
        /// The canonical name, used in reports.
        public var name: String
        public var type: String?
        /// Every name of the region itself (English, pinyin, Chinese …).
        public var names: [String]
        public var adjectives: [String]
        public var places: [Place]
    }

    public struct Place: Sendable, Equatable {
        public var name: String
        public var type: String?
        public var names: [String]
    }

    public struct Grouping: Sendable, Equatable {
        public var name: String
        /// The grouping set, e.g. `cluster` or `macro`; a region belongs to at most one
        /// grouping of a set.
        public var set: String
        public var names: [String]
        /// Canonical names of the member regions.
        public var members: [String]
    }

    /// The grouping sets in the order they first appear; the first is the default.
    public var groupingSets: [String] {
        var seen: [String] = []
        for grouping in groupings where !seen.contains(grouping.set) { seen.append(grouping.set) }
        return seen
    }

    /// Every name that resolves to a region, with the region's canonical name: region
    /// names and adjectives, the `names` of places (a place's `name` is only its label),
    /// and groupings with a single member.
    var nameIndex: [(name: String, region: String)] {
        var index: [(String, String)] = []
        for region in regions {
            for name in [region.name] + region.names + region.adjectives { index.append((name, region.name)) }
            for place in region.places {
                for name in place.names { index.append((name, region.name)) }
            }
        }
        for grouping in groupings where grouping.members.count == 1 {
            for name in [grouping.name] + grouping.names { index.append((name, grouping.members[0])) }
        }
        return index
    }

}

/// What places one segment's text names: every place name with its span and spelling,
/// and (where the subject rule applies, `Project.attributeRegions`) the regions its
/// sentences are about. Found by the reading workers while a document is ingested, or
/// from the stored text when the gazetteer changes.
struct SegmentPlaces: Sendable, Equatable {
    /// Offsets into the segment, in Unicode scalars.
    var mentions: [RegionFinder.Mention] = []
    /// Each mention as written.
    var names: [String] = []
    var subjects: [String] = []

    /// The places of a segment of a document of `kind`; `counted` is false for interviewer
    /// turns. The sentences' subjects are found only outside interviews, for counted segments.
    init(text: String, kind: DocumentKind, counted: Bool, finder: RegionFinder, normalizer: inout TextNormalizer) {
        mentions = finder.mentions(in: text, normalizer: &normalizer)
        guard !mentions.isEmpty else { return }
        let scalars = Array(text.unicodeScalars)
        names = mentions.map { String(String.UnicodeScalarView(scalars[$0.start..<$0.end])) }
        if kind != .interview && counted { subjects = Project.sentenceSubjects(mentions, in: scalars) }
    }
}

/// Finds the regions a text names, by the same rules as codebook keywords (whole Latin
/// words, Chinese substrings, longest name first).
public struct RegionFinder: Sendable {
    private let terms: TermSet
    private let regions: [String]
    /// Folded name → region, for resolving whole names.
    private let byName: [String: String]

    /// A region named in a text, with the span of the name.
    public struct Mention: Sendable, Equatable {
        public var region: String
        /// Offsets into the text, in Unicode scalar values.
        public var start: Int
        public var end: Int
    }

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

    func mentions(in text: String, normalizer: inout TextNormalizer) -> [Mention] {
        var prepared = terms.prepare(text, normalizer: &normalizer)
        let hits = terms.hits(in: prepared)
        return terms.leftmostLongest(hits) { _ in 0 }.map { hit in
            let span = prepared.originalSpan(hit.start, hit.end)
            return Mention(
                region: regions[terms.terms[hit.term].source], start: span.lowerBound, end: span.upperBound)
        }
    }
}
