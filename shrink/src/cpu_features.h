/* What this CPU and its operating system support, asked of the CPU itself
 * (cpuid) and of the OS (xgetbv: which vector registers it saves on a context
 * switch). Compiled for the baseline instruction set, so it runs anywhere.
 *
 * shrink_x86_features() fills one flag per SHRINK_FEATURE_* bit; on other
 * architectures it reports nothing and only the baseline loops are used.
 * The bits follow the Intel SDM, vol. 2A, "CPUID" (leaves 1, 7 and 0x80000001)
 * and vol. 1, 13.3 (XCR0). shrink_x86_vendor() gives leaf 0's vendor string
 * ("GenuineIntel", "AuthenticAMD"; empty elsewhere). */
#ifndef SHRINK_CPU_FEATURES_H
#define SHRINK_CPU_FEATURES_H

enum {
    /* x86-64-v2 */
    SHRINK_FEATURE_SSE3, SHRINK_FEATURE_SSSE3, SHRINK_FEATURE_SSE41, SHRINK_FEATURE_SSE42,
    SHRINK_FEATURE_POPCNT, SHRINK_FEATURE_CX16, SHRINK_FEATURE_LAHF,
    /* x86-64-v3 */
    SHRINK_FEATURE_AVX, SHRINK_FEATURE_AVX2, SHRINK_FEATURE_FMA3, SHRINK_FEATURE_F16C,
    SHRINK_FEATURE_BMI, SHRINK_FEATURE_BMI2, SHRINK_FEATURE_LZCNT, SHRINK_FEATURE_MOVBE,
    /* x86-64-v4 */
    SHRINK_FEATURE_AVX512F, SHRINK_FEATURE_AVX512CD, SHRINK_FEATURE_AVX512VL,
    SHRINK_FEATURE_AVX512BW, SHRINK_FEATURE_AVX512DQ,
    SHRINK_FEATURE_COUNT
};

#if defined(__x86_64__) || defined(_M_X64) || defined(_M_AMD64)
#define SHRINK_X86_64 1
#if defined(_MSC_VER) && !defined(__clang__)
#include <intrin.h>
static void shrink_cpuid(unsigned leaf, unsigned sub, unsigned r[4]) {
    int regs[4];
    __cpuidex(regs, (int)leaf, (int)sub);
    r[0] = (unsigned)regs[0]; r[1] = (unsigned)regs[1];
    r[2] = (unsigned)regs[2]; r[3] = (unsigned)regs[3];
}
static unsigned long long shrink_xcr0(void) { return _xgetbv(0); }
#else
#include <cpuid.h>
static void shrink_cpuid(unsigned leaf, unsigned sub, unsigned r[4]) {
    __cpuid_count(leaf, sub, r[0], r[1], r[2], r[3]);
}
/* The instruction rather than _xgetbv(), which gcc and clang accept only
 * under -mxsave; call it only when cpuid says OSXSAVE. */
static unsigned long long shrink_xcr0(void) {
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((unsigned long long)hi << 32) | lo;
}
#endif
#else
#define SHRINK_X86_64 0
#endif

#define SHRINK_BIT(reg, n) (((reg) >> (n)) & 1u)

static void shrink_x86_features(int out[SHRINK_FEATURE_COUNT]) {
    int i;
    for (i = 0; i < SHRINK_FEATURE_COUNT; i++) out[i] = 0;
#if SHRINK_X86_64
    unsigned r[4], max_leaf, max_ext, l1c, l7b = 0, e1c = 0;
    int os_avx = 0, os_avx512 = 0;
    shrink_cpuid(0, 0, r);
    max_leaf = r[0];
    if (max_leaf < 1) return;
    shrink_cpuid(1, 0, r);
    l1c = r[2];
    if (max_leaf >= 7) { shrink_cpuid(7, 0, r); l7b = r[1]; }
    shrink_cpuid(0x80000000u, 0, r);
    max_ext = r[0];
    if (max_ext >= 0x80000001u) { shrink_cpuid(0x80000001u, 0, r); e1c = r[2]; }
    /* OSXSAVE (leaf 1 ECX bit 27): XCR0 can be read. The OS saves the YMM
     * state when XCR0 bits 1-2 (SSE, AVX) are set, and the ZMM state and mask
     * registers when bits 5-7 are too. */
    if (SHRINK_BIT(l1c, 27)) {
        unsigned long long xcr0 = shrink_xcr0();
        os_avx = (xcr0 & 0x6) == 0x6;
        os_avx512 = os_avx && (xcr0 & 0xe0) == 0xe0;
    }
    out[SHRINK_FEATURE_SSE3] = SHRINK_BIT(l1c, 0);
    out[SHRINK_FEATURE_SSSE3] = SHRINK_BIT(l1c, 9);
    out[SHRINK_FEATURE_SSE41] = SHRINK_BIT(l1c, 19);
    out[SHRINK_FEATURE_SSE42] = SHRINK_BIT(l1c, 20);
    out[SHRINK_FEATURE_POPCNT] = SHRINK_BIT(l1c, 23);
    out[SHRINK_FEATURE_CX16] = SHRINK_BIT(l1c, 13);
    out[SHRINK_FEATURE_LAHF] = SHRINK_BIT(e1c, 0);
    out[SHRINK_FEATURE_AVX] = os_avx && SHRINK_BIT(l1c, 28);
    out[SHRINK_FEATURE_AVX2] = os_avx && SHRINK_BIT(l7b, 5);
    out[SHRINK_FEATURE_FMA3] = os_avx && SHRINK_BIT(l1c, 12);
    out[SHRINK_FEATURE_F16C] = os_avx && SHRINK_BIT(l1c, 29);
    out[SHRINK_FEATURE_BMI] = SHRINK_BIT(l7b, 3);
    out[SHRINK_FEATURE_BMI2] = SHRINK_BIT(l7b, 8);
    out[SHRINK_FEATURE_LZCNT] = SHRINK_BIT(e1c, 5);
    out[SHRINK_FEATURE_MOVBE] = SHRINK_BIT(l1c, 22);
    out[SHRINK_FEATURE_AVX512F] = os_avx512 && SHRINK_BIT(l7b, 16);
    out[SHRINK_FEATURE_AVX512DQ] = os_avx512 && SHRINK_BIT(l7b, 17);
    out[SHRINK_FEATURE_AVX512CD] = os_avx512 && SHRINK_BIT(l7b, 28);
    out[SHRINK_FEATURE_AVX512BW] = os_avx512 && SHRINK_BIT(l7b, 30);
    out[SHRINK_FEATURE_AVX512VL] = os_avx512 && SHRINK_BIT(l7b, 31);
#endif
}

/* out: 13 chars, leaf 0's EBX, EDX, ECX as text, or "" off x86-64. */
static void shrink_x86_vendor(char out[13]) {
    out[0] = 0;
#if SHRINK_X86_64
    unsigned r[4];
    int i;
    shrink_cpuid(0, 0, r);
    for (i = 0; i < 4; i++) {
        out[i] = (char)(r[1] >> (8 * i));
        out[4 + i] = (char)(r[3] >> (8 * i));
        out[8 + i] = (char)(r[2] >> (8 * i));
    }
    out[12] = 0;
#endif
}

#endif
