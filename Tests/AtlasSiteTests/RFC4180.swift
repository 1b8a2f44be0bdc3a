import Foundation

/// A strict RFC 4180 reader for tests (and, linked, for the CSV fuzz target): CRLF record ends,
/// quoted fields with doubled quotes, read by Unicode scalar.
enum RFC4180 {
    struct Invalid: Error {}

    static func parse(_ data: Data) throws -> [[String]] {
        let text = String(decoding: data, as: UTF8.self)
        var records: [[String]] = [], record: [String] = [], field = ""
        var index = text.unicodeScalars.startIndex
        let scalars = text.unicodeScalars
        var quoted = false, wasQuoted = false
        while index != scalars.endIndex {
            let c = scalars[index]
            index = scalars.index(after: index)
            if quoted {
                if c == "\"" {
                    if index != scalars.endIndex, scalars[index] == "\"" { field.unicodeScalars.append("\""); index = scalars.index(after: index) }
                    else { quoted = false }
                } else { field.unicodeScalars.append(c) }
            } else if c == "\"" {
                guard field.isEmpty, !wasQuoted else { throw Invalid() }
                quoted = true; wasQuoted = true
            } else if c == "," {
                record.append(field); field = ""; wasQuoted = false
            } else if c == "\r" {
                guard index != scalars.endIndex, scalars[index] == "\n" else { throw Invalid() }
                index = scalars.index(after: index)
                record.append(field); records.append(record); record = []; field = ""; wasQuoted = false
            } else {
                guard c != "\n", !wasQuoted else { throw Invalid() }
                field.unicodeScalars.append(c)
            }
        }
        guard !quoted, record.isEmpty, field.isEmpty else { throw Invalid() }
        return records
    }
}
