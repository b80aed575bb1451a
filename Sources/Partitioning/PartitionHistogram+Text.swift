import Foundation

extension PartitionHistogram {
    /// The histogram in `format`. In `table` and `markdown`, a class the client does not hold is shown as `.`
    /// (held classes show their count, even 0); `csv` and `json` list each client's class set explicitly.
    public func render(_ format: HistogramFormat, normalize: Bool = false) -> String {
        switch format {
        case .table: return table(normalize: normalize, markdown: false)
        case .markdown: return table(normalize: normalize, markdown: true)
        case .csv: return csv(normalize: normalize)
        case .json: return json(normalize: normalize)
        }
    }

    private func table(normalize: Bool, markdown: Bool) -> String {
        var header = ["class", "total"] + clients.map { "client \($0.index)" }
        var rows = [[String]]()
        for (classIndex, name) in classNames.enumerated() {
            let total = totals.classCounts.indices.contains(classIndex) ? String(totals.classCounts[classIndex]) : "?"
            rows.append([name, total] + clients.map { client in
                holds(client, classIndex) ? cellText(client, classIndex, normalize: normalize) : "."
            })
        }
        rows.append(["(no label)", String(totals.emptyLabelSamples)] + clients.map { String($0.emptyLabelSamples) })
        rows.append(["(masked labels)", String(maskedLabels)] + clients.map { String($0.maskedLabels) })
        rows.append(["(samples)", String(totals.kept)] + clients.map { String($0.size) })
        if markdown {
            let lines = [header, header.map { _ in "---" }] + rows
            return lines.map { "| " + $0.joined(separator: " | ") + " |" }.joined(separator: "\n")
                + "\n\n" + summaryLine + "\n"
        }
        header[0] = normalize ? "class (share of client's samples)" : "class (positives)"
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        let lines = all.map { row in
            row.enumerated().map { column, text in
                let pad = String(repeating: " ", count: widths[column] - text.count)
                return column == 0 ? text + pad : pad + text
            }.joined(separator: "  ")
        }
        let rule = String(repeating: "-", count: lines[0].count)
        return ([lines[0], rule] + lines.dropFirst()).joined(separator: "\n") + "\n" + summaryLine + "\n"
    }

    private func csv(normalize: Bool) -> String {
        let header = ["client", "size", "emptyLabelSamples", "maskedLabels", "classSet"]
            + classNames.map(Self.csvField)
        var lines = [header.joined(separator: ",")]
        for client in clients {
            let cells = classNames.indices.map { cellText(client, $0, normalize: normalize) }
            let fields = [String(client.index), String(client.size), String(client.emptyLabelSamples),
                          String(client.maskedLabels), client.classSet.map(String.init).joined(separator: " ")]
            lines.append((fields + cells).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private struct JSONView: Encodable {
        struct Client: Encodable {
            var index: Int
            var size: Int
            var classSet: [Int]
            var values: [Double]
            var emptyLabelSamples: Int
            var maskedLabels: Int
        }
        var classNames: [String]
        var normalized: Bool
        var clients: [Client]
        var dropped: PartitionManifest.Dropped
        var maskedLabels: Int
        var totals: PartitionManifest.Totals
    }

    private func json(normalize: Bool) -> String {
        let view = JSONView(
            classNames: classNames, normalized: normalize,
            clients: clients.map { client in
                JSONView.Client(index: client.index, size: client.size, classSet: client.classSet,
                                values: classNames.indices.map { value(client, $0, normalize: normalize) },
                                emptyLabelSamples: client.emptyLabelSamples, maskedLabels: client.maskedLabels)
            },
            dropped: dropped, maskedLabels: maskedLabels, totals: totals)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(view) else { preconditionFailure("histogram JSON is always encodable") }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
