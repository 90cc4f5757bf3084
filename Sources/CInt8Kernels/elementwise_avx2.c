#pragma STDC FP_CONTRACT OFF
#include "int8_internal.h"

/* The forward pass's element-wise loops (QAEngine's `Kernels`) on 256-bit registers. Swift compiles its SIMD8
 * code for baseline x86-64, two SSE halves at a time; these are the same operations in the same order, without
 * FMA (every multiply and add rounds separately), so they give the same bits. Horizontal sums add the lanes in
 * order from -0, as SIMD8.sum() does. Callers check ci8_elementwise_avx2() first. */

#ifdef CI8_X86
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2")))

int ci8_elementwise_avx2(void) { return ci8_kernel_supported(CI8_AVX2); }

static inline __attribute__((always_inline)) AVX2 float lane_sum(__m256 v) {
    float lanes[8];
    _mm256_storeu_ps(lanes, v);
    float s = -0.0f;
    for (int i = 0; i < 8; i++) s += lanes[i];
    return s;
}

/* erf as Kernels.erf: clamped to [-4, 4] (a NaN stays NaN), then p(x) / q(x). */
static inline __attribute__((always_inline)) AVX2 __m256 erf8(__m256 v) {
    __m256 x = _mm256_max_ps(_mm256_set1_ps(-4.0f), v);
    x = _mm256_min_ps(_mm256_set1_ps(4.0f), x);
    __m256 x2 = _mm256_mul_ps(x, x);
    __m256 p = _mm256_set1_ps(-2.72614225801306e-10f);
    p = _mm256_add_ps(_mm256_mul_ps(p, x2), _mm256_set1_ps(2.77068142495902e-08f));
    p = _mm256_sub_ps(_mm256_mul_ps(p, x2), _mm256_set1_ps(2.10102402082508e-06f));
    p = _mm256_sub_ps(_mm256_mul_ps(p, x2), _mm256_set1_ps(5.69250639462346e-05f));
    p = _mm256_sub_ps(_mm256_mul_ps(p, x2), _mm256_set1_ps(7.34990630326855e-04f));
    p = _mm256_sub_ps(_mm256_mul_ps(p, x2), _mm256_set1_ps(2.95459980854025e-03f));
    p = _mm256_sub_ps(_mm256_mul_ps(p, x2), _mm256_set1_ps(1.60960333262415e-02f));
    p = _mm256_mul_ps(p, x);
    __m256 q = _mm256_set1_ps(-1.45660718464996e-05f);
    q = _mm256_sub_ps(_mm256_mul_ps(q, x2), _mm256_set1_ps(2.13374055278905e-04f));
    q = _mm256_sub_ps(_mm256_mul_ps(q, x2), _mm256_set1_ps(1.68282697438203e-03f));
    q = _mm256_sub_ps(_mm256_mul_ps(q, x2), _mm256_set1_ps(7.37332916720468e-03f));
    q = _mm256_sub_ps(_mm256_mul_ps(q, x2), _mm256_set1_ps(1.42647390514189e-02f));
    return _mm256_div_ps(p, q);
}

static inline __attribute__((always_inline)) AVX2 __m256 gelu8(__m256 v) {
    __m256 e = erf8(_mm256_mul_ps(v, _mm256_set1_ps(0.70710678118654752f)));
    return _mm256_mul_ps(_mm256_mul_ps(_mm256_set1_ps(0.5f), v), _mm256_add_ps(_mm256_set1_ps(1.0f), e));
}

AVX2 void ci8_gelu_rows(float *x, const float *bias, int32_t rows, int32_t width, ptrdiff_t stride) {
    for (int32_t r = 0; r < rows; r++) {
        float *row = x + r * stride;
        if (bias) {
            for (int32_t k = 0; k + 8 <= width; k += 8)
                _mm256_storeu_ps(row + k, gelu8(_mm256_add_ps(_mm256_loadu_ps(row + k), _mm256_loadu_ps(bias + k))));
        } else {
            for (int32_t k = 0; k + 8 <= width; k += 8) _mm256_storeu_ps(row + k, gelu8(_mm256_loadu_ps(row + k)));
        }
    }
}

