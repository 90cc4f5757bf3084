#include "int8_internal.h"
#include <stdlib.h>
#include <string.h>

/* fp32 products against weights packed once at load, in panels of 16 columns, k-major: OpenBLAS packs the weight
 * operand again on every call (its sgemm_itcopy, 9% of an fp32 forward pass at these sizes), the way ONNX Runtime
 * does not. Tiles of 8 rows x 16 columns (AVX-512) or 6 x 16 (AVX2), k in blocks of 256 so that the rows of A a
 * block reads stay in L2. */

#define PANEL 16
#define K_BLOCK 256

int ci8_f32_pack(ci8_f32_matrix *m, const float *w, int32_t k, int32_t n, ptrdiff_t ldw) {
    memset(m, 0, sizeof *m);
    if (k <= 0 || n <= 0) return 0;
    int32_t panels = (n + PANEL - 1) / PANEL;
    size_t count = (size_t)panels * (size_t)k * PANEL;
    float *data = aligned_alloc(64, (count * sizeof(float) + 63) / 64 * 64);
    if (!data) return 0;
    for (int32_t p = 0; p < panels; p++)
        for (int32_t kk = 0; kk < k; kk++) {
            float *dst = data + ((size_t)p * k + kk) * PANEL;
            for (int32_t j = 0; j < PANEL; j++) {
                int32_t col = p * PANEL + j;
                dst[j] = col < n ? w[(ptrdiff_t)kk * ldw + col] : 0.0f;
            }
        }
    m->data = data;
    m->k = k;
    m->n = n;
    return 1;
}

void ci8_f32_free(ci8_f32_matrix *m) {
    free(m->data);
    m->data = NULL;
}

#ifdef CI8_X86
#include <immintrin.h>

#define AVX512 __attribute__((target("avx512f,avx2,fma")))
#define AVX2FMA __attribute__((target("avx2,fma")))

static inline __attribute__((always_inline)) AVX512 void tile512(const int nr, const float *a, ptrdiff_t lda,
                                                                 const float *b, int32_t k0, int32_t k1, float *c,
                                                                 ptrdiff_t ldc, int accumulate, __mmask16 mask) {
    __m512 acc[8];
    for (int r = 0; r < nr; r++) acc[r] = _mm512_setzero_ps();
    for (int32_t kk = k0; kk < k1; kk++) {
        __m512 bv = _mm512_load_ps(b + (size_t)kk * PANEL);
        for (int r = 0; r < nr; r++) acc[r] = _mm512_fmadd_ps(_mm512_set1_ps(a[r * lda + kk]), bv, acc[r]);
    }
    for (int r = 0; r < nr; r++) {
        float *row = c + r * ldc;
        if (accumulate) acc[r] = _mm512_add_ps(acc[r], _mm512_maskz_loadu_ps(mask, row));
        _mm512_mask_storeu_ps(row, mask, acc[r]);
    }
}

static AVX512 void gemm512(const ci8_f32_matrix *m, const float *a, ptrdiff_t lda, int32_t rows, int32_t col_begin,
                           int32_t col_end, float *c, ptrdiff_t ldc) {
    for (int32_t k0 = 0; k0 < m->k; k0 += K_BLOCK) {
        int32_t k1 = k0 + K_BLOCK < m->k ? k0 + K_BLOCK : m->k;
        for (int32_t p = col_begin / PANEL; p * PANEL < col_end; p++) {
            int32_t first = p * PANEL, width = col_end - first < PANEL ? col_end - first : PANEL;
            __mmask16 mask = (__mmask16)((1u << width) - 1);
            const float *panel = m->data + (size_t)p * m->k * PANEL;
            for (int32_t r = 0; r < rows; r += 8) {
                const float *ar = a + r * lda;
                float *cr = c + r * ldc + first;
                switch (rows - r < 8 ? rows - r : 8) {
                case 8: tile512(8, ar, lda, panel, k0, k1, cr, ldc, k0 > 0, mask); break;
                case 7: tile512(7, ar, lda, panel, k0, k1, cr, ldc, k0 > 0, mask); break;
                case 6: tile512(6, ar, lda, panel, k0, k1, cr, ldc, k0 > 0, mask); break;
                case 5: tile512(5, ar, lda, panel, k0, k1, cr, ldc, k0 > 0, mask); break;
                case 4: tile512(4, ar, lda, panel, k0, k1, cr, ldc, k0 > 0, mask); break;
                case 3: tile512(3, ar, lda, panel, k0, k1, cr, ldc, k0 > 0, mask); break;
                case 2: tile512(2, ar, lda, panel, k0, k1, cr, ldc, k0 > 0, mask); break;
                default: tile512(1, ar, lda, panel, k0, k1, cr, ldc, k0 > 0, mask); break;
                }
            }
        }
    }
}

