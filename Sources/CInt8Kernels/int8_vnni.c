#pragma STDC FP_CONTRACT OFF
#include "int8_internal.h"

/* vpdpbusd multiplies u8 by s8 and adds four products into an int32 lane without saturating. Activations are
 * stored as q + 128 (u8), so each sum carries 128 x sum_k w[j][k] too, which the packed matrix holds per column
 * and is subtracted before dequantising. Compiled with target attributes: it runs only where CPUID reports it. */
#ifdef CI8_X86
#include <immintrin.h>
#include <string.h>

void ci8_avx2_store_tile(const int32_t (*acc)[CI8_BLOCK_COLUMNS], int32_t rows, const float *row_scales,
                         const ci8_matrix *m, int32_t block, int32_t begin, int32_t end, const float *bias,
                         float *c, ptrdiff_t ldc);

#define AVX512VNNI __attribute__((target("avx512f,avx512bw,avx512vnni,avx2,fma")))
#define AVXVNNI __attribute__((target("avxvnni,avx2,fma")))
#define TILE_ROWS 8

static inline __attribute__((always_inline)) AVX512VNNI void tile512(const int rows, const uint8_t *a, size_t row_bytes,
                                                                     const int8_t *b, int32_t quads, __m512i offsets,
                                                                     int32_t out[TILE_ROWS][CI8_BLOCK_COLUMNS]) {
    __m512i acc[TILE_ROWS];
    for (int r = 0; r < rows; r++) acc[r] = _mm512_setzero_si512();
    for (int32_t g = 0; g < quads; g++) {
        __m512i bv = _mm512_loadu_si512((const void *)(b + (size_t)g * 64));
        for (int r = 0; r < rows; r++) {
            int32_t quad;
            memcpy(&quad, a + (size_t)r * row_bytes + (size_t)g * 4, 4);
            acc[r] = _mm512_dpbusd_epi32(acc[r], _mm512_set1_epi32(quad), bv);
        }
    }
    for (int r = 0; r < rows; r++) _mm512_storeu_si512((void *)out[r], _mm512_sub_epi32(acc[r], offsets));
}

AVX512VNNI void ci8_avx512vnni_gemm(const ci8_matrix *m, const void *q, const float *row_scales, int32_t rows,
                                    int32_t col_begin, int32_t col_end, const float *bias, float *c, ptrdiff_t ldc) {
    const int8_t *w = m->data;
    int32_t quads = m->k_padded / 4;
    size_t row_bytes = ci8_activation_row_bytes(m->kernel, m->k);
    int32_t acc[TILE_ROWS][CI8_BLOCK_COLUMNS];
    for (int32_t block = col_begin / CI8_BLOCK_COLUMNS; block * CI8_BLOCK_COLUMNS < col_end; block++) {
        int32_t first = block * CI8_BLOCK_COLUMNS;
        int32_t begin = first > col_begin ? first : col_begin;
        int32_t end = first + CI8_BLOCK_COLUMNS < col_end ? first + CI8_BLOCK_COLUMNS : col_end;
        const int8_t *panel = w + (size_t)block * quads * 64;
        __m512i offsets = _mm512_loadu_si512((const void *)(m->offset_sums + first));
        for (int32_t r = 0; r < rows; r += TILE_ROWS) {
            const uint8_t *a = (const uint8_t *)q + (size_t)r * row_bytes;
            int32_t n = rows - r < TILE_ROWS ? rows - r : TILE_ROWS;
            switch (n) {
            case 8: tile512(8, a, row_bytes, panel, quads, offsets, acc); break;
            case 7: tile512(7, a, row_bytes, panel, quads, offsets, acc); break;
            case 6: tile512(6, a, row_bytes, panel, quads, offsets, acc); break;
            case 5: tile512(5, a, row_bytes, panel, quads, offsets, acc); break;
            case 4: tile512(4, a, row_bytes, panel, quads, offsets, acc); break;
            case 3: tile512(3, a, row_bytes, panel, quads, offsets, acc); break;
            case 2: tile512(2, a, row_bytes, panel, quads, offsets, acc); break;
            default: tile512(1, a, row_bytes, panel, quads, offsets, acc); break;
            }
            ci8_avx2_store_tile((const int32_t (*)[CI8_BLOCK_COLUMNS])acc, n, row_scales + r, m, block, begin, end,
                                bias, c + r * ldc, ldc);
        }
    }
}

