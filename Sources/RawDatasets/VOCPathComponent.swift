/// Checks that a name taken from a raw dataset (a list entry, a list name, a CSV image name) is one plain file
/// name that cannot leave the dataset root once joined to a folder.
public enum PathComponentCheck {
    /// Why `name` is not a safe single path component, or nil when it is.
    ///
    /// Rejected: empty names, `.` and `..`, any `/` or `\` (so no absolute paths and no nesting), NUL and other
    /// control characters, and leading or trailing whitespace.
    public static func problem(with name: String) -> String? {
        if name.isEmpty { return "is empty" }
        if name == "." || name == ".." { return "is a relative folder reference" }
        for scalar in name.unicodeScalars {
            if scalar == "/" || scalar == "\\" { return "contains a path separator (names must not leave the root)" }
            if scalar.value < 0x20 || scalar.value == 0x7F { return "contains a control character" }
        }
        if name.first?.isWhitespace == true || name.last?.isWhitespace == true {
            return "has leading or trailing whitespace"
        }
        return nil
    }
}
