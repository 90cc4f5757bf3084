import CInt8Kernels
import COpenBLAS

/// The element-wise parts of the forward pass, eight lanes at a time. Matrix products are left to BLAS.
/// Swift compiles SIMD8 for baseline x86-64 (two SSE halves); where the CPU has AVX2 the same operations run
/// in C on 256-bit registers (`elementwise_avx2.c`), bit for bit the same results (`KernelTests` checks).
enum Kernels {
    typealias V = SIMD8<Float>

    /// Whether the AVX2 loops can run; each kernel's `vectorised: false` runs the Swift loop (tests compare them).
    static let vectorised = ci8_elementwise_avx2() != 0

    /// y = LayerNorm(x + residual + bias) * gain + beta, row by row, written over `x`.
    /// `residual` may be nil (the embeddings) and `bias` may be nil.
    static func addLayerNorm(_ x: UnsafeMutablePointer<Float>, residual: UnsafePointer<Float>?, bias: UnsafePointer<Float>?,
                             gain: UnsafePointer<Float>, beta: UnsafePointer<Float>, rows: Int, width: Int, epsilon: Float,
                             vectorised: Bool = Kernels.vectorised) {
        precondition(width % 8 == 0, "hidden size must be a multiple of 8")
        if vectorised, let rows32 = Int32(exactly: rows), let width32 = Int32(exactly: width) {
            return ci8_add_layer_norm(x, residual, bias, gain, beta, rows32, width32, epsilon)
        }
        let lanes = width / 8
        for r in 0..<rows {
            let row = x + r * width
            var sum = V()
            for k in 0..<lanes {
                var v = load(row + 8 * k)
                if let residual { v += load(residual + r * width + 8 * k) }
                if let bias { v += load(bias + 8 * k) }
                store(v, row + 8 * k)
                sum += v
            }
            let mean = sum.sum() / Float(width)
            var squares = V()
            for k in 0..<lanes {
                let d = load(row + 8 * k) - mean
                squares += d * d
            }
            let inverse = 1 / (squares.sum() / Float(width) + epsilon).squareRoot()
            for k in 0..<lanes {
                let normalized = (load(row + 8 * k) - mean) * inverse
                store(normalized * load(gain + 8 * k) + load(beta + 8 * k), row + 8 * k)
            }
        }
    }

    /// x = gelu(x + bias) with the exact (erf) GELU, for `width` columns of `rows` rows `stride` apart; without
    /// `bias` (the int8 kernels add it while dequantising) x = gelu(x). `fused` allows FMA (the int8 path, which
    /// quantises the result next): about an ulp from the unfused bits, in fewer dependent steps.
    static func addBiasGELU(_ x: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?, rows: Int, width: Int,
                            stride rowStride: Int? = nil, fused: Bool = false, vectorised: Bool = Kernels.vectorised) {
        precondition(width % 8 == 0, "intermediate size must be a multiple of 8")
        if vectorised, let rows32 = Int32(exactly: rows), let width32 = Int32(exactly: width) {
            return fused ? ci8_gelu_rows_fma(x, bias, rows32, width32, rowStride ?? width)
                : ci8_gelu_rows(x, bias, rows32, width32, rowStride ?? width)
        }
        for r in 0..<rows {
            let row = x + r * (rowStride ?? width)
            if let bias {
                for k in stride(from: 0, to: width, by: 8) { store(gelu(load(row + k) + load(bias + k)), row + k) }
            } else {
                for k in stride(from: 0, to: width, by: 8) { store(gelu(load(row + k)), row + k) }
            }
        }
    }

    @inline(__always) static func gelu(_ v: V) -> V {
        let half = V(repeating: 0.5), one = V(repeating: 1), invSqrt2 = V(repeating: 0.70710678118654752)
        return half * v * (one + erf(v * invSqrt2))
    }

    /// x = x + bias for `width` columns of `rows` rows `stride` apart.
    static func addBias(_ x: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, rows: Int, width: Int,
                        stride rowStride: Int? = nil) {
        for r in 0..<rows {
            let row = x + r * (rowStride ?? width)
            for k in 0..<width { row[k] += bias[k] }
        }
    }

    /// Floats of scratch `attentionHead` needs for sequences up to `length` tokens.
    static func attentionScratch(length: Int, headSize: Int) -> Int {
        let padded = (length + 7) & ~7
        return padded * (padded + headSize)
    }

