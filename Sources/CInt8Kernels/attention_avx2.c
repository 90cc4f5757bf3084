#pragma STDC FP_CONTRACT OFF
#include "int8_internal.h"

/* One attention head of one sequence on 256-bit registers with FMA, instead of two small sgemm calls whose set-up
 * and packing cost more than their arithmetic at these lengths (about 50 tokens, head size 32 or 64). K is
 * transposed into scratch once so that each block of scores is broadcast-and-FMA with no horizontal sums. */

#ifdef CI8_X86
#include "vector_math_avx2.h"

#define AVX2FMA AVX2

/* scores[r, j] = scale * q_r . k_j for NR rows and the columns j0..<j0+8*NC (kt is K transposed, `lp` floats a
 * row): NR x NC independent sums, so the FMAs do not wait on each other. */
static inline __attribute__((always_inline)) AVX2FMA void score_block(const float *q, ptrdiff_t ld, const float *kt,
                                                                     int32_t lp, int32_t d, int32_t j0, __m256 scale,
                                                                     float *scores, const int nr, const int nc) {
    __m256 acc[4][2];
    for (int r = 0; r < nr; r++)
        for (int t = 0; t < nc; t++) acc[r][t] = _mm256_setzero_ps();
    for (int32_t c = 0; c < d; c++) {
        const float *kc = kt + (ptrdiff_t)c * lp + j0;
        __m256 k0 = _mm256_loadu_ps(kc), k1 = nc > 1 ? _mm256_loadu_ps(kc + 8) : k0;
        for (int r = 0; r < nr; r++) {
            __m256 qr = _mm256_broadcast_ss(q + r * ld + c);
            acc[r][0] = _mm256_fmadd_ps(qr, k0, acc[r][0]);
            if (nc > 1) acc[r][1] = _mm256_fmadd_ps(qr, k1, acc[r][1]);
        }
    }
    for (int r = 0; r < nr; r++)
        for (int t = 0; t < nc; t++) _mm256_storeu_ps(scores + (ptrdiff_t)r * lp + j0 + 8 * t, _mm256_mul_ps(acc[r][t], scale));
}

/* Every score of rows r..<r+NR. */
static inline __attribute__((always_inline)) AVX2FMA void score_rows(const float *q, ptrdiff_t ld, const float *kt,
                                                                    int32_t lp, int32_t d, __m256 scale, float *scores,
                                                                    const int nr) {
    int32_t j0 = 0;
    for (; j0 + 16 <= lp; j0 += 16) score_block(q, ld, kt, lp, d, j0, scale, scores, nr, 2);
    if (j0 < lp) score_block(q, ld, kt, lp, d, j0, scale, scores, nr, 1);
}

/* out[r, c0..<c0+32] = sum_j p[r, j] v[j, c0..<c0+32] for NR rows (NV vectors of 8 columns, NV <= 4). */
static inline __attribute__((always_inline)) AVX2FMA void output_block(const float *p, int32_t lp, const float *v,
                                                                      ptrdiff_t ld, int32_t length, float *out,
                                                                      ptrdiff_t ldo, const int nr, const int nv) {
    __m256 acc[2][4];
    for (int r = 0; r < nr; r++)
        for (int t = 0; t < nv; t++) acc[r][t] = _mm256_setzero_ps();
    for (int32_t j = 0; j < length; j++) {
        const float *vj = v + (ptrdiff_t)j * ld;
        for (int r = 0; r < nr; r++) {
            __m256 pj = _mm256_broadcast_ss(p + (ptrdiff_t)r * lp + j);
            for (int t = 0; t < nv; t++) acc[r][t] = _mm256_fmadd_ps(pj, _mm256_loadu_ps(vj + 8 * t), acc[r][t]);
        }
    }
    for (int r = 0; r < nr; r++)
        for (int t = 0; t < nv; t++) _mm256_storeu_ps(out + r * ldo + 8 * t, acc[r][t]);
}

AVX2FMA void ci8_attention_head(const float *q, const float *k, const float *v, ptrdiff_t ld, int32_t length,
                                int32_t d, float scale, float *scratch, float *out, ptrdiff_t ldo) {
    if (length <= 0) return;
    int32_t lp = (length + 7) & ~7;
    float *kt = scratch, *scores = scratch + (ptrdiff_t)d * lp;
    for (int32_t c = 0; c < d; c++) {
        float *row = kt + (ptrdiff_t)c * lp;
        for (int32_t j = 0; j < length; j++) row[j] = k[(ptrdiff_t)j * ld + c];
        for (int32_t j = length; j < lp; j++) row[j] = 0;
    }
    __m256 sv = _mm256_set1_ps(scale);
    int32_t r = 0;
    for (; r + 4 <= length; r += 4) score_rows(q + r * ld, ld, kt, lp, d, sv, scores + (ptrdiff_t)r * lp, 4);
    for (; r < length; r++) score_rows(q + r * ld, ld, kt, lp, d, sv, scores + (ptrdiff_t)r * lp, 1);
    for (r = 0; r < length; r++) softmax_row(scores + (ptrdiff_t)r * lp, length, 1);
    for (int32_t c0 = 0; c0 < d; c0 += 32) {
        int nv = (d - c0) >= 32 ? 4 : (d - c0) / 8;
        for (r = 0; r + 2 <= length; r += 2) {
            const float *p = scores + (ptrdiff_t)r * lp;
            float *o = out + r * ldo + c0;
            switch (nv) {
            case 4: output_block(p, lp, v + c0, ld, length, o, ldo, 2, 4); break;
            case 3: output_block(p, lp, v + c0, ld, length, o, ldo, 2, 3); break;
            case 2: output_block(p, lp, v + c0, ld, length, o, ldo, 2, 2); break;
            default: output_block(p, lp, v + c0, ld, length, o, ldo, 2, 1); break;
            }
        }
        if (r < length) {
            const float *p = scores + (ptrdiff_t)r * lp;
            float *o = out + r * ldo + c0;
            switch (nv) {
            case 4: output_block(p, lp, v + c0, ld, length, o, ldo, 1, 4); break;
            case 3: output_block(p, lp, v + c0, ld, length, o, ldo, 1, 3); break;
            case 2: output_block(p, lp, v + c0, ld, length, o, ldo, 1, 2); break;
            default: output_block(p, lp, v + c0, ld, length, o, ldo, 1, 1); break;
            }
        }
    }
}
#else
void ci8_attention_head(const float *q, const float *k, const float *v, ptrdiff_t ld, int32_t length, int32_t d,
                        float scale, float *scratch, float *out, ptrdiff_t ldo) {
    (void)q; (void)k; (void)v; (void)ld; (void)length; (void)d; (void)scale; (void)scratch; (void)out; (void)ldo;
}
#endif
