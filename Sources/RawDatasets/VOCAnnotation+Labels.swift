extension VOCAnnotation {
    /// The label vector and difficult mask over `classNames` (both [K] of 0/1).
    ///
    /// A class is labelled 1 when at least one of its objects is not difficult; a class whose objects are all
    /// difficult gets label 0 and difficult 1. Names match exactly (case-sensitive).
    /// - Throws: `VOCDatasetError.unknownClass` naming `file` and the first unknown name.
    public func labelVectors(classNames: [String],
                             file: String) throws(VOCDatasetError) -> (labels: [UInt8], difficult: [UInt8]) {
        var labels = [UInt8](repeating: 0, count: classNames.count)
        var difficult = [UInt8](repeating: 0, count: classNames.count)
        let indexByName = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, $0) })
        for object in objects {
            guard let index = indexByName[object.name] else {
                throw .unknownClass(file: file, name: object.name)
            }
            if object.difficult {
                difficult[index] = 1
            } else {
                labels[index] = 1
            }
        }
        for index in labels.indices where labels[index] == 1 {
            difficult[index] = 0
        }
        return (labels, difficult)
    }
}
