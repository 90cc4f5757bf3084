import Foundation
import Testing
import COpenBLAS
@testable import QAEngine

@Suite struct KernelTests {
    @Test func erfIsAccurateEverywhere() {
        var worst: Double = 0
        for i in stride(from: -6000, through: 6000, by: 8) {
            let lanes = SIMD8<Float>((0..<8).map { Float(i + $0) / 1000 })
            let approx = Kernels.erf(lanes)
            for k in 0..<8 { worst = max(worst, abs(Double(approx[k]) - Foundation.erf(Double(lanes[k])))) }
        }
        #expect(worst < 5e-7, "max erf error \(worst)")
    }

    @Test func expIsAccurateOverSoftmaxRange() {
        var worst: Double = 0
        for i in stride(from: -87000, through: 80000, by: 8) {
            let lanes = SIMD8<Float>((0..<8).map { Float(i + $0) / 1000 })
            let approx = Kernels.exp(lanes)
            for k in 0..<8 {
                let exact = Foundation.exp(Double(lanes[k]))
                worst = max(worst, abs(Double(approx[k]) - exact) / exact)
            }
        }
        #expect(worst < 3e-7, "max relative exp error \(worst)")
        let extremes = Kernels.exp(SIMD8<Float>(-.infinity, -10_000, -88, -87.3, 0, 1, 88, 88.3))
        #expect(extremes[0] == 0 && extremes[1] == 0 && extremes[2] == 0)
        #expect(extremes[4] == 1 && extremes[7].isFinite)
    }

    @Test func softmaxRowsSumToOneAndHandleTails() {
        for width in [1, 7, 8, 9, 31, 64] {
            var m = (0..<(3 * width)).map { Float(($0 * 7919) % 23) - 11 }
            m.withUnsafeMutableBufferPointer { Kernels.softmaxRows($0.baseAddress!, rows: 3, width: width) }
            for r in 0..<3 {
                let row = m[(r * width)..<((r + 1) * width)]
                #expect(abs(row.reduce(0, +) - 1) < 1e-5)
                #expect(row.allSatisfy { $0 > 0 })
            }
        }
    }

