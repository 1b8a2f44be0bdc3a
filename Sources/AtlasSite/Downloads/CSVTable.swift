import Foundation

/// A table written as CSV by RFC 4180 and safe to open in a spreadsheet. Pure.
///
/// - Records end with CRLF, including the last; the first record is the header; UTF-8 without
///   a byte-order mark.
/// - A field is quoted when it contains a comma, a double quote, CR or LF; a double quote
///   inside is doubled. Other fields are written as they are.
/// - Formula injection (CWE-1236): a text field (token strings, labels, …) that starts with
///   `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so Excel, LibreOffice
///   and Google Sheets show it as text instead of evaluating it. Numbers are typed cells and are
///   never prefixed (`-3.5` stays a number). The JSON downloads keep every string exactly.
/// - Numbers use Swift's shortest round-trip form (`1200.0`, `1.5e-05`); non-finite values are
///   `nan`, `inf`, `-inf`; a missing value is an empty field.
struct CSVTable: Sendable {
    enum Cell: Sendable, Equatable {
        case text(String)
        case number(Double)
        case integer(Int)
        case empty
    }

    /// Characters that make a spreadsheet read a leading text cell as a formula. Compared by
    /// Unicode scalar: `=` followed by a combining mark is one `Character` but still starts a formula.
    static let formulaTriggers: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    var header: [String]
    var rows: [[Cell]]

    /// The CSV bytes.
    func encoded() -> Data {
        var text = Self.record(header.map(Cell.text))
        for row in rows { text += Self.record(row) }
        return Data(text.utf8)
    }

    static func record(_ cells: [Cell]) -> String {
        cells.map { quoted(text(of: $0)) }.joined(separator: ",") + "\r\n"
    }

    /// The field text of a cell before quoting (text cells neutralized).
    static func text(of cell: Cell) -> String {
        switch cell {
        case let .text(value): neutralized(value)
        case let .number(value): value.description
        case let .integer(value): String(value)
        case .empty: ""
        }
    }

    /// `'` + text when it starts with a formula trigger, else the text unchanged.
    static func neutralized(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, formulaTriggers.contains(first) else { return value }
        return "'" + value
    }

    /// RFC 4180 quoting: only fields with `,` `"` CR or LF are quoted; `"` is doubled. By Unicode
    /// scalar, since a reader splits bytes: a quote or comma followed by a combining mark is one
    /// `Character` that compares unequal to `"` or `,` (found by the CSV fuzz target).
    static func quoted(_ field: String) -> String {
        let special: Set<Unicode.Scalar> = [",", "\"", "\r", "\n"]
        guard field.unicodeScalars.contains(where: special.contains) else { return field }
        var out = String.UnicodeScalarView()
        out.append("\"")
        for scalar in field.unicodeScalars {
            out.append(scalar)
            if scalar == "\"" { out.append(scalar) }
        }
        out.append("\"")
        return String(out)
    }
}
