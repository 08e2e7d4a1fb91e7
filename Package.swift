// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// A library target of payloadlab's: one layer, which may depend only on the layers below it (docs/ARCHITECTURE.md).
func layer(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .target(name: name, dependencies: dependencies, swiftSettings: swiftSettings)
}

/// A test target of pure logic for one layer.
func layerTests(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .testTarget(name: name, dependencies: dependencies + ["TestSupport"], swiftSettings: swiftSettings)
}

let package = Package(
    name: "payloadlab",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "payloadlab", targets: ["payloadlab"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // libzstd from the system, found through pkg-config.
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        // Linux calls the Glibc module does not export (they need _GNU_SOURCE).
        .target(name: "CPlatform"),

        // The layers, lowest first. Each names only layers above it in this list.
        layer("Units", ["CPlatform"]),
        layer("Payload", ["Units"]),
        layer("Codec", ["Payload", "Units", "CZstd"]),
        layer("Results", ["Payload", "Units"]),
        layer("Platform", ["Units", "CPlatform"]),
        layer("Pool", ["Platform", "Results", "Codec", "Payload", "Units", "CPlatform"]),
        layer("Calibration", ["Platform", "Results", "Payload", "Units", "CZstd", "CPlatform"]),
        // CPython's own pipeline, run by a stdlib-only driver that ships as this target's resource, with the Dask
        // pool's module beside it (imported only for --pools dask).
        .target(
            name: "PythonRuntime",
            dependencies: ["Platform", "Results", "Payload", "Units"],
            resources: [
                .copy("Resources/payloadlab_driver.py"), .copy("Resources/payloadlab_dask.py"),
                .copy("Resources/payloadlab_bench.py"),
            ],
            swiftSettings: swiftSettings
        ),
        layer("Sweep", ["PythonRuntime", "Pool", "Calibration", "Platform", "Results", "Codec", "Payload", "Units"]),
        layer("Model", ["Results", "Payload", "Units"]),
        layer("Charts", ["Units"]),
        layer("Report", ["Model", "Charts", "Results", "Payload", "Units"]),
        .executableTarget(
            name: "payloadlab",
            dependencies: [
                "Report", "Model", "Sweep", "PythonRuntime", "Calibration", "Pool", "Platform", "Results", "Codec",
                "Payload", "Units",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),

        // Tests: one fast target of pure logic per layer, and one serialized target for real processes.
        .target(
            name: "TestSupport",
            dependencies: ["Results", "Platform", "Payload", "Units"],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        layerTests("UnitsTests", ["Units"]),
        layerTests("PayloadTests", ["Payload", "Units"]),
        layerTests("CodecTests", ["Codec", "Payload", "Units", "CZstd"]),
        layerTests("ResultsTests", ["Results", "Payload", "Units"]),
        layerTests("ModelTests", ["Model", "Results", "Payload", "Units"]),
        layerTests("ChartsTests", ["Charts", "Units"]),
        layerTests("ReportTests", ["Report", "Model", "Charts", "Results", "Payload", "Units"]),
        layerTests("IntegrationTests", [
            "Report", "Model", "Sweep", "PythonRuntime", "Calibration", "Pool", "Platform", "Results", "Codec",
            "Payload", "Units", "CZstd", "CPlatform",
        ]),
    ]
)
