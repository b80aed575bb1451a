import RawDatasets
import Testing

/// The 20 VOC classes in label order, written out here so the tests do not depend on data-manifests.
let vocClassNames = ["aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow",
                     "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train",
                     "tvmonitor"]

@Suite("VOC annotation XML")
struct VOCAnnotationTests {
    static let personWithParts = """
        <?xml version="1.0" encoding="utf-8"?>
        <!-- a comment before the root -->
        <annotation verified="yes">
        \t<folder>VOC2012</folder>
        \t<filename>2008_000008.jpg</filename>
        \t<size>
        \t\t<width>500</width>
        \t\t<height> 442 </height>
        \t\t<depth>
        3
        </depth>
        \t</size>
        \t<object>
        \t\t<name>horse</name>
        \t\t<pose>Left</pose>
        \t\t<truncated>0</truncated>
        \t\t<difficult>0</difficult>
        \t\t<bndbox><xmin>53</xmin><ymin>87</ymin><xmax>471</xmax><ymax>420</ymax></bndbox>
        \t</object>
        \t<object>
        \t\t<name>person</name>
        \t\t<truncated>1</truncated>
        \t\t<difficult>0</difficult>
        \t\t<bndbox><xmin>158.5</xmin><ymin>44</ymin><xmax>289</xmax><ymax>167</ymax></bndbox>
        \t\t<part><name>head</name><bndbox><xmin>169</xmin><ymin>50</ymin><xmax>200</xmax><ymax>90</ymax></bndbox></part>
        \t\t<part>
        \t\t\t<name>hand</name>
        \t\t\t<bndbox><xmin>1</xmin><ymin>2</ymin><xmax>3</xmax><ymax>4</ymax></bndbox>
        \t\t</part>
        \t</object>
        \t<object><name>chair</name><difficult>1</difficult><truncated>0</truncated>
        \t\t<bndbox><xmin>1</xmin><ymin>1</ymin><xmax>10</xmax><ymax>10</ymax></bndbox></object>
        </annotation>
        """

    @Test func readsSizeObjectsAndFlags() throws {
        let annotation = try VOCAnnotation(xml: Array(Self.personWithParts.utf8), file: "a.xml")
        #expect(annotation.width == 500 && annotation.height == 442 && annotation.depth == 3)
        #expect(annotation.objects.map(\.name) == ["horse", "person", "chair"])
        #expect(annotation.objects.map(\.truncated) == [false, true, false])
        #expect(annotation.objects.map(\.difficult) == [false, false, true])
        #expect(annotation.objects[1].box == VOCBoundingBox(xmin: 158.5, ymin: 44, xmax: 289, ymax: 167))
    }

    @Test func nestedPartNamesAreNotClasses() throws {
        let annotation = try VOCAnnotation(xml: Array(Self.personWithParts.utf8), file: "a.xml")
        #expect(!annotation.objects.map(\.name).contains("head"))
        #expect(!annotation.objects.map(\.name).contains("hand"))
        let vectors = try annotation.labelVectors(classNames: vocClassNames, file: "a.xml")
        let positives = vocClassNames.indices.filter { vectors.labels[$0] == 1 }.map { vocClassNames[$0] }
        #expect(positives == ["horse", "person"])
    }

    @Test func allDifficultClassGoesToTheMaskOnly() throws {
        let xml = """
            <annotation><size><width>10</width><height>10</height><depth>3</depth></size>
            <object><name>dog</name><difficult>1</difficult><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax></bndbox></object>
            <object><name>cat</name><difficult>1</difficult><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax></bndbox></object>
            <object><name>cat</name><difficult>0</difficult><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax></bndbox></object>
            </annotation>
            """
        let annotation = try VOCAnnotation(xml: Array(xml.utf8), file: "b.xml")
        let vectors = try annotation.labelVectors(classNames: vocClassNames, file: "b.xml")
        let dog = vocClassNames.firstIndex(of: "dog")!
        let cat = vocClassNames.firstIndex(of: "cat")!
        #expect(vectors.labels[dog] == 0 && vectors.difficult[dog] == 1)
        #expect(vectors.labels[cat] == 1 && vectors.difficult[cat] == 0)
        #expect(vectors.labels.reduce(0, +) == 1 && vectors.difficult.reduce(0, +) == 1)
    }

