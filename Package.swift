// swift-tools-version: 6.1
// FedNC: multi-label federated learning under label-distribution skew (see README.md, "Architecture").
import PackageDescription

/// Optimisation for hot loops: unchecked arithmetic is never used; bounds checks stay on except where a
/// module opts into unsafe buffer pointers explicitly.
let swiftSettings: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "FedNC",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "fednc-cifar10", targets: ["fednc-cifar10"]),
        .executable(name: "fednc-medmnist", targets: ["fednc-medmnist"]),
        .executable(name: "fednc-voc", targets: ["fednc-voc"]),
        .executable(name: "fednc-chestxray14", targets: ["fednc-chestxray14"]),
        .executable(name: "fednc-samples", targets: ["fednc-samples"]),
        .executable(name: "fednc-shards", targets: ["fednc-shards"]),
        .executable(name: "fednc-train", targets: ["fednc-train"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // MARK: System libraries (Debian -dev packages; tools/test installs them)
        .systemLibrary(name: "CLibPNG", path: "Sources/System/CLibPNG", pkgConfig: "libpng",
                       providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CLibJPEG", path: "Sources/System/CLibJPEG", pkgConfig: "libjpeg",
                       providers: [.apt(["libjpeg-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/System/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLibDeflate", path: "Sources/System/CLibDeflate", pkgConfig: "libdeflate",
                       providers: [.apt(["libdeflate-dev"])]),
        .systemLibrary(name: "COpenBLAS", path: "Sources/System/COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        /// oneDNN's sgemm (runtime ISA dispatch); no pkg-config file in Debian's libdnnl-dev.
        .systemLibrary(name: "CDNNL", path: "Sources/System/CDNNL", providers: [.apt(["libdnnl-dev"])]),
        .systemLibrary(name: "CLibCrypto", path: "Sources/System/CLibCrypto", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        /// C target of the image codecs: libjpeg/libpng calls whose error exits `longjmp` (never across Swift frames).
        .target(name: "CImageCodecs", dependencies: ["CLibPNG", "CLibJPEG"], path: "Sources/System/CImageCodecs"),
        /// TensorEngine's vector loops, cloned per instruction set (AVX-512F / AVX2 / x86-64) and picked at run time.
        .target(name: "CEngineKernels", path: "Sources/System/CEngineKernels"),

        // MARK: Data side (never links BLAS)
        .target(name: "SeededRandom", swiftSettings: swiftSettings),
        .target(name: "Checksums", dependencies: ["CLibCrypto"], swiftSettings: swiftSettings),
        .target(name: "Imaging", dependencies: ["CImageCodecs", "CZlib"], swiftSettings: swiftSettings),
        .target(name: "Safetensors", swiftSettings: swiftSettings),
        .target(name: "DataManifests", resources: [], swiftSettings: swiftSettings),
        .target(name: "RawDatasets", dependencies: ["CZlib", "CLibDeflate", "Checksums", "DataManifests", "SeededRandom"], swiftSettings: swiftSettings),
        .target(name: "Preparation",
                dependencies: ["RawDatasets", "Imaging", "Safetensors", "SeededRandom", "Checksums", "DataManifests"],
                swiftSettings: swiftSettings),
        .target(name: "SampleData", dependencies: ["Imaging", "SeededRandom", "CZlib", "Checksums"],
                swiftSettings: swiftSettings),
        .target(name: "Partitioning", dependencies: ["SeededRandom", "Safetensors", "Checksums", "Imaging"],
                swiftSettings: swiftSettings),
        .target(name: "CommandSupport", dependencies: ["Safetensors", "Checksums", .product(name: "ArgumentParser", package: "swift-argument-parser")],
                swiftSettings: swiftSettings),
        .target(name: "CompositeCommandOptions",
                dependencies: ["Preparation", "DataManifests", .product(name: "ArgumentParser", package: "swift-argument-parser")],
                swiftSettings: swiftSettings),

        // MARK: Engine side (never parses raw formats)
        .target(name: "TensorEngine", dependencies: ["COpenBLAS", "CDNNL", "CEngineKernels"], swiftSettings: swiftSettings),
        .target(name: "NeuralNet", dependencies: ["TensorEngine", "Safetensors", "SeededRandom"], swiftSettings: swiftSettings),
        .target(name: "Federation",
                dependencies: ["NeuralNet", "TensorEngine", "Safetensors", "SeededRandom", "Checksums", "Imaging",
                               "Partitioning", .product(name: "ArgumentParser", package: "swift-argument-parser")],
                swiftSettings: swiftSettings),

        // MARK: Executables
        .executableTarget(name: "fednc-cifar10", dependencies: ["Preparation", "CommandSupport", "CompositeCommandOptions"], swiftSettings: swiftSettings),
        .executableTarget(name: "fednc-medmnist", dependencies: ["Preparation", "CommandSupport", "CompositeCommandOptions"], swiftSettings: swiftSettings),
        .executableTarget(name: "fednc-voc", dependencies: ["Preparation", "CommandSupport"], swiftSettings: swiftSettings),
        .executableTarget(name: "fednc-chestxray14", dependencies: ["Preparation", "CommandSupport"], swiftSettings: swiftSettings),
        .executableTarget(name: "fednc-samples", dependencies: ["SampleData", "CommandSupport"], swiftSettings: swiftSettings),
        .executableTarget(name: "fednc-shards", dependencies: ["Partitioning", "Safetensors", "Checksums", "CommandSupport"], swiftSettings: swiftSettings),
        .executableTarget(name: "fednc-train", dependencies: ["Federation", "NeuralNet", "CommandSupport"], swiftSettings: swiftSettings),

        // MARK: Benchmarks (run by tools/bench/*; each prints a ratio against its anchor)
        .executableTarget(name: "bench-codecs", dependencies: ["Imaging"], path: "Sources/Benchmarks/bench-codecs",
                          swiftSettings: swiftSettings),
        .executableTarget(name: "bench-convert", dependencies: ["Preparation", "SampleData"],
                          path: "Sources/Benchmarks/bench-convert", swiftSettings: swiftSettings),
        .executableTarget(name: "bench-partition", dependencies: ["Partitioning", "SeededRandom"],
                          path: "Sources/Benchmarks/bench-partition", swiftSettings: swiftSettings),
        .executableTarget(name: "bench-engine", dependencies: ["NeuralNet", "TensorEngine"],
                          path: "Sources/Benchmarks/bench-engine", swiftSettings: swiftSettings),
        .executableTarget(name: "bench-conv", dependencies: ["TensorEngine"], path: "Sources/Benchmarks/bench-conv",
                          swiftSettings: swiftSettings),
        .executableTarget(name: "bench-safetensors", dependencies: ["Safetensors", "Checksums"],
                          path: "Sources/Benchmarks/bench-safetensors", swiftSettings: swiftSettings),

        // MARK: Tests (Swift Testing)
        .testTarget(name: "SeededRandomTests", dependencies: ["SeededRandom"]),
        .testTarget(name: "ChecksumsTests", dependencies: ["Checksums"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SafetensorsTests", dependencies: ["Safetensors", "SeededRandom"]),
        .testTarget(name: "CommandSupportTests",
                    dependencies: ["CommandSupport", "ProcessTestSupport",
                                   .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .testTarget(name: "DataManifestsTests", dependencies: ["DataManifests"], resources: [.copy("Fixtures")]),
        .testTarget(name: "RawDatasetsTests", dependencies: ["RawDatasets", "SampleData", "ProcessTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "PreparationTests", dependencies: ["Preparation", "SampleData", "Safetensors", "ProcessTestSupport", "CompositeCommandOptions"]),
        .testTarget(name: "PartitioningTests", dependencies: ["Partitioning", "Safetensors", "SeededRandom", "Checksums", "Imaging", "ProcessTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TensorEngineTests", dependencies: ["TensorEngine"], resources: [.copy("Fixtures")]),
        .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet", "Safetensors", "SeededRandom", "ProcessTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "FederationTests", dependencies: ["Federation", "NeuralNet", "Safetensors", "ProcessTestSupport", "Imaging", "SeededRandom"]),
        .testTarget(name: "FlowerTests", dependencies: ["ProcessTestSupport"]),
        // Test-only helper library: runs the built executables and python3 for the command-line tests.
        .target(name: "ProcessTestSupport", path: "Tests/ProcessTestSupport", swiftSettings: swiftSettings),
    ]
)
