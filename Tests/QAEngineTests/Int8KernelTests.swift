import Foundation
import Testing
@testable import QAEngine

/// Every int8 kernel this CPU runs, against the definition (quantise, int32 sums, dequantise) and the fp32 product.
@Suite struct Int8KernelTests {
    /// Sizes with tails in every dimension: rows not a multiple of the tile, inputs not a multiple of 2 or 4,
    /// outputs not a multiple of the 16-column block.
    static let shapes: [(rows: Int, inputs: Int, outputs: Int)] = [
        (1, 1, 1), (7, 13, 5), (13, 31, 37), (6, 16, 16), (9, 3, 17), (20, 384, 49), (3, 1536, 40),
    ]

    struct Product {
        var rows: Int, inputs: Int, outputs: Int
        var x: [Float], w: [Float], bias: [Float]

        init(rows: Int, inputs: Int, outputs: Int, seed: UInt64) {
            self.rows = rows; self.inputs = inputs; self.outputs = outputs
            var state = seed
            func next() -> Float {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return Float(Int64(bitPattern: state >> 11) % 2_000_001 - 1_000_000) / 1_000_000
            }
            x = (0..<(rows * inputs)).map { _ in next() * 3 }
            w = (0..<(outputs * inputs)).map { _ in next() / 2 }
            bias = (0..<outputs).map { _ in next() }
        }

        /// fp64 reference of x W^T + bias, W stored [out, in].
        func exact() -> [Double] {
            (0..<(rows * outputs)).map { e in
                let (r, j) = e.quotientAndRemainder(dividingBy: outputs)
                return (0..<inputs).reduce(Double(bias[j])) { $0 + Double(x[r * inputs + $1]) * Double(w[j * inputs + $1]) }
            }
        }

        /// The product through `kernel`, its columns split at `cut` (two calls, as two workers would make).
        func int8(_ kernel: Int8Kernel, cut: Int) throws -> (out: [Float], matrix: Int8Matrix, scales: [Float]) {
            let matrix = try w.withUnsafeBufferPointer {
                try Int8Matrix(kernel: kernel, weights: $0.baseAddress!, outputs: outputs, inputs: inputs, outStride: inputs, inStride: 1)
            }
            let rowBytes = Int8Matrix.activationRowBytes(kernel, inputs: inputs)
            let q = UnsafeMutableRawPointer.allocate(byteCount: rows * rowBytes, alignment: 64)
            defer { q.deallocate() }
            var scales = [Float](repeating: 0, count: rows)
            var out = [Float](repeating: .nan, count: rows * outputs)
            x.withUnsafeBufferPointer { xs in
                scales.withUnsafeMutableBufferPointer { s in
                    matrix.quantize(xs.baseAddress!, rows: rows, stride: inputs, into: q, scales: s.baseAddress!)
                }
            }
            scales.withUnsafeBufferPointer { s in
                bias.withUnsafeBufferPointer { b in
                    out.withUnsafeMutableBufferPointer { o in
                        let cut = min(cut, outputs)
                        for columns in [0..<cut, cut..<outputs] {
                            matrix.multiply(q, scales: s.baseAddress!, rows: rows, columns: columns, bias: b.baseAddress!,
                                            into: o.baseAddress!, stride: outputs)
                        }
                    }
                }
            }
            return (out, matrix, scales)
        }
    }

    /// Symmetric per-row quantisation as documented: scale max|v| / 127, values rounded half to even.
    static func quantize(_ v: ArraySlice<Float>) -> (q: [Int32], scale: Float) {
        let m = v.map(abs).max() ?? 0
        guard m > 0 else { return (v.map { _ in 0 }, 0) }
        let inverse = 127 / m
        return (v.map { Int32(max(-127, min(127, ($0 * inverse).rounded(.toNearestOrEven)))) }, m / 127)
    }

