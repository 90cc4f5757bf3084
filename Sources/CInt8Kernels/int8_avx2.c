#pragma STDC FP_CONTRACT OFF
#include "int8_internal.h"

#ifdef CI8_X86
#include <float.h>
#include <immintrin.h>
#include <string.h>

#define AVX2 __attribute__((target("avx2,fma")))
#define TILE_ROWS 6

/* Activations and weights are s8 values held in s16: vpmaddwd multiplies two pairs and adds them into an int32
 * exactly (|127 x 127 x 2| is far from overflowing), unlike vpmaddubsw, whose u8 x s8 pair sums saturate at
 * 32767 unless activations are cut to 7 bits. */
static inline __attribute__((always_inline)) AVX2 void tile(const int rows, const uint8_t *a, size_t row_bytes,
                                                            const int16_t *b, int32_t pairs,
                                                            int32_t out[TILE_ROWS][CI8_BLOCK_COLUMNS]) {
    __m256i acc[TILE_ROWS][2];
    for (int r = 0; r < rows; r++) acc[r][0] = acc[r][1] = _mm256_setzero_si256();
    for (int32_t p = 0; p < pairs; p++) {
        __m256i b0 = _mm256_loadu_si256((const __m256i *)(b + (size_t)p * 32));
        __m256i b1 = _mm256_loadu_si256((const __m256i *)(b + (size_t)p * 32 + 16));
        for (int r = 0; r < rows; r++) {
            int32_t pair;
            memcpy(&pair, a + (size_t)r * row_bytes + (size_t)p * 4, 4);
            __m256i av = _mm256_set1_epi32(pair);
            acc[r][0] = _mm256_add_epi32(acc[r][0], _mm256_madd_epi16(av, b0));
            acc[r][1] = _mm256_add_epi32(acc[r][1], _mm256_madd_epi16(av, b1));
        }
    }
    for (int r = 0; r < rows; r++) {
        _mm256_storeu_si256((__m256i *)out[r], acc[r][0]);
        _mm256_storeu_si256((__m256i *)(out[r] + 8), acc[r][1]);
    }
}

AVX2 void ci8_avx2_store_tile(const int32_t (*acc)[CI8_BLOCK_COLUMNS], int32_t rows, const float *row_scales,
                              const ci8_matrix *m, int32_t block, int32_t begin, int32_t end, const float *bias,
                              float *c, ptrdiff_t ldc) {
    int32_t first = block * CI8_BLOCK_COLUMNS;
    if (begin == first && end == first + CI8_BLOCK_COLUMNS) {
        __m256 s0 = _mm256_loadu_ps(m->scales + first), s1 = _mm256_loadu_ps(m->scales + first + 8);
        for (int32_t r = 0; r < rows; r++) {
            __m256 rs = _mm256_set1_ps(row_scales[r]);
            __m256 v0 = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_loadu_si256((const __m256i *)acc[r])), _mm256_mul_ps(rs, s0));
            __m256 v1 = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_loadu_si256((const __m256i *)(acc[r] + 8))), _mm256_mul_ps(rs, s1));
            if (bias) {
                v0 = _mm256_add_ps(v0, _mm256_loadu_ps(bias + first));
                v1 = _mm256_add_ps(v1, _mm256_loadu_ps(bias + first + 8));
            }
            _mm256_storeu_ps(c + r * ldc + first, v0);
            _mm256_storeu_ps(c + r * ldc + first + 8, v1);
        }
    } else {
        for (int32_t r = 0; r < rows; r++)
            ci8_store_partial(acc[r] + (begin - first), row_scales[r], m->scales, bias, c + r * ldc, begin, end);
    }
}

AVX2 void ci8_avx2_gemm(const ci8_matrix *m, const void *q, const float *row_scales, int32_t rows,
                        int32_t col_begin, int32_t col_end, const float *bias, float *c, ptrdiff_t ldc) {
    const int16_t *w = m->data;
    int32_t pairs = m->k_padded / 2;
    size_t row_bytes = ci8_activation_row_bytes(CI8_AVX2, m->k);
    int32_t acc[TILE_ROWS][CI8_BLOCK_COLUMNS];
    for (int32_t block = col_begin / CI8_BLOCK_COLUMNS; block * CI8_BLOCK_COLUMNS < col_end; block++) {
        int32_t first = block * CI8_BLOCK_COLUMNS;
        int32_t begin = first > col_begin ? first : col_begin;
        int32_t end = first + CI8_BLOCK_COLUMNS < col_end ? first + CI8_BLOCK_COLUMNS : col_end;
        const int16_t *panel = w + (size_t)block * pairs * 32;
        for (int32_t r = 0; r < rows; r += TILE_ROWS) {
            const uint8_t *a = (const uint8_t *)q + (size_t)r * row_bytes;
            int32_t n = rows - r < TILE_ROWS ? rows - r : TILE_ROWS;
            switch (n) {
            case 6: tile(6, a, row_bytes, panel, pairs, acc); break;
            case 5: tile(5, a, row_bytes, panel, pairs, acc); break;
            case 4: tile(4, a, row_bytes, panel, pairs, acc); break;
            case 3: tile(3, a, row_bytes, panel, pairs, acc); break;
            case 2: tile(2, a, row_bytes, panel, pairs, acc); break;
            default: tile(1, a, row_bytes, panel, pairs, acc); break;
            }
            ci8_avx2_store_tile((const int32_t (*)[CI8_BLOCK_COLUMNS])acc, n, row_scales + r, m, block, begin, end,
                                bias, c + r * ldc, ldc);
        }
    }
}

