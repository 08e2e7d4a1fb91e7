// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "payloadlab",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "payloadlab", targets: ["payloadlab"]),
        .library(name: "PayloadLab", targets: ["PayloadLab"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // libzstd from the system, found through pkg-config.
        .systemLibrary(
            name: "CZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]
        ),
        // Linux calls the Glibc module does not export (they need _GNU_SOURCE).
        .target(name: "CPlatform"),
        .target(
            name: "PayloadLab",
            dependencies: ["CZstd", "CPlatform"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "payloadlab",
            dependencies: [
                "PayloadLab",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PayloadLabTests",
            dependencies: ["PayloadLab"],
            swiftSettings: swiftSettings
        ),
    ]
)
