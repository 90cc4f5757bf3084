#pragma STDC FP_CONTRACT OFF
#include "int8_internal.h"

#include <float.h>
#include <math.h>

int32_t ci8_portable_quantize_row(const float *row, int32_t k, int8_t *out, float *scale) {
    float max_abs = 0;
    int bad = 0;
    for (int32_t i = 0; i < k; i++) {
        float a = fabsf(row[i]);
        if (!(a <= FLT_MAX)) bad = 1;
        if (a > max_abs) max_abs = a;
    }
    float inverse;
    ci8_row_scale(max_abs, bad, scale, &inverse);
    int32_t sum = 0;
    for (int32_t i = 0; i < k; i++) {
        out[i] = ci8_quantize_value(row[i], inverse);
        sum += out[i];
    }
    return sum;
}

void ci8_portable_quantize(const float *x, int32_t rows, int32_t k, ptrdiff_t ldx, int8_t *q, size_t row_bytes,
                           int32_t pad_to, int8_t pad_value, float *row_scales) {
    for (int32_t r = 0; r < rows; r++) {
        int8_t *out = q + (size_t)r * row_bytes;
        ci8_portable_quantize_row(x + r * ldx, k, out, &row_scales[r]);
        for (int32_t i = k; i < pad_to; i++) out[i] = pad_value;
    }
}

/* The reference: weights [n_padded][k] s8, activations s8, one int32 dot product per output. */
void ci8_portable_gemm(const ci8_matrix *m, const void *q, const float *row_scales, int32_t rows,
                       int32_t col_begin, int32_t col_end, const float *bias, float *c, ptrdiff_t ldc) {
    const int8_t *w = m->data;
    int32_t k = m->k, kp = m->k_padded;
    size_t row_bytes = ci8_activation_row_bytes(CI8_PORTABLE, k);
    int32_t acc[CI8_BLOCK_COLUMNS];
    for (int32_t r = 0; r < rows; r++) {
        const int8_t *a = (const int8_t *)q + (size_t)r * row_bytes;
        for (int32_t begin = col_begin; begin < col_end; begin += CI8_BLOCK_COLUMNS) {
            int32_t end = begin + CI8_BLOCK_COLUMNS < col_end ? begin + CI8_BLOCK_COLUMNS : col_end;
            for (int32_t j = begin; j < end; j++) {
                const int8_t *column = w + (size_t)j * kp;
                int32_t sum = 0;
                for (int32_t i = 0; i < k; i++) sum += (int32_t)a[i] * (int32_t)column[i];
                acc[j - begin] = sum;
            }
            ci8_store_partial(acc, row_scales[r], m->scales, bias, c + r * ldc, begin, end);
        }
    }
}
