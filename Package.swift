// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "clinic-lsp",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "clinic-lsp", targets: ["clinic-lsp"]),
        // For the fuzz targets in Fuzz/, a package of their own that builds these with libFuzzer.
        .library(name: "ClinicLibraries", targets: ["JSON", "QAEngine", "ClinicCore", "ExtractOutput", "ClinicServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(name: "CJSONC", pkgConfig: "json-c",
                       providers: [.apt(["libjson-c-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        // Configured pattern fields: a regex engine with match and depth limits.
        .systemLibrary(name: "CPCRE2", pkgConfig: "libpcre2-8",
                       providers: [.apt(["libpcre2-dev"])]),
        .target(name: "JSON", dependencies: ["CJSONC"]),
        // int8 matrix products (portable C, AVX2, AVX-512 VNNI, AVX-VNNI), chosen by CPUID at run time. Each x86
        // kernel is compiled with its own target attributes, so the target needs no -m flags and runs anywhere.
        .target(name: "CInt8Kernels",
                cSettings: [.unsafeFlags(["-O2"], .when(configuration: .debug))],
                linkerSettings: [.linkedLibrary("m")]),
        // The forward pass is unusable unoptimised (minutes per test run, seconds per note), so QAEngine is
        // optimised in debug builds too.
        .target(name: "QAEngine", dependencies: ["COpenBLAS", "CInt8Kernels", "JSON"],
                swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        .target(name: "ClinicCore", dependencies: ["QAEngine", "JSON", "CPCRE2"]),
        // The `extract` command's output formats (jsonl, json, csv, text).
        .target(name: "ExtractOutput", dependencies: ["ClinicCore", "JSON"]),
        .target(name: "ClinicServer", dependencies: [
            "ClinicCore", "QAEngine", "JSON",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "clinic-lsp", dependencies: [
            "ClinicServer", "ClinicCore", "ExtractOutput", "QAEngine", "JSON",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "QAEngineTests", dependencies: ["QAEngine", "JSON"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "ClinicCoreTests", dependencies: ["ClinicCore", "ExtractOutput", "QAEngine", "JSON"],
                    exclude: ["Golden"]),
        .testTarget(name: "ClinicServerTests", dependencies: ["ClinicServer", "ClinicCore", "JSON"]),
        .testTarget(name: "EndToEndTests", dependencies: ["JSON"]),
    ],
    swiftLanguageModes: [.v6]
)
