import Foundation

/// Plain-language text for a JSON decoding error: the field path and what was wrong ("clients[2].size: expected
/// a whole number"), never Swift's internal names (`DecodingError`, `numberIsNotRepresentableInSwift`,
/// `NSCocoaErrorDomain`).
package enum JSONErrorText {
    /// `data` is the JSON that failed: Foundation reports a number it cannot represent (1e300 or 1.5 for an
    /// integer field) as "not valid JSON" without a path, so the path is then found by walking the parsed JSON for
    /// the first number that is not a whole number in `Int`'s range (keys in `fractionalKeys` may hold fractions;
    /// `nil`: fractions may be anywhere, so the field cannot be told and the text says only what kind of value
    /// was wrong). Shared by every JSON reader (partition.json, a run folder's run.json and checkpoint state.json).
    package static func describe(_ error: any Error, data: Data, fractionalKeys: Set<String>? = []) -> String {
        guard let decoding = error as? DecodingError else { return "is not valid JSON" }
        if case let .dataCorrupted(context) = decoding, context.codingPath.isEmpty {
            guard let object = try? JSONSerialization.jsonObject(with: data) else { return "is not valid JSON" }
            guard let fractionalKeys else {
                return "holds a number out of range, or a fraction where a whole number belongs"
            }
            guard let path = firstNonInteger(in: object, path: [], fractionalKeys: fractionalKeys) else {
                return "holds a value of the wrong kind or out of range"
            }
            return "\(path.isEmpty ? "the top level" : path.joined()) is out of range (expected a whole number)"
        }
        switch decoding {
        case let .typeMismatch(type, context):
            return "\(field(context.codingPath)) has the wrong type (expected \(typeName(type)))"
        case let .valueNotFound(type, context):
            return "\(field(context.codingPath)) has the wrong type (expected \(typeName(type)), found null)"
        case let .keyNotFound(key, context):
            return "\(field(context.codingPath + [key])) is missing"
        case let .dataCorrupted(context):
            if context.codingPath.isEmpty { return "is not valid JSON" }
            let detail = context.debugDescription.contains("Swift") || context.debugDescription.contains("NS")
                ? "a value out of range or of the wrong kind" : context.debugDescription
            return "\(field(context.codingPath)) has an invalid value (\(detail))"
        @unknown default:
            return "is not valid JSON"
        }
    }

    /// The path (`["clients", "[2]", ".size"]` joined) of the first number that is fractional or beyond `Int`.
    private static func firstNonInteger(in value: Any, path: [String], fractionalKeys: Set<String>) -> [String]? {
        if let object = value as? [String: Any] {
            for key in object.keys.sorted() where !fractionalKeys.contains(key) {
                let step = path.isEmpty ? key : "." + key
                if let found = firstNonInteger(in: object[key]!, path: path + [step], fractionalKeys: fractionalKeys) {
                    return found
                }
            }
            return nil
        }
        if let list = value as? [Any] {
            for (index, element) in list.enumerated() {
                if let found = firstNonInteger(in: element, path: path + ["[\(index)]"], fractionalKeys: fractionalKeys) {
                    return found
                }
            }
            return nil
        }
        guard let number = value as? NSNumber else { return nil }
        let double = number.doubleValue
        let whole = double.rounded() == double && double >= -9.223372036854775808e18 && double < 9.223372036854775807e18
        return whole ? nil : path
    }

    /// `clients[2].size` from a coding path.
    private static func field(_ path: [any CodingKey]) -> String {
        guard !path.isEmpty else { return "the top level" }
        var text = ""
        for key in path {
            if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
        }
        return text
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is UInt64.Type: return "a whole number in range"
        case is Double.Type: return "a number"
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        default: return type is any Collection.Type ? "a list" : "an object"
        }
    }
}