#define VNNI_TILE_ROWS 6

static inline __attribute__((always_inline)) AVXVNNI void tile256(const int rows, const uint8_t *a, size_t row_bytes,
                                                                  const int8_t *b, int32_t quads, __m256i off0,
                                                                  __m256i off1, int32_t out[TILE_ROWS][CI8_BLOCK_COLUMNS]) {
    __m256i acc[VNNI_TILE_ROWS][2];
    for (int r = 0; r < rows; r++) acc[r][0] = acc[r][1] = _mm256_setzero_si256();
    for (int32_t g = 0; g < quads; g++) {
        __m256i b0 = _mm256_loadu_si256((const __m256i *)(b + (size_t)g * 64));
        __m256i b1 = _mm256_loadu_si256((const __m256i *)(b + (size_t)g * 64 + 32));
        for (int r = 0; r < rows; r++) {
            int32_t quad;
            memcpy(&quad, a + (size_t)r * row_bytes + (size_t)g * 4, 4);
            __m256i av = _mm256_set1_epi32(quad);
            acc[r][0] = _mm256_dpbusd_avx_epi32(acc[r][0], av, b0);
            acc[r][1] = _mm256_dpbusd_avx_epi32(acc[r][1], av, b1);
        }
    }
    for (int r = 0; r < rows; r++) {
        _mm256_storeu_si256((__m256i *)out[r], _mm256_sub_epi32(acc[r][0], off0));
        _mm256_storeu_si256((__m256i *)(out[r] + 8), _mm256_sub_epi32(acc[r][1], off1));
    }
}

AVXVNNI void ci8_avxvnni_gemm(const ci8_matrix *m, const void *q, const float *row_scales, int32_t rows,
                              int32_t col_begin, int32_t col_end, const float *bias, float *c, ptrdiff_t ldc) {
    const int8_t *w = m->data;
    int32_t quads = m->k_padded / 4;
    size_t row_bytes = ci8_activation_row_bytes(m->kernel, m->k);
    int32_t acc[TILE_ROWS][CI8_BLOCK_COLUMNS];
    for (int32_t block = col_begin / CI8_BLOCK_COLUMNS; block * CI8_BLOCK_COLUMNS < col_end; block++) {
        int32_t first = block * CI8_BLOCK_COLUMNS;
        int32_t begin = first > col_begin ? first : col_begin;
        int32_t end = first + CI8_BLOCK_COLUMNS < col_end ? first + CI8_BLOCK_COLUMNS : col_end;
        const int8_t *panel = w + (size_t)block * quads * 64;
        __m256i off0 = _mm256_loadu_si256((const __m256i *)(m->offset_sums + first));
        __m256i off1 = _mm256_loadu_si256((const __m256i *)(m->offset_sums + first + 8));
        for (int32_t r = 0; r < rows; r += VNNI_TILE_ROWS) {
            const uint8_t *a = (const uint8_t *)q + (size_t)r * row_bytes;
            int32_t n = rows - r < VNNI_TILE_ROWS ? rows - r : VNNI_TILE_ROWS;
            switch (n) {
            case 6: tile256(6, a, row_bytes, panel, quads, off0, off1, acc); break;
            case 5: tile256(5, a, row_bytes, panel, quads, off0, off1, acc); break;
            case 4: tile256(4, a, row_bytes, panel, quads, off0, off1, acc); break;
            case 3: tile256(3, a, row_bytes, panel, quads, off0, off1, acc); break;
            case 2: tile256(2, a, row_bytes, panel, quads, off0, off1, acc); break;
            default: tile256(1, a, row_bytes, panel, quads, off0, off1, acc); break;
            }
            ci8_avx2_store_tile((const int32_t (*)[CI8_BLOCK_COLUMNS])acc, n, row_scales + r, m, block, begin, end,
                                bias, c + r * ldc, ldc);
        }
    }
}
#endif