    @Test func missingFieldsNameFileAndField() {
        let noWidth = "<annotation><size><height>1</height><depth>3</depth></size></annotation>"
        #expect(throws: VOCDatasetError.missingAnnotationField(file: "c.xml", field: "size/width")) {
            try VOCAnnotation(xml: Array(noWidth.utf8), file: "c.xml")
        }
        let noName = """
            <annotation><size><width>1</width><height>1</height><depth>3</depth></size>
            <object><name>dog</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax></bndbox></object>
            <object><part><name>head</name></part><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax></bndbox></object>
            </annotation>
            """
        #expect(throws: VOCDatasetError.missingAnnotationField(file: "d.xml", field: "object[2]/name")) {
            try VOCAnnotation(xml: Array(noName.utf8), file: "d.xml")
        }
        let noBox = """
            <annotation><size><width>1</width><height>1</height><depth>3</depth></size>
            <object><name>dog</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>2</xmax></bndbox></object></annotation>
            """
        let error = #expect(throws: VOCDatasetError.self) { try VOCAnnotation(xml: Array(noBox.utf8), file: "e.xml") }
        #expect(error?.description.contains("e.xml") == true)
        #expect(error?.description.contains("object[1]/bndbox/ymax") == true)
    }

    @Test func invalidValuesAreRejected() {
        let badDifficult = """
            <annotation><size><width>1</width><height>1</height><depth>3</depth></size>
            <object><name>dog</name><difficult>yes</difficult><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax></bndbox></object></annotation>
            """
        #expect(throws: VOCDatasetError.invalidAnnotationValue(file: "f.xml", field: "object[1]/difficult",
                                                               value: "yes")) {
            try VOCAnnotation(xml: Array(badDifficult.utf8), file: "f.xml")
        }
        let negativeWidth = "<annotation><size><width>-5</width><height>1</height><depth>3</depth></size></annotation>"
        #expect(throws: VOCDatasetError.invalidAnnotationValue(file: "g.xml", field: "size/width", value: "-5")) {
            try VOCAnnotation(xml: Array(negativeWidth.utf8), file: "g.xml")
        }
    }

    @Test func unknownClassNamesFileAndName() throws {
        let xml = """
            <annotation><size><width>1</width><height>1</height><depth>3</depth></size>
            <object><name>Person</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax></bndbox></object></annotation>
            """
        let annotation = try VOCAnnotation(xml: Array(xml.utf8), file: "h.xml")
        #expect(throws: VOCDatasetError.unknownClass(file: "h.xml", name: "Person")) {
            try annotation.labelVectors(classNames: vocClassNames, file: "h.xml")
        }
    }

    @Test(arguments: [
        "<annotation><size></annotation>",
        "<annotation><size><width>1</width></size>",
        "<annotation>&bogus;</annotation>",
        "<annotation></annotation><annotation></annotation>",
        "text<annotation></annotation>",
        "<annotation a=b></annotation>",
        "",
    ])
    func malformedXMLIsRejectedWithTheFileName(xml: String) {
        let error = #expect(throws: VOCDatasetError.self) { try VOCAnnotation(xml: Array(xml.utf8), file: "m.xml") }
        guard case .malformedAnnotation(let file, _)? = error else {
            Issue.record("expected malformedAnnotation, got \(String(describing: error))")
            return
        }
        #expect(file == "m.xml")
    }

    @Test func entitiesCDATAAndSelfClosingTags() throws {
        let root = try VOCXMLReader.parse(Array("""
            \u{FEFF}<a><b x='1' y="2"/><c>&lt;&#65;&#x42;&amp;<![CDATA[<raw>]]></c></a>
            """.utf8))
        #expect(root.children.map(\.name) == ["b", "c"])
        #expect(root.child("c")?.text == "<AB&<raw>")
    }
}
