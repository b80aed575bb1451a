import CommandSupport
import Testing

@Suite("Terminal text")
struct TerminalTextTests {
    struct ListError: Error, CustomStringConvertible {
        var description: String { "train.txt: line 3: \"\u{1B}[2J\u{1B}]0;pwned\u{7}\" is not an image id" }
    }

    /// Before: the ESC sequences of a list file reached the terminal as they were (clearing it here).
    @Test("control characters in an error message are shown as escapes; newlines and tabs stay")
    func escapesControls() {
        let message = ErrorReport(for: ListError()).message
        #expect(!message.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F })
        #expect(message == "error: train.txt: line 3: \"\\e[2J\\e]0;pwned\\u{7}\" is not an image id")
        #expect(TerminalText.escaped("a\tb\nc\r\u{9B}d\u{7F}") == "a\tb\nc\\r\\u{9b}d\\u{7f}")
        #expect(TerminalText.escaped("plain ünïcode") == "plain ünïcode")
    }
}
