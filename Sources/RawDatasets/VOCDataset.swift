import Checksums
import Foundation

/// A PASCAL VOC folder (`VOCdevkit/VOC2012` or `VOC2007`): `JPEGImages/`, `Annotations/`, `ImageSets/Main/`.
///
/// Lists drive the file list (JPEGImages holds more images than the lists). Reading a list parses every listed
/// annotation up front (a few KB each), so label errors surface before any pixel is decoded.
public struct VOCDataset: Sendable {
    /// The dataset folder.
    public var root: URL
    /// Class names in label order (20 for VOC, from data-manifests).
    public var classNames: [String]

    /// Checks that `root` holds `JPEGImages`, `Annotations` and `ImageSets/Main`.
    public init(root: URL, classNames: [String]) throws(VOCDatasetError) {
        precondition(!classNames.isEmpty, "VOCDataset needs class names")
        for folder in ["JPEGImages", "Annotations", "ImageSets/Main"] {
            var isDirectory: ObjCBool = false
            let path = root.appendingPathComponent(folder).path
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw .missingFolder(path: path)
            }
        }
        self.root = root
        self.classNames = classNames
    }

    /// Reads `ImageSets/Main/<listName>.txt`.
    public func list(named listName: String) throws(VOCDatasetError) -> VOCImageList {
        try VOCImageList(root: root, name: listName)
    }

    /// The records of `list` in list order: labels from `Annotations/<id>.xml`, pixels from `JPEGImages/<id>.jpg`
    /// (not opened here; a missing JPEG is reported by the converter when it decodes).
    public func records(of list: VOCImageList) throws(VOCDatasetError) -> [VOCImageRecord] {
        var records: [VOCImageRecord] = []
        records.reserveCapacity(list.ids.count)
        for id in list.ids {
            let annotationPath = root.appendingPathComponent("Annotations/\(id).xml").path
            guard let data = RawInputFile.contents(atPath: annotationPath) else {
                throw .annotationNotReadable(path: annotationPath)
            }
            let annotation = try VOCAnnotation(xml: data, file: annotationPath)
            let vectors = try annotation.labelVectors(classNames: classNames, file: annotationPath)
            let imagePath = root.appendingPathComponent("JPEGImages/\(id).jpg").path
            records.append(VOCImageRecord(id: id, imagePath: imagePath, labels: vectors.labels,
                                          difficult: vectors.difficult, annotationSHA256: Checksums.sha256(of: data),
                                          annotationByteCount: data.count))
        }
        return records
    }
}
