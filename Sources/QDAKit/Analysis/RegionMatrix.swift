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
        public var segments: Int
        public var documents: Int
        public var share: Double
        /// nil where nothing is coded.
        public var valence: Double?

        public init(segments: Int, documents: Int, share: Double, valence: Double?) {
            self.segments = segments
            self.documents = documents
            self.share = share
            self.valence = valence
        }

        enum CodingKeys: String, CodingKey {
            case segments, documents, share, valence
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(segments, forKey: .segments)
            try container.encode(documents, forKey: .documents)
            try container.encode(rounded(share), forKey: .share)
            try container.encode(valence.map(rounded), forKey: .valence)
        }

        public func value(_ measure: MatrixMeasure) -> Double? {
            switch measure {
            case .segments: return Double(segments)
            case .documents: return Double(documents)
            case .share: return share
            case .valence: return valence
            }
        }
    }

    public var regions: [RegionTotals]
    /// What the rows are ("region", or a document attribute such as "role").
    public var dimension = "region"
    public var columns: [CodeInfo]
    /// `cells[row][column]`, rows as `regions`, columns as `columns`.
    public var cells: [[Cell]]

    /// Builds the matrix from the project's codings.
    public init(project: Project, columns: MatrixColumns, level: RegionLevel = .region) throws {
        try self.init(
            codes: project.codes(), totals: project.regionTotals(level: level),
            aggregates: project.codeAggregates(level: level), columns: columns)
        dimension = level.dimension
    }

    /// Builds the matrix from numbers already read, so that several matrices share one query.
    init(codes: [CodeInfo], totals: [RegionTotals], aggregates: [CodeAggregate], columns: MatrixColumns) {
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
                    return Cell(segments: 0, documents: 0, share: 0, valence: nil)
                }
                return Cell(aggregate, regionSegments: region.segments)
            }
        }
    }
}

extension RegionMatrix.Cell {
    init(_ aggregate: CodeAggregate, regionSegments: Int) {
        self.init(
            segments: aggregate.segments, documents: aggregate.documents,
            share: regionSegments == 0 ? 0 : Double(aggregate.segments) / Double(regionSegments),
            valence: aggregate.segments == 0
                ? nil : Double(aggregate.positive - aggregate.negative) / Double(aggregate.segments))
    }
}

/// Rounds to four decimals for output, so reports are the same bytes on every machine.
func rounded(_ value: Double) -> Double {
    (value * 10_000).rounded() / 10_000
}
