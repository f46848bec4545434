import Foundation

/// The regions a study compares, with every name they go by, and their groupings.
///
/// Regions are the base level (China's province-level divisions); places (cities,
/// districts, zones) belong to one region; groupings (Pearl River Delta, Western China)
/// gather regions into sets. The format is documented in `docs/gazetteer-format.md`.
public struct Gazetteer: Sendable, Equatable {
    /// The gazetteer's name, as its file gives it.
    public var name: String
    /// The gazetteer's version, if it gives one.
    public var version: String?
    /// The regions (provinces), in file order.
    public var regions: [Region]
    /// Groupings of regions (clusters), each in a set.
    public var groupings: [Grouping]
    /// SHA-256 of the file's bytes.
    public var sha256: String

    /// A region reports count in, with every name it goes by.
    public struct Region: Sendable, Equatable {
        /// The canonical name, used in reports.
        public var name: String
        /// What kind of region it is (`province`, `municipality`).
        public var type: String?
        /// Every name of the region itself (English, pinyin, Chinese …).
        public var names: [String]
        /// Words that name the region as an adjective (`Cantonese`).
        public var adjectives: [String]
        /// The places in the region (cities, districts) whose names place a segment in it.
        public var places: [Place]
    }

    /// A place within a region.
    public struct Place: Sendable, Equatable {
        /// The place's name.
        public var name: String
        /// What kind of place it is (`prefecture`, `city`).
        public var type: String?
        /// Every name the place goes by, in any language.
        public var names: [String]
    }

    /// A named group of regions (the Pearl River Delta), in a set of groupings.
    public struct Grouping: Sendable, Equatable {
        /// The grouping's name.
        public var name: String
        /// The grouping set, e.g. `cluster` or `macro`; a region belongs to at most one
        /// grouping of a set.
        public var set: String
        /// Every name the grouping goes by.
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
    public var nameIndex: [(name: String, region: String)] {
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