    @Test func everySupportedKernelMatchesTheDefinition() throws {
        #expect(Int8Kernel.supported.contains(.portable))
        for kernel in Int8Kernel.supported {
            for (s, shape) in Self.shapes.enumerated() {
                let p = Product(rows: shape.rows, inputs: shape.inputs, outputs: shape.outputs, seed: UInt64(s + 1))
                let (out, matrix, scales) = try p.int8(kernel, cut: shape.outputs / 3)
                var wrong = 0
                let columns = (0..<p.outputs).map { j in Self.quantize(p.w[(j * p.inputs)..<((j + 1) * p.inputs)]) }
                for r in 0..<p.rows {
                    let (qa, rowScale) = Self.quantize(p.x[(r * p.inputs)..<((r + 1) * p.inputs)])
                    #expect(scales[r] == rowScale)
                    for j in 0..<p.outputs {
                        #expect((0..<p.inputs).allSatisfy { Int32(matrix.weight(j, $0)) == columns[j].q[$0] })
                        let sum = zip(qa, columns[j].q).reduce(Int32(0)) { $0 + $1.0 * $1.1 }
                        let expected = Float(sum) * (rowScale * columns[j].scale) + p.bias[j]
                        if out[r * p.outputs + j] != expected { wrong += 1 }
                    }
                }
                #expect(wrong == 0, "\(kernel.rawValue) \(shape): \(wrong) outputs differ from the definition")
            }
        }
    }

    /// Quantisation error against fp32: each product's error is bounded by the sum of |x_i w_i| relative errors;
    /// on these uniform values it stays under 1% of the largest output.
    @Test func everySupportedKernelIsCloseToFP32() throws {
        for kernel in Int8Kernel.supported {
            for (s, shape) in Self.shapes.enumerated() where shape.inputs >= 13 {
                let p = Product(rows: shape.rows, inputs: shape.inputs, outputs: shape.outputs, seed: UInt64(100 + s))
                let exact = p.exact()
                let out = try p.int8(kernel, cut: 16).out
                let largest = exact.map(abs).max() ?? 1
                let worst = zip(out, exact).map { abs(Double($0) - $1) }.max() ?? .nan
                #expect(worst <= 0.01 * largest, "\(kernel.rawValue) \(shape): error \(worst) of \(largest)")
            }
        }
    }

    @Test func kernelsAreBitIdenticalAndColumnSplitsDoNotMatter() throws {
        let p = Product(rows: 11, inputs: 71, outputs: 50, seed: 7)
        let reference = try p.int8(.portable, cut: 0).out
        for kernel in Int8Kernel.supported {
            for cut in [0, 1, 15, 16, 17, 33, 50] {
                #expect(try p.int8(kernel, cut: cut).out == reference, "\(kernel.rawValue), columns split at \(cut)")
            }
        }
    }

    @Test func nonFiniteRowsGiveNaNAndZeroRowsGiveTheBias() throws {
        for kernel in Int8Kernel.supported {
            var p = Product(rows: 3, inputs: 24, outputs: 20, seed: 3)
            for i in 0..<24 { p.x[i] = 0 }
            p.x[24 + 5] = .nan
            p.x[48 + 9] = .infinity
            let out = try p.int8(kernel, cut: 10).out
            #expect(Array(out[0..<20]) == p.bias, "\(kernel.rawValue)")
            #expect(out[20...].allSatisfy { $0.isNaN }, "\(kernel.rawValue)")
        }
    }

    @Test func theEnvironmentForcesAKernelOrFailsClearly() throws {
        #expect(try Int8Kernel.selected(environment: [:]) == Int8Kernel.best)
        #expect(try Int8Kernel.selected(environment: ["CLINIC_INT8_KERNEL": "portable"]) == .portable)
        #expect(try Int8Kernel.selected(environment: ["CLINIC_INT8_KERNEL": "PORTABLE"]) == .portable)
        #expect(throws: QAEngineError.self) { try Int8Kernel.selected(environment: ["CLINIC_INT8_KERNEL": "sse9"]) }
        for kernel in Int8Kernel.allCases where !kernel.isSupported {
            #expect(throws: QAEngineError.self) { try Int8Kernel.selected(environment: ["CLINIC_INT8_KERNEL": kernel.rawValue]) }
        }
        let vnni = Int8Kernel.avx512vnni.isSupported || Int8Kernel.avxvnni.isSupported
        if vnni {
            #expect(try [.avx512vnni, .avxvnni].contains(Int8Kernel.selected(environment: ["CLINIC_INT8_KERNEL": "vnni"])))
        } else {
            #expect(throws: QAEngineError.self) { try Int8Kernel.selected(environment: ["CLINIC_INT8_KERNEL": "vnni"]) }
        }
    }
}
