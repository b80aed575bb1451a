/// Formatting of progress lines: counts with thousands separators, rate per second, ETA as h:mm:ss.
public enum ProgressLine {
    /// `label: 1,234/5,000 (24.7%)  308.5 images/s  ETA 0:00:12` (no total: `label: 1,234  308.5 images/s`).
    public static func running(label: String, completed: Int, total: Int?, unit: String, elapsed: Double) -> String {
        var line = "\(label): " + counts(completed: completed, total: total)
        let rate = elapsed > 0 ? Double(completed) / elapsed : 0
        if completed > 0, elapsed > 0 {
            line += "  " + decimal(rate) + " \(unit)/s"
        }
        if let total, rate > 0, total >= completed {
            line += "  ETA " + duration(Double(total - completed) / rate)
        }
        return line
    }

    /// `label: 5,000/5,000 (100.0%)  308.5 images/s  in 0:00:16`.
    public static func finished(label: String, completed: Int, total: Int?, unit: String, elapsed: Double) -> String {
        var line = "\(label): " + counts(completed: completed, total: total)
        if elapsed > 0 { line += "  " + decimal(Double(completed) / elapsed) + " \(unit)/s" }
        return line + "  in " + duration(elapsed)
    }

    /// `1,234/5,000 (24.7%)`, or `1,234` without a total.
    static func counts(completed: Int, total: Int?) -> String {
        guard let total else { return grouped(completed) }
        let percent = total > 0 ? 100 * Double(completed) / Double(total) : 100
        return grouped(completed) + "/" + grouped(total) + " (" + oneDecimal(percent) + "%)"
    }

    /// `1234567` -> `"1,234,567"`.
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return (value < 0 ? "-" : "") + result
    }

    /// One decimal place with grouping: `1234.56` -> `"1,234.6"`.
    static func decimal(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        let tenths = Int((value * 10).rounded())
        return grouped(tenths / 10) + "." + String(tenths % 10)
    }

    static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return String(tenths / 10) + "." + String(tenths % 10)
    }

    /// Seconds as `h:mm:ss` (`3725` -> `"1:02:05"`).
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "-:--:--" }
        let whole = Int(seconds.rounded())
        let hours = whole / 3600
        let minutes = (whole % 3600) / 60
        let rest = whole % 60
        return "\(hours):" + (minutes < 10 ? "0" : "") + "\(minutes):" + (rest < 10 ? "0" : "") + "\(rest)"
    }
}
