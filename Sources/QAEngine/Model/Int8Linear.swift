import CInt8Kernels

/// Arithmetic of the forward pass's linear layers.
public enum Precision: String, Sendable, CaseIterable {
    /// fp32 sgemm on OpenBLAS: the reference.
    case fp32
    /// Weights quantised per output channel and activations per row to symmetric s8, int32 sums, fp32 elsewhere.
    case int8
}

/// The machine code that runs the int8 products. All kernels compute the same int32 sums and the same
/// epilogue, so they give bit-identical logits; they differ only in speed and in the CPUs that can run them.
public enum Int8Kernel: String, Sendable, CaseIterable {
    case portable, avx2, avx512vnni, avxvnni

    /// The environment variable that forces a kernel: portable, avx2, avx512vnni, avxvnni, or vnni (either VNNI).
    public static let environmentVariable = "CLINIC_INT8_KERNEL"

    var c: ci8_kernel {
        switch self {
        case .portable: return CI8_PORTABLE
        case .avx2: return CI8_AVX2
        case .avx512vnni: return CI8_AVX512VNNI
        case .avxvnni: return CI8_AVXVNNI
        }
    }

    /// Whether this CPU and OS can run the kernel (CPUID and XGETBV).
    public var isSupported: Bool { ci8_kernel_supported(c) != 0 }

    /// The fastest kernel this CPU runs.
    public static var best: Int8Kernel {
        switch ci8_best_kernel() {
        case CI8_AVX512VNNI: return .avx512vnni
        case CI8_AVXVNNI: return .avxvnni
        case CI8_AVX2: return .avx2
        default: return .portable
        }
    }

    public static var supported: [Int8Kernel] { allCases.filter(\.isSupported) }

    /// The kernel `environment` forces, else the best one; a value naming no kernel, or one this CPU cannot run,
    /// is an error rather than a silent fallback.
    public static func selected(environment: [String: String]) throws -> Int8Kernel {
        guard let raw = environment[environmentVariable], !raw.isEmpty else { return best }
        let name = raw.lowercased()
        if name == "vnni" {
            if Int8Kernel.avx512vnni.isSupported { return .avx512vnni }
            if Int8Kernel.avxvnni.isSupported { return .avxvnni }
            throw QAEngineError.invalidInput("\(environmentVariable)=\(raw): this CPU has neither AVX-512 VNNI nor AVX-VNNI")
        }
        guard let kernel = Int8Kernel(rawValue: name) else {
            throw QAEngineError.invalidInput("\(environmentVariable)=\(raw): expected one of "
                + (allCases.map(\.rawValue) + ["vnni"]).joined(separator: ", "))
        }
        guard kernel.isSupported else {
            throw QAEngineError.invalidInput("\(environmentVariable)=\(raw): this CPU cannot run the \(name) kernel "
                + "(it runs \(supported.map(\.rawValue).joined(separator: ", ")))")
        }
        return kernel
    }
}

/// A linear layer's weight quantised and packed for one kernel.
final class Int8Matrix: @unchecked Sendable {
    let kernel: Int8Kernel
    let outputs: Int
    let inputs: Int
    /// On the heap, not a stored struct: the workers read it concurrently, which `&property` access would forbid.
    private let matrix: UnsafeMutablePointer<ci8_matrix>

    /// Quantises W, element (out j, in i) at `weights[j * outStride + i * inStride]`.
    init(kernel: Int8Kernel, weights: UnsafePointer<Float>, outputs: Int, inputs: Int, outStride: Int, inStride: Int) throws {
        self.kernel = kernel
        self.outputs = outputs
        self.inputs = inputs
        matrix = .allocate(capacity: 1)
        matrix.initialize(to: ci8_matrix())
        guard let n = Int32(exactly: outputs), let k = Int32(exactly: inputs) else {
            throw QAEngineError.invalidInput("a \(outputs) x \(inputs) layer is too large for the int8 kernels")
        }
        switch ci8_matrix_pack(matrix, kernel.c, weights, n, k, outStride, inStride) {
        case 0: return
        case -2: throw QAEngineError.invalidInput("this CPU cannot run the \(kernel.rawValue) int8 kernel")
        default: throw QAEngineError.invalidInput("cannot quantise a \(outputs) x \(inputs) layer (out of memory)")
        }
    }

