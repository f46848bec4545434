// qda-bench: measures QDAKit's matching engine against the peers in ../shared/bench.
//
//   qda-bench match CODEBOOK.json CORPUS.txt [-o OUT.tsv] [--threads N]
//
// prints the per-code TSV (`code<TAB>matches<TAB>paragraphs`) with the peers' semantics,
// and its phases on standard error. Run Benchmarks/run.sh for the comparison.
import Foundation
import QDAKit
import QDAMatching

struct Usage: Error, CustomStringConvertible {
    var description: String
}

func loadKeywords(_ path: String) throws -> [CorpusCounter.Keyword] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
        let codes = root["codes"] as? [[String: Any]]
    else { throw Usage(description: "\(path): expected a codebook JSON with a 'codes' list") }
    var keywords: [CorpusCounter.Keyword] = []
    for code in codes {
        guard let id = code["id"] as? Int, let words = code["keywords"] as? [String] else {
            throw Usage(description: "\(path): every code needs an integer 'id' and a 'keywords' list")
        }
        keywords += words.map { CorpusCounter.Keyword(code: id, text: $0) }
    }
    return keywords
}

func match(_ arguments: [String]) throws {
    var positional: [String] = []
    var output = "-"
    var threads = ProcessInfo.processInfo.activeProcessorCount
    var i = 0
    while i < arguments.count {
        switch arguments[i] {
        case "-o", "--out":
            i += 1
            guard i < arguments.count else { throw Usage(description: "-o needs a file") }
            output = arguments[i]
        case "--threads":
            i += 1
            guard i < arguments.count, let n = Int(arguments[i]), n > 0 else {
                throw Usage(description: "--threads needs a positive number")
            }
            threads = n
        default:
            positional.append(arguments[i])
        }
        i += 1
    }
    guard positional.count == 2 else {
        throw Usage(description: "usage: qda-bench match CODEBOOK.json CORPUS.txt [-o OUT] [--threads N]")
    }
    let clock = ContinuousClock()
    let t0 = clock.now
    let counter = try CorpusCounter(keywords: loadKeywords(positional[0]))
    let t1 = clock.now
    let (counts, bytes) = try counter.count(path: positional[1], threads: threads)
    let t2 = clock.now
    if output == "-" {
        FileHandle.standardOutput.write(Data(counts.tsv.utf8))
    } else {
        try Data(counts.tsv.utf8).write(to: URL(fileURLWithPath: output))
    }
    func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
    let scan = seconds(t2 - t1)
    FileHandle.standardError.write(
        Data(
            String(
                format:
                    "qda-bench: bytes=%d total_matches=%d codes_hit=%d build_s=%.3f read+scan_s=%.3f scan_MBps=%.1f threads=%d\n",
                bytes, counts.total, counts.matches.count, seconds(t1 - t0), scan, Double(bytes) / 1e6 / scan, threads
            ).utf8))
}

/// Minimises a truth table written by Benchmarks/qca_table.py: complex and parsimonious
/// solutions, every minimal cover; prints them and the time on standard error.
func qca(_ arguments: [String]) throws {
    guard let path = arguments.first else { throw Usage(description: "usage: qda-bench qca TABLE.json") }
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any], let k = root["conditions"] as? Int,
        let positive = root["positive"] as? [Int], let dontCare = root["dontcare"] as? [Int]
    else { throw Usage(description: "\(path): expected {conditions, positive, dontcare}") }
    let names = (0..<k).map { "C\($0)" }
    let t0 = DispatchTime.now().uptimeNanoseconds
    let complex = Minimizer.minimize(conditions: k, positive: positive)
    let parsimonious = Minimizer.minimize(conditions: k, positive: positive, dontCare: dontCare)
    let t1 = DispatchTime.now().uptimeNanoseconds
    for (label, result) in [("complex", complex), ("parsimonious", parsimonious)] {
        let models = result.models.map { $0.map { $0.expression(names) }.joined(separator: " + ") }
        print(label, "primes=\(result.primeImplicants.count)", "models=\(models.count)", models.first ?? "")
    }
    FileHandle.standardError.write(
        Data(
            String(
                format: "qda-bench: conditions=%d positive=%d remainders=%d minimise_s=%.4f\n", k,
                positive.count, dontCare.count, Double(t1 - t0) / 1e9
            ).utf8))
}

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    guard let command = arguments.first else {
        throw Usage(description: "usage: qda-bench match CODEBOOK.json CORPUS.txt [-o OUT] [--threads N]")
    }
    switch command {
    case "match": try match(Array(arguments.dropFirst()))
    case "qca": try qca(Array(arguments.dropFirst()))
    default: throw Usage(description: "unknown command '\(command)'; try: qda-bench match CODEBOOK.json CORPUS.txt")
    }
} catch {
    FileHandle.standardError.write(Data("qda-bench: \(error)\n".utf8))
    exit(1)
}
