#ifndef CLINIC_VECTOR_MATH_AVX2_H
#define CLINIC_VECTOR_MATH_AVX2_H

/* erf, GELU, e^x and a row's softmax on 256-bit registers, shared by the element-wise loops and the fused
 * attention. With `fused` 0 every multiply and add rounds on its own: the operations and order of QAEngine's
 * Swift `Kernels`, so the same bits. With `fused` 1 each multiply-add is one FMA: a shorter chain of dependent
 * steps, within about an ulp of the other. Include it only where CI8_X86 is defined; the file must be compiled
 * with `#pragma STDC FP_CONTRACT OFF` so that the unfused form stays unfused. */

#include <immintrin.h>
#include <stdint.h>

#define AVX2 __attribute__((target("avx2,fma")))
#define VECTOR_INLINE static inline __attribute__((always_inline)) AVX2

/* a * b + c, a * b - c and c - a * b. */
VECTOR_INLINE __m256 madd(__m256 a, __m256 b, const int fused, __m256 c) {
    return fused ? _mm256_fmadd_ps(a, b, c) : _mm256_add_ps(_mm256_mul_ps(a, b), c);
}
VECTOR_INLINE __m256 msub(__m256 a, __m256 b, const int fused, __m256 c) {
    return fused ? _mm256_fmsub_ps(a, b, c) : _mm256_sub_ps(_mm256_mul_ps(a, b), c);
}
VECTOR_INLINE __m256 nmadd(__m256 a, __m256 b, const int fused, __m256 c) {
    return fused ? _mm256_fnmadd_ps(a, b, c) : _mm256_sub_ps(c, _mm256_mul_ps(a, b));
}

/* The lanes added in order from -0, as SIMD8.sum() does. */
VECTOR_INLINE float lane_sum(__m256 v) {
    float lanes[8];
    _mm256_storeu_ps(lanes, v);
    float s = -0.0f;
    for (int i = 0; i < 8; i++) s += lanes[i];
    return s;
}

/* erf as Kernels.erf: clamped to [-4, 4] (a NaN stays NaN), then p(x) / q(x). */
VECTOR_INLINE __m256 erf8(__m256 v, const int fused) {
    __m256 x = _mm256_max_ps(_mm256_set1_ps(-4.0f), v);
    x = _mm256_min_ps(_mm256_set1_ps(4.0f), x);
    __m256 x2 = _mm256_mul_ps(x, x);
    __m256 p = _mm256_set1_ps(-2.72614225801306e-10f);
    p = madd(p, x2, fused, _mm256_set1_ps(2.77068142495902e-08f));
    p = msub(p, x2, fused, _mm256_set1_ps(2.10102402082508e-06f));
    p = msub(p, x2, fused, _mm256_set1_ps(5.69250639462346e-05f));
    p = msub(p, x2, fused, _mm256_set1_ps(7.34990630326855e-04f));
    p = msub(p, x2, fused, _mm256_set1_ps(2.95459980854025e-03f));
    p = msub(p, x2, fused, _mm256_set1_ps(1.60960333262415e-02f));
    p = _mm256_mul_ps(p, x);
    __m256 q = _mm256_set1_ps(-1.45660718464996e-05f);
    q = msub(q, x2, fused, _mm256_set1_ps(2.13374055278905e-04f));
    q = msub(q, x2, fused, _mm256_set1_ps(1.68282697438203e-03f));
    q = msub(q, x2, fused, _mm256_set1_ps(7.37332916720468e-03f));
    q = msub(q, x2, fused, _mm256_set1_ps(1.42647390514189e-02f));
    return _mm256_div_ps(p, q);
}

VECTOR_INLINE __m256 gelu8(__m256 v, const int fused) {
    __m256 e = erf8(_mm256_mul_ps(v, _mm256_set1_ps(0.70710678118654752f)), fused);
    __m256 half_v = _mm256_mul_ps(_mm256_set1_ps(0.5f), v);
    return fused ? _mm256_fmadd_ps(half_v, e, half_v) : _mm256_mul_ps(half_v, _mm256_add_ps(_mm256_set1_ps(1.0f), e));
}

/* e^x as Kernels.exp (Cephes polynomial, 1.5 x 2^23 rounding trick, 0 below -87.3). */
VECTOR_INLINE __m256 exp8(__m256 x, const int fused) {
    const __m256 low = _mm256_set1_ps(-87.33654f), high = _mm256_set1_ps(88.37626f);
    const __m256 magic = _mm256_set1_ps(12582912.0f);
    __m256 clamped = _mm256_max_ps(low, x);
    clamped = _mm256_min_ps(high, clamped);
    __m256 shifted = madd(clamped, _mm256_set1_ps(1.44269504088896341f), fused, magic);
    __m256 n = _mm256_sub_ps(shifted, magic);
    __m256 r = madd(n, _mm256_set1_ps(2.12194440e-4f), fused, nmadd(n, _mm256_set1_ps(0.693359375f), fused, clamped));
    __m256 p = _mm256_set1_ps(1.9875691500e-4f);
    p = madd(p, r, fused, _mm256_set1_ps(1.3981999507e-3f));
    p = madd(p, r, fused, _mm256_set1_ps(8.3334519073e-3f));
    p = madd(p, r, fused, _mm256_set1_ps(4.1665795894e-2f));
    p = madd(p, r, fused, _mm256_set1_ps(1.6666665459e-1f));
    p = madd(p, r, fused, _mm256_set1_ps(5.0000001201e-1f));
    __m256 y = _mm256_add_ps(madd(p, _mm256_mul_ps(r, r), fused, r), _mm256_set1_ps(1.0f));
    __m256i exponent = _mm256_add_epi32(_mm256_sub_epi32(_mm256_castps_si256(shifted), _mm256_set1_epi32(0x4B400000)),
                                        _mm256_set1_epi32(127));
    __m256 result = _mm256_mul_ps(y, _mm256_castsi256_ps(_mm256_slli_epi32(exponent, 23)));
    return _mm256_andnot_ps(_mm256_cmp_ps(x, low, _CMP_LT_OQ), result);
}

/* One row's softmax over `width` floats, in place. The tail past the last full vector is computed as a vector
 * whose missing lanes are -inf, like Kernels.softmaxRows, and added to the sum lane by lane after the rest. */
VECTOR_INLINE void softmax_row(float *row, int32_t width, const int fused) {
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
        __m256 e = exp8(_mm256_sub_ps(_mm256_loadu_ps(row + k), mv), fused);
        _mm256_storeu_ps(row + k, e);
        sum_v = _mm256_add_ps(sum_v, e);
    }
    float sum = lane_sum(sum_v);
    if (rest) {
        __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32(rest), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
        __m256 shifted = _mm256_sub_ps(_mm256_maskload_ps(row + full, mask), mv);
        __m256 e = exp8(_mm256_blendv_ps(_mm256_set1_ps(-__builtin_inff()), shifted, _mm256_castsi256_ps(mask)), fused);
        _mm256_maskstore_ps(row + full, mask, e);
        _mm256_storeu_ps(lanes, e);
        for (int32_t j = 0; j < rest; j++) sum += lanes[j];
    }
    __m256 inverse = _mm256_set1_ps(1.0f / sum);
    for (k = 0; k < full; k += 8) _mm256_storeu_ps(row + k, _mm256_mul_ps(_mm256_loadu_ps(row + k), inverse));
    float s = 1.0f / sum;
    for (; k < width; k++) row[k] *= s;
}

#endif
