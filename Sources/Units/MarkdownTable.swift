/// A markdown table built row by row, with cells escaped and columns aligned for people reading the raw file.
public struct MarkdownTable {
    public var header: [String]
    public var rows: [[String]] = []
    /// Columns aligned right (numbers).
    public var rightAligned: Set<Int>

    public init(header: [String], rightAligned: Set<Int> = []) {
        self.header = header
        self.rightAligned = rightAligned
    }

    public mutating func add(_ row: [String]) {
        rows.append(row)
    }

    public func render() -> String {
        let all = [header] + rows
        var widths = Array(repeating: 3, count: header.count)
        for row in all {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], MarkdownTable.escape(cell).count)
            }
        }
        func line(_ cells: [String]) -> String {
            let padded = (0..<header.count).map { index -> String in
                let cell = MarkdownTable.escape(index < cells.count ? cells[index] : "")
                let pad = String(repeating: " ", count: widths[index] - cell.count)
                return rightAligned.contains(index) ? pad + cell : cell + pad
            }
            return "| " + padded.joined(separator: " | ") + " |"
        }
        let rule = "| " + (0..<header.count).map { index -> String in
            let dashes = String(repeating: "-", count: widths[index] - 1)
            return rightAligned.contains(index) ? dashes + ":" : dashes + "-"
        }.joined(separator: " | ") + " |"
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    static func escape(_ text: String) -> String {
        text.replacingAll("|", with: "\\|").replacingAll("\n", with: " ")
    }
}

extension String {
    package func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        return split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
