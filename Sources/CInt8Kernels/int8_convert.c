#pragma STDC FP_CONTRACT OFF
#include "int8_internal.h"

#include <string.h>

/* Model loading: binary16 to binary32 and the finite check, vectorised (F16C) where the CPU has it. Both paths
 * give the same floats for every finite and infinite input (the conversion is exact); a NaN is reported either
 * way, so its payload does not matter. */

static float half_to_float(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16, exponent = (h >> 10) & 0x1F, mantissa = h & 0x3FF, bits;
    if (exponent == 0x1F) {
        bits = sign | 0x7F800000u | (mantissa << 13);
    } else if (exponent != 0) {
        bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
    } else {
        float magnitude = (float)mantissa * 0x1p-24f;
        float v = sign ? -magnitude : magnitude;
        memcpy(&bits, &v, 4);
    }
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

static ptrdiff_t portable_f16(const uint8_t *src, float *dst, size_t n) {
    ptrdiff_t bad = -1;
    for (size_t i = 0; i < n; i++) {
        uint16_t h = (uint16_t)(src[2 * i] | (src[2 * i + 1] << 8));
        if (bad < 0 && (h & 0x7C00) == 0x7C00) bad = (ptrdiff_t)i;
        dst[i] = half_to_float(h);
    }
    return bad;
}

#ifdef CI8_X86
#include <cpuid.h>
#include <immintrin.h>

static int has_f16c(void) {
    static int cached = -1;
    int known = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (known >= 0) return known;
    unsigned a, b, c, d;
    known = 0;
    /* F16C (ECX bit 29) on 256-bit registers needs AVX with OS support, which the AVX2 kernel's check covers. */
    if (__get_cpuid(1, &a, &b, &c, &d) && ((c >> 29) & 1) && ci8_kernel_supported(CI8_AVX2)) known = 1;
    __atomic_store_n(&cached, known, __ATOMIC_RELAXED);
    return known;
}

__attribute__((target("avx2,f16c"))) static ptrdiff_t f16c_f16(const uint8_t *src, float *dst, size_t n) {
    const __m256i exponent = _mm256_set1_epi16(0x7C00);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m256i h = _mm256_loadu_si256((const __m256i *)(src + 2 * i));
        if (!_mm256_testz_si256(_mm256_cmpeq_epi16(_mm256_and_si256(h, exponent), exponent), _mm256_set1_epi8(-1))) {
            /* The rest converts one value at a time; the block holds the first NaN or infinity. */
            return (ptrdiff_t)i + portable_f16(src + 2 * i, dst + i, n - i);
        }
        _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(_mm256_castsi256_si128(h)));
        _mm256_storeu_ps(dst + i + 8, _mm256_cvtph_ps(_mm256_extracti128_si256(h, 1)));
    }
    ptrdiff_t bad = portable_f16(src + 2 * i, dst + i, n - i);
    return bad < 0 ? -1 : (ptrdiff_t)i + bad;
}
#endif

ptrdiff_t ci8_f16_to_f32(const void *src, float *dst, size_t n) {
#ifdef CI8_X86
    if (has_f16c()) return f16c_f16(src, dst, n);
#endif
    return portable_f16(src, dst, n);
}

ptrdiff_t ci8_first_nonfinite(const float *x, size_t n) {
    /* Blocks without a branch inside, so the compiler vectorises them; the block that has one is searched. */
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        uint32_t any = 0;
        for (size_t t = 0; t < 64; t++) {
            uint32_t bits;
            memcpy(&bits, x + i + t, 4);
            any |= (bits & 0x7F800000u) == 0x7F800000u;
        }
        if (any) break;
    }
    for (; i < n; i++) {
        uint32_t bits;
        memcpy(&bits, x + i, 4);
        if ((bits & 0x7F800000u) == 0x7F800000u) return (ptrdiff_t)i;
    }
    return -1;
}

#if defined(__linux__) || defined(__APPLE__)
#include <dlfcn.h>
#endif

/* OpenBLAS's pthreads build starts its thread pool when the library loads, and an idle pool thread spins on
 * sched_yield for about 0.1 s before it sleeps: a core's worth of work stolen from every short `extract` run.
 * The engine runs OpenBLAS single-threaded (it splits the work itself), so the pool is shut down, where this
 * OpenBLAS has one; another BLAS, or OpenBLAS's OpenMP or serial build, has no such symbol and is left alone. */
void ci8_stop_blas_threads(void) {
#if defined(__linux__) || defined(__APPLE__)
    void *symbol = dlsym(RTLD_DEFAULT, "blas_thread_shutdown_");
    if (symbol) {
        int (*shutdown)(void);
        memcpy(&shutdown, &symbol, sizeof shutdown);
        shutdown();
    }
#endif
}
