import AtlasResults
import Foundation

/// Human progress on stderr: a redrawn line on a terminal, plain lines in CI logs. Labels and
/// notes quote input (model labels, paths), so they are escaped to one line (`MessageText`).
struct Progress {
    let label: String
    private let isTTY = isatty(STDERR_FILENO) == 1

    init(_ label: String) { self.label = MessageText.escaped(label) }

    func update(_ done: Int, _ total: Int) {
        if isTTY {
            let width = 30, filled = total > 0 ? done * width / total : width
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            write("\r\(label) [\(bar)] \(done)/\(total)" + (done == total ? "\n" : ""))
        } else if done == total || done == 1 || done % 10 == 0 {
            write("\(label): \(done)/\(total) windows\n")
        }
    }

    func note(_ message: String) { write(MessageText.escaped(message) + "\n") }

    private func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }
}