    @Test func layerNormMatchesDefinition() {
        let width = 24
        var x = (0..<width).map { Float(sin(Double($0))) * 3 }
        let residual = (0..<width).map { Float($0) / 10 }
        let bias = (0..<width).map { _ in Float(0.25) }
        let gain = (0..<width).map { 1 + Float($0) / 100 }
        let beta = (0..<width).map { Float($0) / -50 }
        let summed = zip(zip(x, residual), bias).map { Double($0.0 + $0.1 + $1) }
        let mean = summed.reduce(0, +) / Double(width)
        let variance = summed.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(width)
        let expected = summed.enumerated().map { (i, v) in (v - mean) / (variance + 1e-12).squareRoot() * Double(gain[i]) + Double(beta[i]) }
        x.withUnsafeMutableBufferPointer {
            Kernels.addLayerNorm($0.baseAddress!, residual: residual, bias: bias, gain: gain, beta: beta, rows: 1, width: width, epsilon: 1e-12)
        }
        for i in 0..<width { #expect(abs(Double(x[i]) - expected[i]) < 1e-5) }
    }

    /// The AVX2 loops in C give the Swift loops' bits exactly, tails and extremes included, so the choice
    /// between them never changes a logit.
    @Test func vectorisedLoopsAreBitIdenticalToSwift() {
        guard Kernels.vectorised else { return }
        var state: UInt64 = 12345
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % 2_000_001 - 1_000_000) / 100_000
        }
        func bits(_ a: [Float]) -> [UInt32] { a.map(\.bitPattern) }
        let specials: [Float] = [0, -0.0, 4, -4, 3.99, -87.5, 90, 1e-30, -1e-30, .infinity, -.infinity, .nan]
        for width in [8, 16, 24, 384, 1536] {
            let rows = 5
            var x = (0..<(rows * width)).map { _ in next() }
            for (i, v) in specials.enumerated() where i < x.count { x[i * 7 % x.count] = v }
            let bias = (0..<width).map { _ in next() / 10 }
            let residual = (0..<(rows * width)).map { _ in next() }
            let gain = (0..<width).map { _ in next() / 5 }, beta = (0..<width).map { _ in next() / 5 }
            for withBias in [false, true] {
                var a = x, b = x
                a.withUnsafeMutableBufferPointer { Kernels.addBiasGELU($0.baseAddress!, bias: withBias ? bias : nil, rows: rows, width: width, vectorised: false) }
                b.withUnsafeMutableBufferPointer { Kernels.addBiasGELU($0.baseAddress!, bias: withBias ? bias : nil, rows: rows, width: width, vectorised: true) }
                #expect(bits(a) == bits(b), "GELU width \(width) bias \(withBias)")
                var fused = x
                fused.withUnsafeMutableBufferPointer {
                    Kernels.addBiasGELU($0.baseAddress!, bias: withBias ? bias : nil, rows: rows, width: width, fused: true)
                }
                // Where erf is near -1 both lose digits to cancellation, so the bound is on the input's scale.
                let far = (0..<x.count).filter { i in
                    let exact = a[i], fma = fused[i], input = x[i] + (withBias ? bias[i % width] : 0)
                    return !(exact == fma || (exact.isNaN && fma.isNaN) || abs(exact - fma) <= 1e-6 * max(input.magnitude, 1))
                }.map { (a[$0], fused[$0]) }
                #expect(far.isEmpty, "FMA GELU width \(width) bias \(withBias): \(far.prefix(3))")
                var c = x, d = x
                c.withUnsafeMutableBufferPointer {
                    Kernels.addLayerNorm($0.baseAddress!, residual: withBias ? residual : nil, bias: withBias ? bias : nil, gain: gain,
                                         beta: beta, rows: rows, width: width, epsilon: 1e-12, vectorised: false)
                }
                d.withUnsafeMutableBufferPointer {
                    Kernels.addLayerNorm($0.baseAddress!, residual: withBias ? residual : nil, bias: withBias ? bias : nil, gain: gain,
                                         beta: beta, rows: rows, width: width, epsilon: 1e-12, vectorised: true)
                }
                #expect(bits(c) == bits(d), "layer norm width \(width) residual \(withBias)")
            }
        }
        for width in [1, 3, 7, 8, 9, 15, 16, 47, 48, 49, 200] {
            let rows = 4
            for scale: Float in [1, 30] {
                var x = (0..<(rows * width)).map { _ in next() / 10 * scale }
                if width > 2 { x[1] = -.infinity; x[width + 2] = 60 * scale }
                var a = x, b = x
                a.withUnsafeMutableBufferPointer { Kernels.softmaxRows($0.baseAddress!, rows: rows, width: width, vectorised: false) }
                b.withUnsafeMutableBufferPointer { Kernels.softmaxRows($0.baseAddress!, rows: rows, width: width, vectorised: true) }
                #expect(bits(a) == bits(b), "softmax width \(width) scale \(scale)")
            }
        }
    }

    /// The fused attention kernel against the two-sgemm path it replaces, for head sizes of MiniLM (32), BERT base
    /// (64) and one that is neither, lengths around every multiple of 8 the row and column blocks split at.
    @Test func fusedAttentionMatchesTheSgemmPath() {
        guard Kernels.vectorised else { return }
        var state: UInt64 = 99
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % 2_000_001 - 1_000_000) / 400_000
        }
        for d in [8, 32, 40, 64] {
            for length in [1, 2, 3, 5, 8, 9, 16, 17, 31, 47, 64, 130] {
                let stride = 3 * d + 8
                let qkv = (0..<(length * stride)).map { _ in next() }
                let scratch = UnsafeMutablePointer<Float>.allocate(capacity: Kernels.attentionScratch(length: length, headSize: d))
                defer { scratch.deallocate() }
                func run(_ vectorised: Bool) -> [Float] {
                    var out = [Float](repeating: .nan, count: length * (d + 4))
                    qkv.withUnsafeBufferPointer { p in
                        out.withUnsafeMutableBufferPointer { o in
                            Kernels.attentionHead(q: p.baseAddress!, k: p.baseAddress! + d, v: p.baseAddress! + 2 * d, stride: stride,
                                                  length: length, headSize: d, scale: 1 / Float(d).squareRoot(), scratch: scratch,
                                                  out: o.baseAddress!, outStride: d + 4, vectorised: vectorised)
                        }
                    }
                    return out
                }
                let fused = run(true), reference = run(false)
                var worst: Float = 0
                for r in 0..<length {
                    for c in 0..<d { worst = max(worst, abs(fused[r * (d + 4) + c] - reference[r * (d + 4) + c])) }
                    for c in d..<(d + 4) { #expect(fused[r * (d + 4) + c].isNaN, "wrote past the head's columns") }
                }
                #expect(worst < 1e-5, "head size \(d), length \(length): largest difference \(worst)")
            }
        }
    }

    /// The packed fp32 kernels (AVX2 and, where the CPU has it, AVX-512) against OpenBLAS: row counts around
    /// both tile heights, k across the 256-long blocks, a last panel narrower than 16 columns, and a column range
    /// starting inside the matrix as the workers' halves do.
    @Test func packedFP32KernelsMatchBLAS() throws {
        guard PackedFP32Matrix.kernel > 0 else { return }
        var state: UInt64 = 7
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % 2_000_001 - 1_000_000) / 1_000_000
        }
        for (k, n) in [(8, 16), (40, 40), (384, 1152), (300, 37), (600, 48)] {
            let w = (0..<(k * n)).map { _ in next() }
            let packed = try #require(w.withUnsafeBufferPointer { PackedFP32Matrix(weights: $0.baseAddress!, inputs: k, outputs: n) })
            for rows in [1, 5, 6, 7, 8, 9, 13, 50] {
                let a = (0..<(rows * k)).map { _ in next() }
                var reference = [Float](repeating: 0, count: rows * n)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(n), Int32(k), 1, a, Int32(k), w, Int32(n),
                            0, &reference, Int32(n))
                for kernel in Int32(1)...PackedFP32Matrix.kernel {
                    for columns in [0..<n, (n > 16 ? 16 : 0)..<n] {
                        var c = [Float](repeating: .nan, count: rows * n)
                        c.withUnsafeMutableBufferPointer { out in
                            a.withUnsafeBufferPointer { packed.multiply($0.baseAddress!, rows: rows, columns: columns, into: out.baseAddress!,
                                                                        stride: n, kernel: kernel) }
                        }
                        var worst: Float = 0
                        for r in 0..<rows {
                            for j in 0..<n {
                                if columns.contains(j) { worst = max(worst, abs(c[r * n + j] - reference[r * n + j])) }
                                else { #expect(c[r * n + j].isNaN, "wrote outside its columns") }
                            }
                        }
                        #expect(worst < 1e-4, "kernel \(kernel), k \(k), n \(n), rows \(rows), columns \(columns): \(worst)")
                    }
                }
            }
        }
    }
}
