// The facade's clients (the CLI, tests, a server) see the value types of the parts it is
// made of: a codebook, a rating, a gazetteer, a text rule, a report, a format.
@_exported import QDAAnalysis
@_exported import QDACodebook
@_exported import QDACorpus
@_exported import QDAFormats
@_exported import QDAMatching
@_exported import QDAStore
@_exported import QDAText
