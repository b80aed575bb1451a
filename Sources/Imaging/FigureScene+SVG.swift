extension FigureScene {
    /// The figure as a standalone SVG 1.1 document (UTF-8): an XML declaration, then `<!-- comment -->` when
    /// `comment` is given (it must not contain `--`), then the `<svg>` element. Text uses a monospace font sized
    /// so a character advances as far as in `PixelFont` (`(glyphWidth + 1) * scale` pixels); characters XML 1.0
    /// cannot hold (controls other than tab and newline, U+FFFE, U+FFFF) are written as `?`.
    public func svg(comment: String? = nil) -> String {
        var lines = [String(Self.svgPrologue(comment: comment).dropLast())]
        lines.append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(width)\" "
            + "height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\">")
        lines.append("<rect x=\"0\" y=\"0\" width=\"\(width)\" height=\"\(height)\" fill=\"\(Self.hex(background))\"/>")
        for element in elements {
            switch element {
            case let .rect(x, y, width, height, fill, stroke):
                // A raster outline covers the edge pixels; an SVG stroke is centred on the path, so inset by 0.5.
                var line = "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(width)\" height=\"\(height)\" fill=\"\(Self.hex(fill))\""
                if let stroke {
                    line = "<rect x=\"\(Double(x) + 0.5)\" y=\"\(Double(y) + 0.5)\" width=\"\(width - 1)\" "
                        + "height=\"\(height - 1)\" fill=\"\(Self.hex(fill))\" stroke=\"\(Self.hex(stroke))\" stroke-width=\"1\""
                }
                lines.append(line + "/>")
            case let .circle(centerX, centerY, radius, fill):
                lines.append("<circle cx=\"\(Self.number(centerX))\" cy=\"\(Self.number(centerY))\" "
                    + "r=\"\(Self.number(radius))\" fill=\"\(Self.hex(fill))\"/>")
            case let .text(text):
                let anchor = switch text.anchor {
                case .left: "start"
                case .center: "middle"
                case .right: "end"
                }
                let size = Self.number(Double((PixelFont.glyphWidth + 1) * text.scale) / 0.6)
                lines.append("<text x=\"\(text.x)\" y=\"\(text.y)\" font-family=\"DejaVu Sans Mono, monospace\" "
                    + "font-size=\"\(size)\" text-anchor=\"\(anchor)\" dominant-baseline=\"central\" "
                    + "fill=\"\(Self.hex(text.color))\">\(Self.escaped(text.string))</text>")
            }
        }
        lines.append("</svg>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The document's first line (the XML declaration) and, with `comment`, its second (`<!-- comment -->`),
    /// each ending in a newline.
    public static func svgPrologue(comment: String?) -> String {
        let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        guard let comment else { return declaration }
        precondition(!comment.contains("--") && !comment.hasSuffix("-"), "an XML comment cannot contain --")
        return declaration + "<!-- \(comment) -->\n"
    }

    /// `text` safe as XML character data.
    static func escaped(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "\t", "\n": result.unicodeScalars.append(scalar)
            default:
                let forbidden = scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF
                result.unicodeScalars.append(forbidden ? "?" : scalar)
            }
        }
        return result
    }

    private static func hex(_ color: Color) -> String {
        "#" + [color.0, color.1, color.2].map { value in
            let digits = String(value, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    /// A coordinate with at most two decimals and no exponent.
    private static func number(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = abs(hundredths)
        let fraction = magnitude % 100
        return fraction == 0 ? "\(sign)\(magnitude / 100)"
            : "\(sign)\(magnitude / 100)." + (fraction < 10 ? "0\(fraction)" : "\(fraction % 10 == 0 ? fraction / 10 : fraction)")
    }
}
