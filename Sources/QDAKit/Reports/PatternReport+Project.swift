import Foundation
import QDAAnalysis
import QDAStore

extension PatternReport {
    /// Rates every region of `project` on every factor group and code, and applies the
    /// codebook's typology; with `ratingQuotes`, finds the quotes behind every group rating
    /// too (the typology's evidence is always quoted).
    init(
        project: Project, level: RegionLevel = .region, minimumSegments: Int = PatternReport.defaultMinimumSegments,
        ratingQuotes: Bool = true
    ) throws {
        let (codeList, totals, aggregates) = try (
            project.codes(), project.regionTotals(level: level), project.codeAggregates(level: level)
        )
        let groups = RegionMatrix(codes: codeList, totals: totals, aggregates: aggregates, columns: .group)
        let codes = RegionMatrix(codes: codeList, totals: totals, aggregates: aggregates, columns: .code)
        let codebook = try project.currentCodebook()
        let name = codebook.map { [$0.name, $0.version].compactMap { $0 }.joined(separator: " ") }
        self.init(
            groups: groups, codes: codes, typology: codebook?.typology ?? [], codebook: name, level: level,
            minimumSegments: minimumSegments)
        attribution = try project.regionAttribution()
        if level == .region {
            // Coded prose sentences behind each cell.
            let sentences = try project.codedProseSentences()
            for r in regions.indices {
                guard let counts = sentences[regions[r].region] else { continue }
                for key in regions[r].factors.keys { regions[r].factors[key]!.sentences = counts[key] }
                for key in regions[r].codes.keys { regions[r].codes[key]!.sentences = counts[key] }
            }
        }
        // The strongest quotes behind each group's rating, every region of a group at once.
        for group in self.groups where ratingQuotes {
            var signs: [String: Int] = [:]
            for region in regions {
                if let rating = region.factors[group]?.rating { signs[region.region] = rating.rank.signum() }
            }
            let quotes = try project.quotes(
                code: group, signs: signs, level: level, limit: PatternReport.quotesPerRating)
            for r in regions.indices where regions[r].factors[group] != nil {
                regions[r].factors[group]!.quotes = quotes[regions[r].region] ?? []
            }
        }
        // Quotes for the evidence: the segments that carry each code condition's rating
        // (a whole group's quotes would say little about the type).
        let conditionKeys = Set(regions.flatMap { region in region.types.flatMap { type in type.evidence.map(\.key) } })
            .filter {
                $0.contains(".")
            }
        let evidenceQuotes = try quotes(
            for: conditionKeys.sorted(), project: project, level: level, limit: PatternReport.quotesPerCondition)
        for r in regions.indices {
            for t in regions[r].types.indices {
                for e in regions[r].types[t].evidence.indices {
                    let key = regions[r].types[t].evidence[e].key
                    regions[r].types[t].evidence[e].quotes = evidenceQuotes[regions[r].region]?[key] ?? []
                }
            }
        }
    }

    /// The strongest quotes for each of `keys` (groups or codes) in every rated region
    /// where it has coded segments, ranked by that region's rating of it: region → key →
    /// quotes. One query per key.
    func quotes(for keys: [String], project: Project, level: RegionLevel, limit: Int) throws
        -> [String: [String: [Quote]]]
    {
        var result: [String: [String: [Quote]]] = [:]
        for key in keys {
            var signs: [String: Int] = [:]
            for region in regions {
                if let rating = (region.factors[key] ?? region.codes[key])?.rating {
                    signs[region.region] = rating.rank.signum()
                }
            }
            for (region, quotes) in try project.quotes(code: key, signs: signs, level: level, limit: limit) {
                result[region, default: [:]][key] = quotes
            }
        }
        return result
    }
}
