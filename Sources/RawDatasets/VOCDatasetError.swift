/// Problems in a PASCAL VOC folder that the user can fix. Every message names the file and the record.
public enum VOCDatasetError: Error, Sendable, Equatable {
    /// The `--root` folder (or one of its required subfolders) does not exist.
    case missingFolder(path: String)
    /// A list name (`--train-list`, `--test-list`) that is not a plain file name.
    case invalidListName(name: String, reason: String)
    /// `ImageSets/Main/<name>.txt` is missing or unreadable.
    case listNotReadable(path: String)
    /// A list line that is not a single safe image id.
    case invalidListEntry(list: String, line: Int, entry: String, reason: String)
    /// The same id twice in one list.
    case duplicateListEntry(list: String, line: Int, id: String)
    /// A list with no ids at all.
    case emptyList(list: String)
    /// `Annotations/<id>.xml` is missing or unreadable.
    case annotationNotReadable(path: String)
    /// The annotation is not well-formed XML or not an `<annotation>` document.
    case malformedAnnotation(file: String, reason: String)
    /// A required element is absent (`field` is a path such as `size/width` or `object[2]/name`).
    case missingAnnotationField(file: String, field: String)
    /// A field whose text is not what VOC allows.
    case invalidAnnotationValue(file: String, field: String, value: String)
    /// An object class that is not one of the dataset's classes.
    case unknownClass(file: String, name: String)
    /// A training list id that also appears in the test list.
    case overlappingLists(id: String, trainList: String, testList: String)
}

extension VOCDatasetError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .missingFolder(let path):
            return "\(path): folder not found; point --root at VOCdevkit/VOC2012 (the folder holding JPEGImages, "
                + "Annotations and ImageSets)"
        case .invalidListName(let name, let reason):
            return "list name '\(name)': \(reason); give a plain name such as 'train' (read from ImageSets/Main/)"
        case .listNotReadable(let path):
            return "\(path): image list not found or unreadable; check --train-list/--test-list and --root"
        case .invalidListEntry(let list, let line, let entry, let reason):
            return "\(list), line \(line): '\(entry)' \(reason); each line must hold one image id such as 2008_000008"
        case .duplicateListEntry(let list, let line, let id):
            return "\(list), line \(line): image id '\(id)' listed twice; remove the duplicate"
        case .emptyList(let list):
            return "\(list): the list holds no image ids"
        case .annotationNotReadable(let path):
            return "\(path): annotation not found or unreadable; every listed id needs Annotations/<id>.xml"
        case .malformedAnnotation(let file, let reason):
            return "\(file): \(reason); the annotation must be a well-formed <annotation> XML document"
        case .missingAnnotationField(let file, let field):
            return "\(file): required field '\(field)' is missing"
        case .invalidAnnotationValue(let file, let field, let value):
            return "\(file): field '\(field)' has invalid value '\(value)'"
        case .unknownClass(let file, let name):
            return "\(file): unknown class '\(name)'; VOC's 20 classes are aeroplane ... tvmonitor (names are "
                + "case-sensitive)"
        case .overlappingLists(let id, let trainList, let testList):
            return "image id '\(id)' is in both '\(trainList)' and '\(testList)'; the training and test lists must "
                + "be disjoint"
        }
    }
}
