// swift-tools-version:6.0
// libFuzzer targets for clinic-lsp's input parsers. Build them only with the fuzzer sanitizer, which
// links libFuzzer's main (see docs/FUZZING.md and `make fuzz`):
//   swift build --package-path Fuzz -c release --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing
import PackageDescription

let fuzzTargets = ["FuzzFramer", "FuzzJSON", "FuzzNotes", "FuzzSettings", "FuzzModel"]

let package = Package(
    name: "clinic-lsp-fuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "clinic-lsp", path: "..")],
    targets: fuzzTargets.map { name in
        // The entry point is LLVMFuzzerTestOneInput; libFuzzer supplies main.
        .executableTarget(name: name,
                          dependencies: [.product(name: "ClinicLibraries", package: "clinic-lsp")],
                          swiftSettings: [.unsafeFlags(["-parse-as-library"])])
    },
    swiftLanguageModes: [.v6]
)
