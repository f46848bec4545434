import QDAAnalysis
import QDAStore

extension AgreementReport {
    /// Compares `coders` (default: every person who coded; add `auto` to include the
    /// auto-coder) on the codes under `codes` (keys or prefixes; default all) of `project`.
    ///
    /// - Throws: `QDAError.unknownCoder` for a coder with no codings,
    ///   `QDAError.tooFewCoders` when fewer than two are compared.
    init(
        project: Project, coders requested: [String] = [], codes prefixes: [String] = [],
        unit: AgreementUnit = .segment, disagreements listDisagreements: Bool = false
    ) throws {
        let available = try project.coders()
        let coders = requested.isEmpty ? available.filter { $0 != Project.autoCoder } : requested
        for coder in coders where !available.contains(coder) {
            throw QDAError.unknownCoder(coder: coder, coders: available)
        }
        guard Set(coders).count >= 2 else { throw QDAError.tooFewCoders(coders: available) }
        let codes = try project.codes(under: project.resolveCodeFilter(prefixes))
        let (records, documents) = try project.agreementUnits(coders: coders, codes: codes.map(\.id), unit: unit)
        self.init(
            coders: coders, codes: codes.map(\.key), records: records, documents: documents, unit: unit,
            autoCoder: Project.autoCoder, disagreements: listDisagreements,
            documentNames: listDisagreements ? try project.documentNames() : [:])
        let texts = try project.texts(of: disagreements.map { ($0.document, $0.start, $0.end) })
        for i in disagreements.indices { disagreements[i].text = texts[i] }
    }
}
