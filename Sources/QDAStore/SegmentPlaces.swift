import Foundation
import QDAAnalysis
import QDACodebook
import QDACorpus
import QDAFormats
import QDAMatching
import QDAText

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