/* e^x as Kernels.exp (Cephes polynomial, 1.5 x 2^23 rounding trick, 0 below -87.3). */
static inline __attribute__((always_inline)) AVX2 __m256 exp8(__m256 x) {
    const __m256 low = _mm256_set1_ps(-87.33654f), high = _mm256_set1_ps(88.37626f);
    const __m256 magic = _mm256_set1_ps(12582912.0f);
    __m256 clamped = _mm256_max_ps(low, x);
    clamped = _mm256_min_ps(high, clamped);
    __m256 shifted = _mm256_add_ps(_mm256_mul_ps(clamped, _mm256_set1_ps(1.44269504088896341f)), magic);
    __m256 n = _mm256_sub_ps(shifted, magic);
    __m256 r = _mm256_add_ps(_mm256_sub_ps(clamped, _mm256_mul_ps(n, _mm256_set1_ps(0.693359375f))),
                             _mm256_mul_ps(n, _mm256_set1_ps(2.12194440e-4f)));
    __m256 p = _mm256_set1_ps(1.9875691500e-4f);
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(1.3981999507e-3f));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(8.3334519073e-3f));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(4.1665795894e-2f));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(1.6666665459e-1f));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(5.0000001201e-1f));
    __m256 y = _mm256_add_ps(_mm256_add_ps(_mm256_mul_ps(p, _mm256_mul_ps(r, r)), r), _mm256_set1_ps(1.0f));
    __m256i exponent = _mm256_add_epi32(_mm256_sub_epi32(_mm256_castps_si256(shifted), _mm256_set1_epi32(0x4B400000)),
                                        _mm256_set1_epi32(127));
    __m256 result = _mm256_mul_ps(y, _mm256_castsi256_ps(_mm256_slli_epi32(exponent, 23)));
    return _mm256_andnot_ps(_mm256_cmp_ps(x, low, _CMP_LT_OQ), result);
}

/* One row's softmax over `width` floats, in place. The tail past the last full vector is computed as a vector
 * whose missing lanes are -inf, like Kernels.softmaxRows, and added to the sum lane by lane after the rest. */
AVX2 void ci8_avx2_softmax_row(float *row, int32_t width) {
    int32_t full = width & ~7, rest = width - full;
    __m256 max_v = _mm256_set1_ps(-__builtin_inff());
    int32_t k = 0;
    for (; k < full; k += 8) max_v = _mm256_max_ps(_mm256_loadu_ps(row + k), max_v);
    float lanes[8];
    _mm256_storeu_ps(lanes, max_v);
    float m = lanes[0];
    for (int i = 1; i < 8; i++) m = lanes[i] >= m ? lanes[i] : m; /* Swift.max(m, lane) */
    for (; k < width; k++) m = row[k] >= m ? row[k] : m;
    __m256 mv = _mm256_set1_ps(m), sum_v = _mm256_setzero_ps();
    for (k = 0; k < full; k += 8) {
        __m256 e = exp8(_mm256_sub_ps(_mm256_loadu_ps(row + k), mv));
        _mm256_storeu_ps(row + k, e);
        sum_v = _mm256_add_ps(sum_v, e);
    }
    float sum = lane_sum(sum_v);
    if (rest) {
        __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32(rest), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
        __m256 shifted = _mm256_sub_ps(_mm256_maskload_ps(row + full, mask), mv);
        __m256 e = exp8(_mm256_blendv_ps(_mm256_set1_ps(-__builtin_inff()), shifted, _mm256_castsi256_ps(mask)));
        _mm256_maskstore_ps(row + full, mask, e);
        _mm256_storeu_ps(lanes, e);
        for (int32_t j = 0; j < rest; j++) sum += lanes[j];
    }
    __m256 inverse = _mm256_set1_ps(1.0f / sum);
    for (k = 0; k < full; k += 8) _mm256_storeu_ps(row + k, _mm256_mul_ps(_mm256_loadu_ps(row + k), inverse));
    float s = 1.0f / sum;
    for (; k < width; k++) row[k] *= s;
}

AVX2 void ci8_softmax_rows(float *x, int32_t rows, int32_t width) {
    for (int32_t r = 0; r < rows; r++) ci8_avx2_softmax_row(x + (ptrdiff_t)r * width, width);
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
void ci8_softmax_rows(float *x, int32_t rows, int32_t width) { (void)x; (void)rows; (void)width; }
void ci8_add_layer_norm(float *x, const float *residual, const float *bias, const float *gain, const float *beta,
                        int32_t rows, int32_t width, float epsilon) {
    (void)x; (void)residual; (void)bias; (void)gain; (void)beta; (void)rows; (void)width; (void)epsilon;
}
#endif
