#if canImport(Glibc)
import Glibc
#endif
import JSON
@testable import QAEngine

/// The model files a user can point the server at, each read from the same input: `config.json` (sizes
/// within bounds, every tensor shape it implies computable without overflow) and the `model.safetensors`
/// header and tensors (memory-mapped from a scratch file, as a real model is). A bad file is an error,
/// never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModel(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    if let json = try? JSON.parse(bytes: bytes), let config = try? ModelConfig(json: json) {
        for (_, shape) in TransformerWeights.expectedShapes(config) {
            var elements = 1
            for d in shape {
                guard d > 0 else { fatalError("config gives a tensor dimension \(d)") }
                let (product, overflow) = elements.multipliedReportingOverflow(by: d)
                guard !overflow else { fatalError("config's tensor shape \(shape) overflows") }
                elements = product
            }
        }
    }
    guard writeScratch(bytes) else { fatalError("cannot write \(scratchPath)") }
    if let file = try? SafeTensorsFile(path: scratchPath) {
        for (name, info) in file.tensors where [.f32, .f16, .bf16].contains(info.dtype) {
            guard let values = try? file.read(name), values.count == info.elementCount else {
                fatalError("tensor \(name) of a validated file cannot be read")
            }
        }
    }
    return 0
}

let scratchPath = "/tmp/clinic-fuzz-model-\(getpid()).safetensors"

func writeScratch(_ bytes: UnsafeRawBufferPointer) -> Bool {
    guard let base = bytes.baseAddress else { return truncate(scratchPath, 0) == 0 || creat(scratchPath, 0o600) >= 0 }
    let fd = open(scratchPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var done = 0
    while done < bytes.count {
        let n = write(fd, base + done, bytes.count - done)
        guard n > 0 else { return false }
        done += n
    }
    return true
}