    deinit {
        ci8_matrix_free(matrix)
        matrix.deallocate()
    }

    /// The quantised weight (out j, in i).
    func weight(_ j: Int, _ i: Int) -> Int8 {
        ci8_matrix_weight(matrix, Int32(truncatingIfNeeded: j), Int32(truncatingIfNeeded: i))
    }

    /// Bytes of one quantised activation row.
    static func activationRowBytes(_ kernel: Int8Kernel, inputs: Int) -> Int {
        ci8_activation_row_bytes(kernel.c, Int32(clamping: inputs))
    }

    /// Quantises `rows` rows of `inputs` floats, `stride` apart, for this matrix's kernel.
    func quantize(_ x: UnsafePointer<Float>, rows: Int, stride: Int, into q: UnsafeMutableRawPointer,
                  scales: UnsafeMutablePointer<Float>) {
        ci8_quantize_rows(kernel.c, x, Int32(clamping: rows), Int32(clamping: inputs), stride, q, scales)
    }

    /// c[r, j] = dequantised product + bias[j] for `columns` of all `rows` rows.
    func multiply(_ q: UnsafeRawPointer, scales: UnsafePointer<Float>, rows: Int, columns: Range<Int>,
                  bias: UnsafePointer<Float>?, into c: UnsafeMutablePointer<Float>, stride: Int) {
        ci8_gemm(matrix, q, scales, Int32(clamping: rows), Int32(clamping: columns.lowerBound),
                 Int32(clamping: columns.upperBound), bias, c, stride)
    }
}

/// One encoder layer's four linear weights in int8, quantised from the file's [out, in] rows at load; biases and
/// norms stay fp32 in `LayerWeights`.
struct Int8LayerWeights: @unchecked Sendable {
    /// [3H outputs, H inputs]: Q, K and V stacked.
    var qkv: Int8Matrix
    var attentionOutput: Int8Matrix
    var intermediate: Int8Matrix
    var output: Int8Matrix
}

/// fp32 weights [in, out] packed once in panels of 16 columns for the engine's own fp32 kernel (`fp32_gemm.c`);
/// OpenBLAS would pack them again on every product. Only made where the CPU runs that kernel.
final class PackedFP32Matrix: @unchecked Sendable {
    static let kernel = ci8_f32_gemm_kernel()
    let inputs: Int
    let outputs: Int
    private let matrix: UnsafeMutablePointer<ci8_f32_matrix>

    /// nil where the CPU has no kernel for it, or when memory is short (the product then stays with BLAS).
    init?(weights: UnsafePointer<Float>, inputs: Int, outputs: Int) {
        guard Self.kernel > 0, let k = Int32(exactly: inputs), let n = Int32(exactly: outputs) else { return nil }
        self.inputs = inputs
        self.outputs = outputs
        matrix = .allocate(capacity: 1)
        matrix.initialize(to: ci8_f32_matrix())
        guard ci8_f32_pack(matrix, weights, k, n, outputs) != 0 else {
            matrix.deallocate()
            return nil
        }
    }

    deinit {
        ci8_f32_free(matrix)
        matrix.deallocate()
    }

    /// c[r, j] = a[r, :] . W[:, j] for `rows` rows and the given columns (their start a multiple of 16).
    /// `kernel` below `PackedFP32Matrix.kernel` runs the AVX2 one on an AVX-512 CPU (tests run both).
    func multiply(_ a: UnsafePointer<Float>, rows: Int, columns: Range<Int>, into c: UnsafeMutablePointer<Float>, stride: Int,
                  kernel: Int32 = PackedFP32Matrix.kernel) {
        guard let rows32 = Int32(exactly: rows), let begin = Int32(exactly: columns.lowerBound),
              let end = Int32(exactly: columns.upperBound), (1...Self.kernel).contains(kernel) else { return }
        ci8_f32_gemm(kernel, matrix, a, inputs, rows32, begin, end, c, stride)
    }
}
