/// A file's header: metadata plus each tensor's dtype, shape and data offsets.
///
/// Layout rules (the bytes are deterministic: same tensors and metadata, same file):
/// - Data order: tensors sorted by dtype width descending, then by name (UTF-8 byte order), back to back with no
///   gaps. Since the data section starts at a multiple of 64, every tensor is then aligned to its element width.
/// - JSON: object keys in UTF-8 byte order at every level (`__metadata__` among them), no whitespace, then spaces
///   so that `8 + headerByteCount` is a multiple of `Safetensors.dataAlignment` (64).
package struct SafetensorsHeader: Sendable, Equatable {
    /// `__metadata__`; empty means the key is omitted.
    package var metadata: [String: String]
    /// Every tensor by name.
    package var tensors: [String: TensorInfo]

    package init(metadata: [String: String], tensors: [String: TensorInfo]) {
        self.metadata = metadata
        self.tensors = tensors
    }

    /// Assigns data offsets to `tensors` (name, dtype, shape) in the layout's data order.
    package static func layout(metadata: [String: String],
                               tensors: [(name: String, dtype: TensorDType, shape: [Int])]) -> SafetensorsHeader {
        let ordered = tensors.sorted { lhs, rhs in
            if lhs.dtype.byteWidth != rhs.dtype.byteWidth { return lhs.dtype.byteWidth > rhs.dtype.byteWidth }
            return lhs.name.utf8.lexicographicallyPrecedes(rhs.name.utf8)
        }
        var infos = [String: TensorInfo]()
        var offset = 0
        for tensor in ordered {
            precondition(tensor.name != Safetensors.metadataKey, "a tensor may not be called \(Safetensors.metadataKey)")
            precondition(infos[tensor.name] == nil, "duplicate tensor name \(tensor.name)")
            precondition(tensor.shape.allSatisfy { $0 >= 0 }, "negative dimension in \(tensor.name) \(tensor.shape)")
            let byteCount = tensor.shape.reduce(1, *) * tensor.dtype.byteWidth
            infos[tensor.name] = TensorInfo(dtype: tensor.dtype, shape: tensor.shape,
                                            dataOffsets: offset..<(offset + byteCount))
            offset += byteCount
        }
        return SafetensorsHeader(metadata: metadata, tensors: infos)
    }

    /// Tensor names in the order their bytes appear in the data section.
    package var dataOrder: [String] {
        tensors.sorted { $0.value.dataOffsets.lowerBound < $1.value.dataOffsets.lowerBound
            || ($0.value.dataOffsets.lowerBound == $1.value.dataOffsets.lowerBound
                && $0.value.dataOffsets.upperBound < $1.value.dataOffsets.upperBound) }
            .map(\.key)
    }

    /// Size of the data section: the largest end offset.
    package var dataByteCount: Int {
        tensors.values.map(\.dataOffsets.upperBound).max() ?? 0
    }

    /// The 8-byte little-endian length followed by the space-padded JSON: everything before the data section.
    package func encodedPrefix() -> [UInt8] {
        var json = encodedJSON()
        let unpadded = 8 + json.count
        let padded = (unpadded + Safetensors.dataAlignment - 1) / Safetensors.dataAlignment * Safetensors.dataAlignment
        json.append(contentsOf: repeatElement(UInt8(ascii: " "), count: padded - unpadded))
        var prefix = [UInt8]()
        prefix.reserveCapacity(padded)
        let length = UInt64(json.count)
        for shift in stride(from: 0, to: 64, by: 8) { prefix.append(UInt8(truncatingIfNeeded: length >> UInt64(shift))) }
        prefix.append(contentsOf: json)
        return prefix
    }

    /// The compact JSON object, keys in UTF-8 byte order, without padding.
    package func encodedJSON() -> [UInt8] {
        var members: [(key: String, value: [UInt8])] = tensors.map { name, info in
            var value = Array(#"{"data_offsets":["#.utf8)
            value += Array("\(info.dataOffsets.lowerBound),\(info.dataOffsets.upperBound)".utf8)
            value += Array(#"],"dtype":""#.utf8) + Array(info.dtype.rawValue.utf8)
            value += Array(#"","shape":["#.utf8) + Array(info.shape.map(String.init).joined(separator: ",").utf8)
            value += Array("]}".utf8)
            return (name, value)
        }
        if !metadata.isEmpty {
            var value: [UInt8] = [UInt8(ascii: "{")]
            for (index, key) in metadata.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                if index > 0 { value.append(UInt8(ascii: ",")) }
                JSONText.appendString(key, to: &value)
                value.append(UInt8(ascii: ":"))
                JSONText.appendString(metadata[key] ?? "", to: &value)
            }
            value.append(UInt8(ascii: "}"))
            members.append((Safetensors.metadataKey, value))
        }
        members.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        var json: [UInt8] = [UInt8(ascii: "{")]
        for (index, member) in members.enumerated() {
            if index > 0 { json.append(UInt8(ascii: ",")) }
            JSONText.appendString(member.key, to: &json)
            json.append(UInt8(ascii: ":"))
            json += member.value
        }
        json.append(UInt8(ascii: "}"))
        return json
    }
}

/// Minimal JSON string encoding: quotes, backslash and control characters escaped, everything else as UTF-8.
enum JSONText {
    static func appendString(_ string: String, to output: inout [UInt8]) {
        let hexDigits = Array("0123456789abcdef".utf8)
        output.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): output += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): output += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\t"): output += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case UInt8(ascii: "\r"): output += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0..<0x20:
                output += Array("\\u00".utf8) + [hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0f)]]
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
