/// Makes text read from files safe to print on a terminal: every control character (C0 except newline and tab,
/// DEL, and the C1 range U+0080-U+009F) is shown as a visible escape (`\e` for ESC, `\r`, `\u{7}` ...), so a list
/// file holding `ESC [ 2 J` cannot clear or recolour the user's terminal.
///
/// Every `error:` and `warning:` line of the tools goes through `escaped(_:)` (`ErrorReport`, `ProgressOptions.warn`).
public enum TerminalText {
    /// `text` with control characters replaced by visible escapes; unchanged when it holds none.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard isControl(scalar) else {
                result.append(scalar)
                continue
            }
            let visible: String
            switch scalar {
            case "\u{1B}": visible = "\\e"
            case "\r": visible = "\\r"
            case "\0": visible = "\\0"
            default: visible = "\\u{" + String(scalar.value, radix: 16) + "}"
            }
            result.append(contentsOf: visible.unicodeScalars)
        }
        return String(result)
    }

    /// C0 controls other than newline and tab, DEL, and C1 controls.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value == 0x0A || value == 0x09 { return false }
        return value < 0x20 || value == 0x7F || (0x80...0x9F).contains(value)
    }
}
