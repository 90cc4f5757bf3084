#ifndef CLINIC_INT8_INTERNAL_H
#define CLINIC_INT8_INTERNAL_H

#include "int8_kernels.h"

#if defined(__x86_64__) || defined(__i386__)
#define CI8_X86 1
#endif

/* Row scale and the multiplier that maps the row onto -127...127; scale is NaN for a row with NaN or infinity,
 * 0 for a row of zeros (inverse is then 0). */
void ci8_row_scale(float max_abs, int bad, float *scale, float *inverse);
int8_t ci8_quantize_value(float x, float inverse);
/* The shared epilogue for one row of one block's partial columns: c[j] for j in begin..<end. */
void ci8_store_partial(const int32_t *acc, float row_scale, const float *scales, const float *bias, float *c,
                       int32_t begin, int32_t end);

/* One row of k floats quantised to s8 (the rule above) into out, its scale into *scale; returns the sum of the
 * quantised values. */
int32_t ci8_portable_quantize_row(const float *row, int32_t k, int8_t *out, float *scale);
void ci8_portable_quantize(const float *x, int32_t rows, int32_t k, ptrdiff_t ldx, int8_t *q, size_t row_bytes,
                           int32_t pad_to, int8_t pad_value, float *row_scales);
void ci8_portable_gemm(const ci8_matrix *m, const void *q, const float *row_scales, int32_t rows,
                       int32_t col_begin, int32_t col_end, const float *bias, float *c, ptrdiff_t ldc);

#ifdef CI8_X86
/* AVX2 quantiser: s16 output for CI8_AVX2, u8 (q + 128) for the VNNI kernels. */
void ci8_avx2_quantize(const float *x, int32_t rows, int32_t k, ptrdiff_t ldx, void *q, size_t row_bytes,
                       int as_u8, float *row_scales);
int32_t ci8_avx2_quantize_weight_row(const float *row, int32_t k, int8_t *out, float *scale);
void ci8_avx2_gemm(const ci8_matrix *m, const void *q, const float *row_scales, int32_t rows,
                   int32_t col_begin, int32_t col_end, const float *bias, float *c, ptrdiff_t ldc);
void ci8_avx512vnni_gemm(const ci8_matrix *m, const void *q, const float *row_scales, int32_t rows,
                         int32_t col_begin, int32_t col_end, const float *bias, float *c, ptrdiff_t ldc);
void ci8_avxvnni_gemm(const ci8_matrix *m, const void *q, const float *row_scales, int32_t rows,
                      int32_t col_begin, int32_t col_end, const float *bias, float *c, ptrdiff_t ldc);
#endif

#endif
