package import Foundation
import QDAAnalysis
import QDACorpus
package import QDAText

extension REFIText {
    /// Decodes a plain-text entry (UTF-8, with or without BOM). `path` names the archive
    /// and the entry in errors.
    package init(data: Data, path: String) throws {
        var bytes = [UInt8](data)
        let bom = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        if bom > 0 { bytes.removeFirst(3) }
        guard let raw = String(validating: bytes, as: UTF8.self) else {
            let offset = UTF8Text.firstInvalidByte(bytes) ?? 0
            throw CorpusError.invalidEncoding(
                path: path, byteOffset: offset + bom,
                detail: "byte 0x\(String(bytes[offset], radix: 16, uppercase: true)) (plain-text sources are UTF-8)")
        }
        self.init(raw)
    }

}
