/// Class lists of the VOC and ChestX-ray14 converters, in label order (datasets.md).
///
/// Kept here until DataManifests exposes `DatasetManifest.named("voc2012")` / `("chestxray14")`; the tests
/// compare these lists with the spec's literal order.
public enum ConversionClassNames {
    /// PASCAL VOC 2007/2012: 20 classes, alphabetical.
    public static let voc = ["aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow",
                             "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa",
                             "train", "tvmonitor"]
    /// NIH ChestX-ray14: 14 classes, alphabetical (`No Finding` is all-zero, not a class).
    public static let chestXray14 = ["Atelectasis", "Cardiomegaly", "Consolidation", "Edema", "Effusion",
                                     "Emphysema", "Fibrosis", "Hernia", "Infiltration", "Mass", "Nodule",
                                     "Pleural_Thickening", "Pneumonia", "Pneumothorax"]
}
