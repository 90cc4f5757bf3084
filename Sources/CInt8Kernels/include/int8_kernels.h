#ifndef CLINIC_INT8_KERNELS_H
#define CLINIC_INT8_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/* int8 matrix products for the QA engine: C[m, n] = dequant(A_q[m, k] x W_q[n, k]^T) + bias.
 * Weights are quantised per output channel (symmetric s8, scale = max|w| / 127), activations per row at run time
 * (symmetric s8, the same rule), products are accumulated exactly in int32 and dequantised as
 * (float)acc * (rowScale * columnScale) + bias. Every kernel computes the same int32 sums and the same float
 * epilogue, so all kernels give bit-identical results. */

typedef enum {
    CI8_PORTABLE = 0,   /* plain C, any CPU */
    CI8_AVX2 = 1,       /* s8 sign-extended to s16, vpmaddwd (exact) */
    CI8_AVX512VNNI = 2, /* u8 x s8 vpdpbusd on zmm, activations offset by 128 and corrected by column sums */
    CI8_AVXVNNI = 3,    /* the same on ymm (AVX-VNNI, VEX encoded) */
} ci8_kernel;

#define CI8_KERNEL_COUNT 4
/* Columns per packed block; a product's column range may start and end anywhere. */
#define CI8_BLOCK_COLUMNS 16

/* Whether this CPU (and its OS, for the register state) can run `kernel`. */
int ci8_kernel_supported(ci8_kernel kernel);
/* The fastest supported kernel. */
ci8_kernel ci8_best_kernel(void);
const char *ci8_kernel_name(ci8_kernel kernel);

typedef struct {
    ci8_kernel kernel;
    int32_t n, k;          /* output channels, inputs */
    int32_t k_padded;      /* k rounded up to the kernel's input group (1, 2 or 4) */
    int32_t n_padded;      /* n rounded up to CI8_BLOCK_COLUMNS */
    void *data;            /* the kernel's packed layout, zero in the padding */
    float *scales;         /* [n_padded], zero in the padding */
    int32_t *offset_sums;  /* [n_padded] 128 x sum_k q[j][k], VNNI kernels only (else NULL) */
} ci8_matrix;

/* Quantises and packs W, element (out j, in i) at w[j * out_stride + i * in_stride]. Returns 0; -1 when
 * memory runs out or a size is not positive, -2 when this CPU cannot run `kernel` (m is then empty and safe to
 * free). */
int ci8_matrix_pack(ci8_matrix *m, ci8_kernel kernel, const float *w, int32_t n, int32_t k,
                    ptrdiff_t out_stride, ptrdiff_t in_stride);
void ci8_matrix_free(ci8_matrix *m);
/* The quantised weight (out j, in i) and its scale, for tests. */
int8_t ci8_matrix_weight(const ci8_matrix *m, int32_t j, int32_t i);

/* Bytes of one quantised activation row for `kernel` and `k` inputs (a multiple of 4). */
size_t ci8_activation_row_bytes(ci8_kernel kernel, int32_t k);

/* Quantises rows x k floats (rows `ldx` floats apart) into q (rows ci8_activation_row_bytes apart) and
 * row_scales. A row holding NaN or infinity gets a NaN scale, so the product's row is NaN as in fp32. */
void ci8_quantize_rows(ci8_kernel kernel, const float *x, int32_t rows, int32_t k, ptrdiff_t ldx,
                       void *q, float *row_scales);

/* c[r * ldc + j] = acc(r, j) * (row_scales[r] * scales[j]) + bias[j] (bias may be NULL) for rows 0..<rows and
 * columns col_begin..<col_end of m; q was quantised for m's kernel and m->k. */
void ci8_gemm(const ci8_matrix *m, const void *q, const float *row_scales, int32_t rows, int32_t col_begin,
              int32_t col_end, const float *bias, float *c, ptrdiff_t ldc);

/* The forward pass's element-wise loops on 256-bit registers, bit-identical to QAEngine's Swift `Kernels`; call
 * them only where ci8_elementwise_avx2() is 1 (AVX2 with OS support). Widths are multiples of 8 for GELU and
 * layer norm. */
int ci8_elementwise_avx2(void);
/* x = gelu(x + bias) (bias may be NULL), `width` columns of `rows` rows `stride` floats apart. */
void ci8_gelu_rows(float *x, const float *bias, int32_t rows, int32_t width, ptrdiff_t stride);
/* The same with each multiply-add one FMA (within about an ulp of it; the int8 path's GELU). */
void ci8_gelu_rows_fma(float *x, const float *bias, int32_t rows, int32_t width, ptrdiff_t stride);
/* Softmax of each row of a [rows, width] matrix, in place. */
void ci8_softmax_rows(float *x, int32_t rows, int32_t width);
/* x = LayerNorm(x + residual + bias) * gain + beta (residual and bias may be NULL). */
void ci8_add_layer_norm(float *x, const float *residual, const float *bias, const float *gain, const float *beta,
                        int32_t rows, int32_t width, float epsilon);

/* One attention head of one sequence: out[i, :] = softmax_j(scale * q_i . k_j) v over j < length, for q, k, v
 * rows `ld` floats apart (length rows, d columns, d a multiple of 8) and out rows `ldo` apart. scratch holds
 * lp * (lp + d) floats, lp = length rounded up to a multiple of 8. AVX2 with FMA: call it only where
 * ci8_elementwise_avx2() is 1. */
void ci8_attention_head(const float *q, const float *k, const float *v, ptrdiff_t ld, int32_t length, int32_t d,
                        float scale, float *scratch, float *out, ptrdiff_t ldo);

/* fp32 weights [k, n] (row-major, rows ldw floats apart) packed once in panels of 16 columns for ci8_f32_gemm. */
typedef struct {
    float *data;
    int32_t k, n;
} ci8_f32_matrix;
/* Returns 0 when memory is short (m is then empty). */
int ci8_f32_pack(ci8_f32_matrix *m, const float *w, int32_t k, int32_t n, ptrdiff_t ldw);
void ci8_f32_free(ci8_f32_matrix *m);
/* The fp32 kernel this CPU runs: 2 AVX-512, 1 AVX2 with FMA, 0 none (use BLAS). */
int ci8_f32_gemm_kernel(void);
/* c[r * ldc + j] = sum_i a[r * lda + i] w[i, j] for rows 0..<rows and columns col_begin..<col_end (col_begin a
 * multiple of 16), with `kernel` from ci8_f32_gemm_kernel() or lower. */
void ci8_f32_gemm(int kernel, const ci8_f32_matrix *m, const float *a, ptrdiff_t lda, int32_t rows,
                  int32_t col_begin, int32_t col_end, float *c, ptrdiff_t ldc);

/* Model loading: n little-endian binary16 values to floats (F16C where the CPU has it); returns the index of the
 * first NaN or infinity, or -1. */
ptrdiff_t ci8_f16_to_f32(const void *src, float *dst, size_t n);
/* The index of the first NaN or infinity in x[0..<n], or -1. */
ptrdiff_t ci8_first_nonfinite(const float *x, size_t n);

/* Shuts down OpenBLAS's thread pool where the loaded OpenBLAS has one (call after openblas_set_num_threads(1)). */
void ci8_stop_blas_threads(void);

#endif
