#pragma STDC FP_CONTRACT OFF
#include "int8_internal.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void ci8_row_scale(float max_abs, int bad, float *scale, float *inverse) {
    if (bad) {
        *scale = NAN;
        *inverse = 0;
    } else if (max_abs == 0) {
        *scale = 0;
        *inverse = 0;
    } else {
        *scale = max_abs / 127.0f;
        *inverse = 127.0f / max_abs;
    }
}

int8_t ci8_quantize_value(float x, float inverse) {
    float v = nearbyintf(x * inverse);
    if (!(v >= -127.0f)) v = -127.0f; /* also NaN, which a row scale of NaN already reports */
    if (v > 127.0f) v = 127.0f;
    return (int8_t)v;
}

void ci8_store_partial(const int32_t *acc, float row_scale, const float *scales, const float *bias, float *c,
                       int32_t begin, int32_t end) {
    for (int32_t j = begin; j < end; j++) {
        float scale = row_scale * scales[j];
        float v = (float)acc[j - begin] * scale;
        if (bias) v = v + bias[j];
        c[j] = v;
    }
}

static int32_t round_up(int32_t x, int32_t to) { return (x + to - 1) / to * to; }

static int32_t input_group(ci8_kernel kernel) {
    switch (kernel) {
    case CI8_AVX2: return 2;
    case CI8_AVX512VNNI:
    case CI8_AVXVNNI: return 4;
    default: return 1;
    }
}

size_t ci8_activation_row_bytes(ci8_kernel kernel, int32_t k) {
    if (k < 1) k = 1;
    int32_t kp = round_up(k, input_group(kernel));
    size_t bytes = kernel == CI8_AVX2 ? (size_t)kp * 2 : (size_t)kp;
    return (bytes + 3) & ~(size_t)3;
}

void ci8_matrix_free(ci8_matrix *m) {
    free(m->data);
    free(m->scales);
    free(m->offset_sums);
    m->data = NULL;
    m->scales = NULL;
    m->offset_sums = NULL;
    m->n = m->k = m->n_padded = m->k_padded = 0;
}

/* One weight row quantised: the AVX2 loop where the CPU has it (same bytes as the portable rule). */
static int32_t quantize_weight_row(const float *row, int32_t k, int8_t *out, float *scale) {
#ifdef CI8_X86
    if (ci8_kernel_supported(CI8_AVX2)) return ci8_avx2_quantize_weight_row(row, k, out, scale);
#endif
    return ci8_portable_quantize_row(row, k, out, scale);
}

int ci8_matrix_pack(ci8_matrix *m, ci8_kernel kernel, const float *w, int32_t n, int32_t k,
                    ptrdiff_t out_stride, ptrdiff_t in_stride) {
    memset(m, 0, sizeof *m);
    m->kernel = kernel;
    if (!ci8_kernel_supported(kernel)) return -2;
    if (n < 1 || k < 1 || n > INT32_MAX - CI8_BLOCK_COLUMNS || k > INT32_MAX - 4) return -1;
    int32_t group = input_group(kernel);
    int32_t np = round_up(n, CI8_BLOCK_COLUMNS), kp = round_up(k, group);
    size_t elements = (size_t)np * (size_t)kp;
    size_t element_size = kernel == CI8_AVX2 ? 2 : 1;
    int vnni = kernel == CI8_AVX512VNNI || kernel == CI8_AVXVNNI;
    /* One output row at a time: gathered into `row` when its inputs are not contiguous, quantised into `q`. */
    int8_t *q = malloc((size_t)kp);
    float *row = in_stride == 1 ? NULL : malloc((size_t)k * sizeof(float));
    m->data = calloc(elements, element_size);
    m->scales = calloc((size_t)np, sizeof(float));
    if (vnni) m->offset_sums = calloc((size_t)np, sizeof(int32_t));
    if (!q || (in_stride != 1 && !row) || !m->data || !m->scales || (vnni && !m->offset_sums)) {
        free(q);
        free(row);
        ci8_matrix_free(m);
        return -1;
    }
    m->n = n;
    m->k = k;
    m->n_padded = np;
    m->k_padded = kp;
    memset(q, 0, (size_t)kp);

    for (int32_t j = 0; j < n; j++) {
        const float *source = w + j * out_stride;
        if (row) {
            for (int32_t i = 0; i < k; i++) row[i] = source[i * in_stride];
            source = row;
        }
        int32_t sum = quantize_weight_row(source, k, q, &m->scales[j]);
        if (vnni) m->offset_sums[j] = 128 * sum;
        int32_t block = j / CI8_BLOCK_COLUMNS, column = j % CI8_BLOCK_COLUMNS;
        /* q[k..<kp] stays 0, so the padding of each group is written as zeros. */
        if (kernel == CI8_AVX2) {
            int16_t *out = (int16_t *)m->data + ((size_t)block * (size_t)(kp / 2) * CI8_BLOCK_COLUMNS + column) * 2;
            for (int32_t g = 0; g < kp / 2; g++) {
                out[(size_t)g * CI8_BLOCK_COLUMNS * 2] = q[2 * g];
                out[(size_t)g * CI8_BLOCK_COLUMNS * 2 + 1] = q[2 * g + 1];
            }
        } else if (vnni) {
            int8_t *out = (int8_t *)m->data + ((size_t)block * (size_t)(kp / 4) * CI8_BLOCK_COLUMNS + column) * 4;
            for (int32_t g = 0; g < kp / 4; g++) memcpy(out + (size_t)g * CI8_BLOCK_COLUMNS * 4, q + 4 * g, 4);
        } else {
            memcpy((int8_t *)m->data + (size_t)j * kp, q, (size_t)kp);
        }
    }
    free(q);
    free(row);
    return 0;
}