/* max|row[i]| over k floats, and whether any is NaN or infinite: what ci8_row_scale needs. */
static inline __attribute__((always_inline)) AVX2 void row_range(const float *row, int32_t k, float *max_abs, int *bad) {
    const __m256 abs_mask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
    const __m256 largest = _mm256_set1_ps(FLT_MAX);
    __m256 max_v = _mm256_setzero_ps(), bad_v = _mm256_setzero_ps();
    int32_t i = 0;
    for (; i + 8 <= k; i += 8) {
        __m256 a = _mm256_and_ps(_mm256_loadu_ps(row + i), abs_mask);
        max_v = _mm256_max_ps(max_v, a);
        bad_v = _mm256_or_ps(bad_v, _mm256_cmp_ps(a, largest, _CMP_NLE_UQ));
    }
    float lanes[8];
    _mm256_storeu_ps(lanes, max_v);
    float m = 0;
    for (int l = 0; l < 8; l++) m = lanes[l] > m ? lanes[l] : m;
    int b = _mm256_movemask_ps(bad_v) != 0;
    for (int32_t t = i; t < k; t++) {
        float a = row[t] < 0 ? -row[t] : row[t];
        if (!(a <= FLT_MAX)) b = 1;
        if (a > m) m = a;
    }
    *max_abs = m;
    *bad = b;
}

AVX2 void ci8_avx2_quantize(const float *x, int32_t rows, int32_t k, ptrdiff_t ldx, void *q, size_t row_bytes,
                            int as_u8, float *row_scales) {
    const __m256i low = _mm256_set1_epi32(-127), high = _mm256_set1_epi32(127);
    for (int32_t r = 0; r < rows; r++) {
        const float *row = x + r * ldx;
        uint8_t *out = (uint8_t *)q + (size_t)r * row_bytes;
        float max_abs;
        int bad;
        row_range(row, k, &max_abs, &bad);
        float scale, inverse;
        ci8_row_scale(max_abs, bad, &scale, &inverse);
        row_scales[r] = scale;
        __m256 inv = _mm256_set1_ps(inverse);
        int32_t i = 0;
        for (; i + 8 <= k; i += 8) {
            __m256i v = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(row + i), inv));
            v = _mm256_min_epi32(_mm256_max_epi32(v, low), high);
            __m128i s16 = _mm_packs_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
            if (as_u8) {
                __m128i u8 = _mm_packus_epi16(_mm_add_epi16(s16, _mm_set1_epi16(128)), _mm_setzero_si128());
                _mm_storel_epi64((__m128i *)(out + i), u8);
            } else {
                _mm_storeu_si128((__m128i *)(out + 2 * (size_t)i), s16);
            }
        }
        if (as_u8) {
            for (; i < k; i++) out[i] = (uint8_t)(ci8_quantize_value(row[i], inverse) + 128);
            for (size_t t = (size_t)k; t < row_bytes; t++) out[t] = 128;
        } else {
            int16_t *out16 = (int16_t *)out;
            for (; i < k; i++) out16[i] = ci8_quantize_value(row[i], inverse);
            for (size_t t = (size_t)k; t < row_bytes / 2; t++) out16[t] = 0;
        }
    }
}

/* One weight row (k contiguous floats) quantised to s8 with the rule of ci8_quantize_value; returns the row's sum
 * of quantised values. The same max|w|, scale and rounding as the portable code, so the same bytes. */
AVX2 int32_t ci8_avx2_quantize_weight_row(const float *row, int32_t k, int8_t *out, float *scale) {
    const __m256i low = _mm256_set1_epi32(-127), high = _mm256_set1_epi32(127);
    float max_abs;
    int bad;
    row_range(row, k, &max_abs, &bad);
    float inverse;
    ci8_row_scale(max_abs, bad, scale, &inverse);
    __m256 inv = _mm256_set1_ps(inverse);
    __m256i sum = _mm256_setzero_si256();
    int32_t i = 0;
    for (; i + 8 <= k; i += 8) {
        __m256i v = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(row + i), inv));
        v = _mm256_min_epi32(_mm256_max_epi32(v, low), high);
        sum = _mm256_add_epi32(sum, v);
        __m128i s16 = _mm_packs_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
        _mm_storel_epi64((__m128i *)(out + i), _mm_packs_epi16(s16, s16));
    }
    int32_t parts[8], total = 0;
    _mm256_storeu_si256((__m256i *)parts, sum);
    for (int l = 0; l < 8; l++) total += parts[l];
    for (; i < k; i++) {
        out[i] = ci8_quantize_value(row[i], inverse);
        total += out[i];
    }
    return total;
}
#endif
