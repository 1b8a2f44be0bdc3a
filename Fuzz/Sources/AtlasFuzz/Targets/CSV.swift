@testable import AtlasSite
import Foundation

/// The CSV writer of the downloads: the input becomes a table (records split at 0x1E, cells at
/// 0x1F; a cell's first byte picks text, number, integer or empty). The encoded bytes must read
/// back, by the tests' strict RFC 4180 reader, to exactly the cells' field texts, and no text
/// field may start with a formula trigger (by Unicode scalar: what a spreadsheet sees).
enum CSVTarget: FuzzTarget {
    static let name = "csv"

    static func test(_ bytes: UnsafeRawBufferPointer) {
        let records = bytes.split(separator: 0x1E, omittingEmptySubsequences: false)
        guard let first = records.first else { return }
        let header = first.split(separator: 0x1F, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        let rows = records.dropFirst().map { record in
            let cells = record.split(separator: 0x1F, omittingEmptySubsequences: false).map(cell)
            return Array((cells + Array(repeating: .empty, count: max(0, header.count - cells.count))).prefix(header.count))
        }
        let csv = CSVTable(header: header, rows: rows)
        let expected = [header.map { CSVTable.text(of: .text($0)) }] + rows.map { $0.map(CSVTable.text(of:)) }
        let parsed = try? RFC4180.parse(csv.encoded())
        Contract.require(parsed == expected, name, "read back \(parsed.map { "\($0)" } ?? "malformed CSV") instead of \(expected)")
        for (row, fields) in zip([header.map(CSVTable.Cell.text)] + rows, parsed ?? []) {
            for (cell, field) in zip(row, fields) {
                if case .text = cell, let first = field.unicodeScalars.first {
                    Contract.require(!CSVTable.formulaTriggers.contains(first), name, "text field \(field.debugDescription) starts a formula")
                }
            }
        }
    }

    /// A cell from its bytes: the first picks the kind, the rest is the text or the number's bits.
    static func cell(_ bytes: Slice<UnsafeRawBufferPointer>) -> CSVTable.Cell {
        guard let kind = bytes.first else { return .empty }
        let rest = bytes.dropFirst()
        let text = String(decoding: rest, as: UTF8.self)
        switch kind % 4 {
        case 1:
            var bits: UInt64 = 0
            for b in rest.prefix(8) { bits = bits << 8 | UInt64(b) }
            return .number(Double(bitPattern: bits))
        case 2: return .integer(Int(truncatingIfNeeded: rest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }))
        case 3: return .empty
        default: return .text(text)
        }
    }
}
