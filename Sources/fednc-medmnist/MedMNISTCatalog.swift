/// Class names and published checksums of MedMNIST files, as listed in datasets.md.
/// (To be read from data-manifests/ once that module publishes them.)
enum MedMNISTCatalog {
    static let classNames: [String: [String]] = [
        "dermamnist": ["actinic keratoses and intraepithelial carcinoma", "basal cell carcinoma",
                       "benign keratosis-like lesions", "dermatofibroma", "melanoma", "melanocytic nevi",
                       "vascular lesions"],
    ]

    static let publishedMD5: [String: String] = [
        "dermamnist.npz": "0744692d530f8e62ec473284d019b0c7",
        "dermamnist_64.npz": "b70a2f5635c6199aeaa28c31d7202e1f",
        "dermamnist_128.npz": "2defd784463fa5243564e855ed717de1",
        "dermamnist_224.npz": "8974907d8e169bef5f5b96bc506ae45d",
        "breastmnist.npz": "750601b1f35ba3300ea97c75c52ff8f6",
    ]
}
