import Imaging
import SeededRandom

/// One generated VOC sample: its pixels and the objects to annotate.
struct VOCSampleImage {
    enum Kind { case baseline, progressive, grayscale }

    struct Object {
        var classIndex: Int
        var xmin: Int, ymin: Int, xmax: Int, ymax: Int
        var difficult: Bool
        var truncated: Bool
    }

    let kind: Kind
    let image: Image
    let objects: [Object]

    /// Draws image `index` from the stream `"samples/voc/<index>"`.
    init(index: Int, options: VOCSampleOptions) {
        var random = Xoshiro256StarStar(seed: options.seed, stream: "samples/voc/\(index)")
        kind = index % 6 == 2 ? .progressive : (index % 6 == 5 ? .grayscale : .baseline)
        let width = options.width, height = options.height
        var canvas = VOCSampleCanvas(height: height, width: width, channels: 3)
        let tone = 90 + random.uniformInt(60)
        canvas.fillBackground(base: [tone + random.uniformInt(30), tone, tone + random.uniformInt(30)],
                              gradient: random.uniformInt(50) - 25)
        var objects: [Object] = []
        let objectCount = 1 + random.uniformInt(3)
        let shortSide = min(width, height)
        for _ in 0..<objectCount {
            let classIndex = random.uniformInt(VOCSampleGenerator.classNames.count)
            let radius = shortSide / 8 + random.uniformInt(max(1, shortSide / 6))
            let centerX = random.uniformInt(width), centerY = random.uniformInt(height)
            let palette = classIndex / 10 == 0 ? [230, 200, 40] : [40, 60, 200]
            let color = palette.map { $0 + random.uniformInt(31) - 15 }
            canvas.paint(VOCSampleShape(rawValue: classIndex % 10) ?? .square, centerX: centerX, centerY: centerY,
                         radius: radius, color: color)
            let xmin = max(1, centerX - radius + 1), ymin = max(1, centerY - radius + 1)
            let xmax = min(width, centerX + radius + 1), ymax = min(height, centerY + radius + 1)
            let truncated = centerX - radius < 0 || centerY - radius < 0 || centerX + radius >= width
                || centerY + radius >= height
            objects.append(Object(classIndex: classIndex, xmin: xmin, ymin: ymin, xmax: xmax, ymax: ymax,
                                  difficult: random.uniformInt(8) == 0, truncated: truncated))
        }
        canvas.addNoise(amplitude: 12) { random.uniformInt($0) }
        let rgb = Image(height: height, width: width, channels: 3, pixels: canvas.pixels)
        image = kind == .grayscale ? rgb.converted(toChannels: 1) : rgb
        self.objects = objects
    }

    /// The annotation in VOC's layout (tabs, one element per line), with nested parts for persons.
    func annotationXML(id: String, year: String, classNames: [String]) -> String {
        var lines = ["<annotation>", "\t<folder>\(year)</folder>", "\t<filename>\(id).jpg</filename>",
                     "\t<source>", "\t\t<database>FedNC sample data</database>", "\t</source>",
                     "\t<size>", "\t\t<width>\(image.width)</width>", "\t\t<height>\(image.height)</height>",
                     "\t\t<depth>3</depth>", "\t</size>", "\t<segmented>0</segmented>"]
        for object in objects {
            lines += ["\t<object>", "\t\t<name>\(classNames[object.classIndex])</name>",
                      "\t\t<pose>Unspecified</pose>", "\t\t<truncated>\(object.truncated ? 1 : 0)</truncated>",
                      "\t\t<difficult>\(object.difficult ? 1 : 0)</difficult>"]
            lines += box(object.xmin, object.ymin, object.xmax, object.ymax, indent: "\t\t")
            if classNames[object.classIndex] == "person" {
                for part in ["head", "hand"] {
                    lines += ["\t\t<part>", "\t\t\t<name>\(part)</name>"]
                    lines += box(object.xmin, object.ymin, (object.xmin + object.xmax) / 2,
                                 (object.ymin + object.ymax) / 2, indent: "\t\t\t")
                    lines += ["\t\t</part>"]
                }
            }
            lines.append("\t</object>")
        }
        lines.append("</annotation>")
        return lines.joined(separator: "\n") + "\n"
    }

    private func box(_ xmin: Int, _ ymin: Int, _ xmax: Int, _ ymax: Int, indent: String) -> [String] {
        ["\(indent)<bndbox>", "\(indent)\t<xmin>\(xmin)</xmin>", "\(indent)\t<ymin>\(ymin)</ymin>",
         "\(indent)\t<xmax>\(xmax)</xmax>", "\(indent)\t<ymax>\(ymax)</ymax>", "\(indent)</bndbox>"]
    }
}
