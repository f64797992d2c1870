/* Time the streaming-store loop shape of shrink's memory-bound loops
 * (shrink/_generate.py, src/stream.h) with stack blocks of 1 KiB and 8 KiB,
 * beside a plain loop, for y = f(x) and y = f(g, x) over 10^7 float64.
 *
 *     gcc -O3 -march=x86-64-v4 tools/stream_block.c -o /tmp/stream_block -lm
 *     /tmp/stream_block          (ns per element, min of 10 runs, 3 rounds)
 *
 * (-march=x86-64-v3 times the AVX2 build's shape, 32-byte streaming stores.)
 * src/stream.h picks its block size from this. On AMD EPYC Zen 4 (2026-12-02),
 * AVX-512: y = f(g, x) 1.14-1.28 ns per element with 8 KiB blocks, 0.71-0.75
 * with 1 KiB, 1.06-1.08 plain; y = f(x) 0.60-0.62, 0.41-0.45, 0.61-0.65.
 * AVX2 on the same CPU: y = f(g, x) 1.19-1.26 with 8 KiB, 1.31-1.57 with 1 KiB,
 * 1.10-1.20 plain; y = f(x) 0.82-0.94, 0.69-0.79, 0.67-0.70.
 */
#include <immintrin.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

/* hardshrink and its backward, as the loops compute them */
static inline double one(double x, double l) { return fabs(x) <= l ? 0 : x + 0; }
static inline double two(double g, double x, double l) {
    double passed = x == x ? g + 0 : x;
    return fabs(x) <= l ? 0 : passed;
}

static void stream(double *dst, const double *src, long m) {
    long i = 0;
#if defined(__AVX512F__)
    for (; i + 8 <= m; i += 8)
        _mm512_stream_si512((void *)(dst + i), _mm512_loadu_si512(src + i));
#else
    for (; i + 4 <= m; i += 4)
        _mm256_stream_si256((__m256i *)(dst + i), _mm256_loadu_si256((const __m256i *)(src + i)));
#endif
    for (; i < m; i++)
        dst[i] = src[i];
}

#define BLOCKED(B)                                                                  \
    __attribute__((noinline)) void one_##B(const double *x, double *y, long n) {    \
        double res[B];                                                              \
        for (; n > 0; x += B, y += B, n -= B) {                                     \
            long m = n < B ? n : B;                                                 \
            for (long i = 0; i < m; i++) res[i] = one(x[i], 0.5);                   \
            stream(y, res, m);                                                      \
        }                                                                           \
        _mm_sfence();                                                               \
    }                                                                               \
    __attribute__((noinline)) void two_##B(const double *g, const double *x,        \
                                           double *y, long n) {                     \
        double res[B];                                                              \
        for (; n > 0; g += B, x += B, y += B, n -= B) {                             \
            long m = n < B ? n : B;                                                 \
            for (long i = 0; i < m; i++) res[i] = two(g[i], x[i], 0.5);             \
            stream(y, res, m);                                                      \
        }                                                                           \
        _mm_sfence();                                                               \
    }
BLOCKED(128)  /* 1 KiB */
BLOCKED(1024) /* 8 KiB */

__attribute__((noinline)) void one_plain(const double *x, double *y, long n) {
    for (long i = 0; i < n; i++) y[i] = one(x[i], 0.5);
}
__attribute__((noinline)) void two_plain(const double *g, const double *x, double *y, long n) {
    for (long i = 0; i < n; i++) y[i] = two(g[i], x[i], 0.5);
}

int main(void) {
    const long n = 10000000;
    double *g = aligned_alloc(64, n * 8), *x = aligned_alloc(64, n * 8), *y = aligned_alloc(64, n * 8);
    for (long i = 0; i < n; i++) {
        g[i] = sin((double)i);
        x[i] = 1.5 * cos(0.7 * i);
        y[i] = 0;
    }
    for (int round = 0; round < 3; round++) {
        double best[6] = {1e9, 1e9, 1e9, 1e9, 1e9, 1e9};
        for (int r = 0; r < 10; r++) {
            double t[7];
            t[0] = now(); one_plain(x, y, n);
            t[1] = now(); one_128(x, y, n);
            t[2] = now(); one_1024(x, y, n);
            t[3] = now(); two_plain(g, x, y, n);
            t[4] = now(); two_128(g, x, y, n);
            t[5] = now(); two_1024(g, x, y, n);
            t[6] = now();
            for (int k = 0; k < 6; k++)
                if (t[k + 1] - t[k] < best[k]) best[k] = t[k + 1] - t[k];
        }
        printf("y = f(x):    plain %.3f  1 KiB blocks %.3f  8 KiB blocks %.3f ns/el\n",
               best[0] / n * 1e9, best[1] / n * 1e9, best[2] / n * 1e9);
        printf("y = f(g, x): plain %.3f  1 KiB blocks %.3f  8 KiB blocks %.3f ns/el\n",
               best[3] / n * 1e9, best[4] / n * 1e9, best[5] / n * 1e9);
    }
    return 0;
}