int8_t ci8_matrix_weight(const ci8_matrix *m, int32_t j, int32_t i) {
    if (j < 0 || j >= m->n || i < 0 || i >= m->k) return 0;
    int32_t block = j / CI8_BLOCK_COLUMNS, column = j % CI8_BLOCK_COLUMNS, kp = m->k_padded;
    switch (m->kernel) {
    case CI8_AVX2:
        return (int8_t)((const int16_t *)m->data)[(((size_t)block * (kp / 2) + i / 2) * CI8_BLOCK_COLUMNS + column) * 2 + i % 2];
    case CI8_AVX512VNNI:
    case CI8_AVXVNNI:
        return ((const int8_t *)m->data)[(((size_t)block * (kp / 4) + i / 4) * CI8_BLOCK_COLUMNS + column) * 4 + i % 4];
    default:
        return ((const int8_t *)m->data)[(size_t)j * kp + i];
    }
}

void ci8_quantize_rows(ci8_kernel kernel, const float *x, int32_t rows, int32_t k, ptrdiff_t ldx,
                       void *q, float *row_scales) {
    size_t row_bytes = ci8_activation_row_bytes(kernel, k);
    if (rows < 1 || k < 1) return;
#ifdef CI8_X86
    /* Matrices exist only for supported kernels, and every CPU with VNNI has AVX2. */
    if (kernel != CI8_PORTABLE) {
        ci8_avx2_quantize(x, rows, k, ldx, q, row_bytes, kernel != CI8_AVX2, row_scales);
        return;
    }
#endif
    ci8_portable_quantize(x, rows, k, ldx, q, row_bytes, (int32_t)row_bytes, 0, row_scales);
}

void ci8_gemm(const ci8_matrix *m, const void *q, const float *row_scales, int32_t rows, int32_t col_begin,
              int32_t col_end, const float *bias, float *c, ptrdiff_t ldc) {
    if (col_begin < 0) col_begin = 0;
    if (col_end > m->n) col_end = m->n;
    if (rows < 1 || col_begin >= col_end || !m->data) return;
    switch (m->kernel) {
#ifdef CI8_X86
    case CI8_AVX2: ci8_avx2_gemm(m, q, row_scales, rows, col_begin, col_end, bias, c, ldc); return;
    case CI8_AVX512VNNI: ci8_avx512vnni_gemm(m, q, row_scales, rows, col_begin, col_end, bias, c, ldc); return;
    case CI8_AVXVNNI: ci8_avxvnni_gemm(m, q, row_scales, rows, col_begin, col_end, bias, c, ldc); return;
#endif
    default: ci8_portable_gemm(m, q, row_scales, rows, col_begin, col_end, bias, c, ldc); return;
    }
}