static inline __attribute__((always_inline)) AVX2FMA void tile256(const int nr, const float *a, ptrdiff_t lda,
                                                                  const float *b, int32_t k0, int32_t k1, float *c,
                                                                  ptrdiff_t ldc, int accumulate, int32_t width) {
    __m256 acc[6][2];
    for (int r = 0; r < nr; r++) acc[r][0] = acc[r][1] = _mm256_setzero_ps();
    for (int32_t kk = k0; kk < k1; kk++) {
        __m256 b0 = _mm256_load_ps(b + (size_t)kk * PANEL), b1 = _mm256_load_ps(b + (size_t)kk * PANEL + 8);
        for (int r = 0; r < nr; r++) {
            __m256 av = _mm256_broadcast_ss(a + r * lda + kk);
            acc[r][0] = _mm256_fmadd_ps(av, b0, acc[r][0]);
            acc[r][1] = _mm256_fmadd_ps(av, b1, acc[r][1]);
        }
    }
    for (int r = 0; r < nr; r++) {
        float *row = c + r * ldc;
        if (width == PANEL) {
            if (accumulate) {
                acc[r][0] = _mm256_add_ps(acc[r][0], _mm256_loadu_ps(row));
                acc[r][1] = _mm256_add_ps(acc[r][1], _mm256_loadu_ps(row + 8));
            }
            _mm256_storeu_ps(row, acc[r][0]);
            _mm256_storeu_ps(row + 8, acc[r][1]);
        } else {
            float lanes[PANEL];
            _mm256_storeu_ps(lanes, acc[r][0]);
            _mm256_storeu_ps(lanes + 8, acc[r][1]);
            for (int32_t j = 0; j < width; j++) row[j] = accumulate ? row[j] + lanes[j] : lanes[j];
        }
    }
}

static AVX2FMA void gemm256(const ci8_f32_matrix *m, const float *a, ptrdiff_t lda, int32_t rows, int32_t col_begin,
                            int32_t col_end, float *c, ptrdiff_t ldc) {
    for (int32_t k0 = 0; k0 < m->k; k0 += K_BLOCK) {
        int32_t k1 = k0 + K_BLOCK < m->k ? k0 + K_BLOCK : m->k;
        for (int32_t p = col_begin / PANEL; p * PANEL < col_end; p++) {
            int32_t first = p * PANEL, width = col_end - first < PANEL ? col_end - first : PANEL;
            const float *panel = m->data + (size_t)p * m->k * PANEL;
            for (int32_t r = 0; r < rows; r += 6) {
                const float *ar = a + r * lda;
                float *cr = c + r * ldc + first;
                switch (rows - r < 6 ? rows - r : 6) {
                case 6: tile256(6, ar, lda, panel, k0, k1, cr, ldc, k0 > 0, width); break;
                case 5: tile256(5, ar, lda, panel, k0, k1, cr, ldc, k0 > 0, width); break;
                case 4: tile256(4, ar, lda, panel, k0, k1, cr, ldc, k0 > 0, width); break;
                case 3: tile256(3, ar, lda, panel, k0, k1, cr, ldc, k0 > 0, width); break;
                case 2: tile256(2, ar, lda, panel, k0, k1, cr, ldc, k0 > 0, width); break;
                default: tile256(1, ar, lda, panel, k0, k1, cr, ldc, k0 > 0, width); break;
                }
            }
        }
    }
}

int ci8_f32_gemm_kernel(void) {
    if (ci8_kernel_supported(CI8_AVX512VNNI)) return 2; /* AVX-512 F and BW with OS support for zmm */
    if (ci8_kernel_supported(CI8_AVX2)) return 1;
    return 0;
}

void ci8_f32_gemm(int kernel, const ci8_f32_matrix *m, const float *a, ptrdiff_t lda, int32_t rows,
                  int32_t col_begin, int32_t col_end, float *c, ptrdiff_t ldc) {
    if (rows <= 0 || col_begin >= col_end || !m->data) return;
    if (kernel == 2) gemm512(m, a, lda, rows, col_begin, col_end, c, ldc);
    else if (kernel == 1) gemm256(m, a, lda, rows, col_begin, col_end, c, ldc);
}
#else
int ci8_f32_gemm_kernel(void) { return 0; }
void ci8_f32_gemm(int kernel, const ci8_f32_matrix *m, const float *a, ptrdiff_t lda, int32_t rows,
                  int32_t col_begin, int32_t col_end, float *c, ptrdiff_t ldc) {
    (void)kernel; (void)m; (void)a; (void)lda; (void)rows; (void)col_begin; (void)col_end; (void)c; (void)ldc;
}
#endif
