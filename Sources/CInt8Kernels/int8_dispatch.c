#include "int8_internal.h"

#ifdef CI8_X86
#include <cpuid.h>

static uint64_t xcr0(void) {
    uint32_t eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((uint64_t)edx << 32) | eax;
}

/* CPUID says what the CPU has; XCR0 says whether the OS saves the registers (YMM: bits 1-2, ZMM: 5-7). */
static int detect(ci8_kernel kernel) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    int osxsave = (c >> 27) & 1, avx = (c >> 28) & 1, fma = (c >> 12) & 1;
    if (!osxsave || !avx || !fma) return 0;
    uint64_t xcr = xcr0();
    if ((xcr & 0x6) != 0x6) return 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    int avx2 = (b >> 5) & 1, avx512f = (b >> 16) & 1, avx512bw = (b >> 30) & 1, avx512vnni = (c >> 11) & 1;
    if (!avx2) return 0;
    switch (kernel) {
    case CI8_AVX2: return 1;
    case CI8_AVX512VNNI: return avx512f && avx512bw && avx512vnni && (xcr & 0xE6) == 0xE6;
    case CI8_AVXVNNI:
        if (!__get_cpuid_count(7, 1, &a, &b, &c, &d)) return 0;
        return (a >> 4) & 1;
    default: return 0;
    }
}
#endif

int ci8_kernel_supported(ci8_kernel kernel) {
    static int cached[CI8_KERNEL_COUNT] = {-1, -1, -1, -1};
    if ((int)kernel < 0 || (int)kernel >= CI8_KERNEL_COUNT) return 0;
    if (kernel == CI8_PORTABLE) return 1;
    int known = __atomic_load_n(&cached[kernel], __ATOMIC_RELAXED);
    if (known >= 0) return known;
#ifdef CI8_X86
    known = detect(kernel);
#else
    known = 0;
#endif
    __atomic_store_n(&cached[kernel], known, __ATOMIC_RELAXED);
    return known;
}

ci8_kernel ci8_best_kernel(void) {
    if (ci8_kernel_supported(CI8_AVX512VNNI)) return CI8_AVX512VNNI;
    if (ci8_kernel_supported(CI8_AVXVNNI)) return CI8_AVXVNNI;
    if (ci8_kernel_supported(CI8_AVX2)) return CI8_AVX2;
    return CI8_PORTABLE;
}

const char *ci8_kernel_name(ci8_kernel kernel) {
    switch (kernel) {
    case CI8_PORTABLE: return "portable";
    case CI8_AVX2: return "avx2";
    case CI8_AVX512VNNI: return "avx512vnni";
    case CI8_AVXVNNI: return "avxvnni";
    default: return "unknown";
    }
}
