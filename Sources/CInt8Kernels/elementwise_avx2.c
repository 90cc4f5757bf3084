#pragma STDC FP_CONTRACT OFF
#include "int8_internal.h"

/* The forward pass's element-wise loops (QAEngine's `Kernels`) on 256-bit registers. Swift compiles its SIMD8
 * code for baseline x86-64, two SSE halves at a time; these are the same operations in the same order, without
 * FMA (every multiply and add rounds separately), so they give the same bits. Horizontal sums add the lanes in
 * order from -0, as SIMD8.sum() does. ci8_gelu_rows_fma is the exception: FMA, for the int8 path, whose
 * activations are quantised right after. Callers check ci8_elementwise_avx2() first. */

#ifdef CI8_X86
#include "vector_math_avx2.h"

int ci8_elementwise_avx2(void) { return ci8_kernel_supported(CI8_AVX2); }

VECTOR_INLINE void gelu_rows(float *x, const float *bias, int32_t rows, int32_t width, ptrdiff_t stride, const int fused) {
    for (int32_t r = 0; r < rows; r++) {
        float *row = x + r * stride;
        if (bias) {
            for (int32_t k = 0; k + 8 <= width; k += 8)
                _mm256_storeu_ps(row + k, gelu8(_mm256_add_ps(_mm256_loadu_ps(row + k), _mm256_loadu_ps(bias + k)), fused));
        } else {
            for (int32_t k = 0; k + 8 <= width; k += 8) _mm256_storeu_ps(row + k, gelu8(_mm256_loadu_ps(row + k), fused));
        }
    }
}

AVX2 void ci8_gelu_rows(float *x, const float *bias, int32_t rows, int32_t width, ptrdiff_t stride) {
    gelu_rows(x, bias, rows, width, stride, 0);
}

AVX2 void ci8_gelu_rows_fma(float *x, const float *bias, int32_t rows, int32_t width, ptrdiff_t stride) {
    gelu_rows(x, bias, rows, width, stride, 1);
}

AVX2 void ci8_softmax_rows(float *x, int32_t rows, int32_t width) {
    for (int32_t r = 0; r < rows; r++) softmax_row(x + (ptrdiff_t)r * width, width, 0);
}

AVX2 void ci8_add_layer_norm(float *x, const float *residual, const float *bias, const float *gain, const float *beta,
                             int32_t rows, int32_t width, float epsilon) {
    for (int32_t r = 0; r < rows; r++) {
        float *row = x + (ptrdiff_t)r * width;
        __m256 sum = _mm256_setzero_ps();
        for (int32_t k = 0; k < width; k += 8) {
            __m256 v = _mm256_loadu_ps(row + k);
            if (residual) v = _mm256_add_ps(v, _mm256_loadu_ps(residual + (ptrdiff_t)r * width + k));
            if (bias) v = _mm256_add_ps(v, _mm256_loadu_ps(bias + k));
            _mm256_storeu_ps(row + k, v);
            sum = _mm256_add_ps(sum, v);
        }
        float mean = lane_sum(sum) / (float)width;
        __m256 mv = _mm256_set1_ps(mean), squares = _mm256_setzero_ps();
        for (int32_t k = 0; k < width; k += 8) {
            __m256 d = _mm256_sub_ps(_mm256_loadu_ps(row + k), mv);
            squares = _mm256_add_ps(squares, _mm256_mul_ps(d, d));
        }
        float inverse = 1.0f / __builtin_sqrtf(lane_sum(squares) / (float)width + epsilon);
        __m256 iv = _mm256_set1_ps(inverse);
        for (int32_t k = 0; k < width; k += 8) {
            __m256 normalized = _mm256_mul_ps(_mm256_sub_ps(_mm256_loadu_ps(row + k), mv), iv);
            _mm256_storeu_ps(row + k, _mm256_add_ps(_mm256_mul_ps(normalized, _mm256_loadu_ps(gain + k)),
                                                    _mm256_loadu_ps(beta + k)));
        }
    }
}
#else
int ci8_elementwise_avx2(void) { return 0; }
void ci8_gelu_rows(float *x, const float *bias, int32_t rows, int32_t width, ptrdiff_t stride) {
    (void)x; (void)bias; (void)rows; (void)width; (void)stride;
}
void ci8_gelu_rows_fma(float *x, const float *bias, int32_t rows, int32_t width, ptrdiff_t stride) {
    (void)x; (void)bias; (void)rows; (void)width; (void)stride;
}
void ci8_softmax_rows(float *x, int32_t rows, int32_t width) { (void)x; (void)rows; (void)width; }
void ci8_add_layer_norm(float *x, const float *residual, const float *bias, const float *gain, const float *beta,
                        int32_t rows, int32_t width, float epsilon) {
    (void)x; (void)residual; (void)bias; (void)gain; (void)beta; (void)rows; (void)width; (void)epsilon;
}
#endif
