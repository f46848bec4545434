/// What a region × code cell counts.
public enum MatrixMeasure: String, Sendable, CaseIterable, Codable {
    /// Segments coded with the code (or a sub-code).
    case segments
    /// Documents with at least one such segment.
    case documents
    /// Coded segments as a share of all the region's segments.
    case share
    /// Net valence: (positive − negative coded segments) / coded segments, in [−1, 1].
    case valence
    /// Coded segments per 1,000 words of the region's segments.
    case density
    /// 1 where the code has any coded segment, else 0: the case-by-code table for QCA and R.
    case presence
}

/// Whether matrix columns are codes or factor groups.
public enum MatrixColumns: String, Sendable, CaseIterable {
    case code
    case group
}

/// The region × code (or region × group) matrix of coded evidence.
public struct RegionMatrix: Sendable, Equatable {
    /// One cell's numbers; every measure is kept so any can be shown. Values are exact;
    /// JSON rounds them to four decimals.
    public struct Cell: Sendable, Equatable, Encodable {
        /// Segments coded with the code (or a sub-code).
        public var segments: Int
        /// Documents with such a segment.
        public var documents: Int
        /// Coded segments as a share of the row's segments.
        public var share: Double
        /// nil where nothing is coded.
        public var valence: Double?
        /// Coded segments per 1,000 words of the row's segments (0 when it has no words).
        public var density: Double = 0
        /// True when `--min-documents` hides the cell: fewer documents than asked.
        public var hidden = false

        /// Creates the value from its fields.
        public init(segments: Int, documents: Int, share: Double, valence: Double?, density: Double = 0) {
            self.segments = segments
            self.documents = documents
            self.share = share
            self.valence = valence
            self.density = density
        }

        /// 1 where anything is coded.
        public var presence: Int { segments > 0 ? 1 : 0 }

        enum CodingKeys: String, CodingKey {
            case segments, documents, share, valence, density, presence, hidden
        }

        /// Encodes the fields as the JSON output contract has them (docs/formats.md).
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(segments, forKey: .segments)
            try container.encode(documents, forKey: .documents)
            try container.encode(rounded(share), forKey: .share)
            try container.encode(valence.map(rounded), forKey: .valence)
            try container.encode(rounded(density), forKey: .density)
            try container.encode(presence, forKey: .presence)
            if hidden { try container.encode(hidden, forKey: .hidden) }
        }

        /// The measure's value; nil for a hidden cell or an undefined valence.
        public func value(_ measure: MatrixMeasure) -> Double? {
            guard !hidden else { return nil }
            switch measure {
            case .segments: return Double(segments)
            case .documents: return Double(documents)
            case .share: return share
            case .valence: return valence
            case .density: return density
            case .presence: return Double(presence)
            }
        }
    }

    /// The rows: regions (or attribute values) with their totals.
    public var regions: [RegionTotals]
    /// What the rows are ("region", or a document attribute such as "role").
    public var dimension = "region"
    /// The columns: codes or groups.
    public var columns: [CodeInfo]
    /// `cells[row][column]`, rows as `regions`, columns as `columns`.
    public var cells: [[Cell]]
    /// Per row: its segments coded with any column's code (each segment once).
    public var rowTotals: [Cell] = []
    /// Per column: the code's coded segments over all rows (each segment once).
    public var columnTotals: [Cell] = []
    /// Segments coded with any column's code, over all rows.
    public var total: Cell?
    /// Cells backed by fewer documents than this (but some) are hidden (0: none).
    public var minimumDocuments = 0

    /// Adds the row and column totals: `totals` counts each segment once per row and once
    /// over all rows (`overall`: the countable segments of the whole project), so a segment
    /// in two regions counts in both rows but once in the totals.
    public mutating func addTotals(_ totals: CodeTotals, overall: RegionTotals) {
        rowTotals = regions.map { region in
            totals.rows.first { $0.region == region.region }.map { Cell($0, region: region) }
                ?? Cell(segments: 0, documents: 0, share: 0, valence: nil)
        }
        columnTotals = self.columns.map { column in
            totals.columns.first { $0.code == column.key }.map { Cell($0, region: overall) }
                ?? Cell(segments: 0, documents: 0, share: 0, valence: nil)
        }
        total = Cell(totals.all, region: overall)
    }

    /// Hides the cells backed by fewer than `minimumDocuments` documents.
    public mutating func hideThinCells(minimumDocuments: Int) {
        self.minimumDocuments = minimumDocuments
        guard minimumDocuments > 0 else { return }
        for row in cells.indices {
            // An empty cell is not thin evidence but none: it stays 0.
            for column in cells[row].indices
            where cells[row][column].documents > 0 && cells[row][column].documents < minimumDocuments {
                cells[row][column].hidden = true
            }
        }
    }

    /// How many cells `--min-documents` hides.
    public var hiddenCells: Int { cells.reduce(0) { $0 + $1.filter(\.hidden).count } }

    /// Builds the matrix from numbers already read, so that several matrices share one query.
    public init(codes: [CodeInfo], totals: [RegionTotals], aggregates: [CodeAggregate], columns: MatrixColumns) {
        let shown = codes.filter { columns == .group ? $0.depth == 0 : $0.depth > 0 }
        self.columns = shown
        regions = totals
        var byKey: [String: [String?: CodeAggregate]] = [:]
        for aggregate in aggregates {
            byKey[aggregate.code, default: [:]][aggregate.region] = aggregate
        }
        cells = regions.map { region in
            shown.map { column in
                guard let aggregate = byKey[column.key]?[region.region] else {
                    return Cell(segments: 0, documents: 0, share: 0, valence: nil, density: 0)
                }
                return Cell(aggregate, region: region)
            }
        }
    }
}

extension RegionMatrix.Cell {
    init(_ aggregate: CodeAggregate, region: RegionTotals) {
        self.init(
            segments: aggregate.segments, documents: aggregate.documents,
            share: region.segments == 0 ? 0 : Double(aggregate.segments) / Double(region.segments),
            valence: aggregate.segments == 0
                ? nil : Double(aggregate.positive - aggregate.negative) / Double(aggregate.segments),
            density: region.words == 0 ? 0 : Double(aggregate.segments) * 1000 / Double(region.words))
    }
}

/// Rounds to four decimals for output, so reports are the same bytes on every machine.
package func rounded(_ value: Double) -> Double {
    (value * 10_000).rounded() / 10_000
}