    /// One head of one sequence: out[i] = softmax_j(scale * q_i . k_j) v for the `length` rows of q, k and v
    /// (`stride` floats apart; `headSize` columns each) into rows of `out` `outStride` apart. The vectorised
    /// kernel is one fused pass; otherwise two sgemm calls around the softmax (tests compare the two).
    static func attentionHead(q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>, stride: Int,
                              length: Int, headSize d: Int, scale: Float, scratch: UnsafeMutablePointer<Float>,
                              out: UnsafeMutablePointer<Float>, outStride: Int, vectorised: Bool = Kernels.vectorised) {
        guard let length32 = Int32(exactly: length), let d32 = Int32(exactly: d), length > 0 else { return }
        if vectorised, d % 8 == 0 {
            return ci8_attention_head(q, k, v, stride, length32, d32, scale, scratch, out, outStride)
        }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, length32, length32, d32,
                    scale, q, Int32(stride), k, Int32(stride), 0, scratch, length32)
        softmaxRows(scratch, rows: length, width: length, vectorised: vectorised)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, length32, d32, length32,
                    1, scratch, length32, v, Int32(stride), 0, out, Int32(outStride))
    }

    /// Softmax of each row of a [rows, width] matrix, in place.
    static func softmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int, vectorised: Bool = Kernels.vectorised) {
        if vectorised, let rows32 = Int32(exactly: rows), let width32 = Int32(exactly: width) {
            return ci8_softmax_rows(x, rows32, width32)
        }
        let full = width & ~7
        for r in 0..<rows {
            let row = x + r * width
            var maxV = V(repeating: -.infinity)
            var k = 0
            while k < full {
                let v = load(row + k)
                maxV.replace(with: v, where: v .> maxV)
                k += 8
            }
            var m = maxV.max()
            while k < width { m = Swift.max(m, row[k]); k += 1 }
            let mV = V(repeating: m)
            var sumV = V()
            k = 0
            while k < full {
                let e = exp(load(row + k) - mV)
                store(e, row + k)
                sumV += e
                k += 8
            }
            var sum = sumV.sum()
            if k < width {
                var tail = V(repeating: -.infinity)
                for j in k..<width { tail[j - k] = row[j] - m }
                let e = exp(tail)
                for j in k..<width { row[j] = e[j - k]; sum += e[j - k] }
            }
            let inverse = V(repeating: 1 / sum)
            k = 0
            while k < full { store(load(row + k) * inverse, row + k); k += 8 }
            let s = 1 / sum
            while k < width { row[k] *= s; k += 1 }
        }
    }

    // MARK: - Vector math

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> V {
        UnsafeRawPointer(p).loadUnaligned(as: V.self)
    }

    @inline(__always) static func load(_ p: UnsafeMutablePointer<Float>) -> V {
        UnsafeRawPointer(p).loadUnaligned(as: V.self)
    }

    @inline(__always) static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
    }

    /// e^x with Cephes' single-precision polynomial (about 1 ulp); anything below -87.3 (including -inf) gives 0.
    /// Rounding and the power of two use the 1.5 x 2^23 trick: generic float-to-int SIMD conversion is not vectorised.
    @inline(__always) static func exp(_ x: V) -> V {
        let low: Float = -87.33654, high: Float = 88.37626
        var clamped = x.replacing(with: low, where: x .< low)
        clamped.replace(with: high, where: clamped .> high)
        let shifted = clamped * 1.44269504088896341 + 12_582_912
        let n = shifted - 12_582_912
        let r = clamped - n * 0.693359375 + n * 2.12194440e-4
        var p = V(repeating: 1.9875691500e-4)
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        let y = p * (r * r) + r + 1
        let exponent = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000 &+ 127
        var result = y * unsafeBitCast(exponent &<< 23, to: V.self)
        result.replace(with: 0, where: x .< low)
        return result
    }

    /// erf(x) as a rational polynomial on [-4, 4] (beyond which it is ±1 in fp32), about 2 ulp.
    @inline(__always) static func erf(_ v: V) -> V {
        var x = v.replacing(with: -4, where: v .< -4)
        x.replace(with: 4, where: x .> 4)
        let x2 = x * x
        var p = V(repeating: -2.72614225801306e-10)
        p = p * x2 + 2.77068142495902e-08
        p = p * x2 - 2.10102402082508e-06
        p = p * x2 - 5.69250639462346e-05
        p = p * x2 - 7.34990630326855e-04
        p = p * x2 - 2.95459980854025e-03
        p = p * x2 - 1.60960333262415e-02
        p = p * x
        var q = V(repeating: -1.45660718464996e-05)
        q = q * x2 - 2.13374055278905e-04
        q = q * x2 - 1.68282697438203e-03
        q = q * x2 - 7.37332916720468e-03
        q = q * x2 - 1.42647390514189e-02
        return p / q
    }
}
