/* Time the ways a float32 kernel can write a step-2 view (y[::2] = f(x[::2])),
 * beside the reference's own loop shape (y[::2] = -x[::2]), in cache (10^4
 * elements), interleaved, min of 4000 calls per variant:
 *
 *     gcc -O3 -march=x86-64-v3 -fno-tree-sink -fno-tree-pre -Ishrink/src \
 *         tools/step2_stores.c -o /tmp/step2_stores && /tmp/step2_stores
 *
 * The kernel is float32 garrote (src/garrote_f32.h), a division per element.
 * Every variant stores one element per instruction: the odd elements between
 * the view's own are never written. Variants:
 *   direct       gcc's own step-2 loop: vector kernel, vmovss/vextractps stores
 *   block1024    1024-element stack blocks, vector copy in, vmovss copy out
 *   chunk16      16-element chunks, the kernel on a fixed count, stores from
 *                general registers (what the x86-64-v3 build does, see
 *                shrink_f32_to_step2 in src/tanhshrink.h)
 *   chunk64      the same with 64-element chunks
 *   maskstore    1024-element blocks, copy out with vmaskmovps
 * On AMD EPYC Zen 3 (2026-12-02, 2 cores, busy host; three runs), ratio to
 * the negation: direct 1.54-1.75, block1024 2.4-3.7, chunk16 1.23-1.42,
 * chunk64 1.43-1.64, maskstore 3.0-3.7.
 */
#include <immintrin.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "garrote_f32.h"

#define N 10000

static float X[2 * N], Y[2 * N];

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

/* dst[i] = src[2i]: whole vectors while the second ends before the last element */
static inline void from2(const float *src, float *dst, long n) {
    long i = 0;
    for (; i + 8 < n; i += 8) {
        __m256 a = _mm256_loadu_ps(src + 2 * i), b = _mm256_loadu_ps(src + 2 * i + 8);
        __m256 even = _mm256_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0));
        _mm256_storeu_ps(dst + i, _mm256_castpd_ps(
            _mm256_permute4x64_pd(_mm256_castps_pd(even), _MM_SHUFFLE(3, 1, 2, 0))));
    }
    for (; i < n; i++)
        dst[i] = src[2 * i];
}

/* the same for a whole chunk of C, where the view goes on after it */
static inline void from2_chunk(const float *src, float *dst, long c) {
    for (long i = 0; i < c; i += 8) {
        __m256 a = _mm256_loadu_ps(src + 2 * i), b = _mm256_loadu_ps(src + 2 * i + 8);
        __m256 even = _mm256_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0));
        _mm256_storeu_ps(dst + i, _mm256_castpd_ps(
            _mm256_permute4x64_pd(_mm256_castps_pd(even), _MM_SHUFFLE(3, 1, 2, 0))));
    }
}

/* dst[2i] = src[i] from general registers */
static inline void to2_gpr(const float *src, float *dst, long n) {
    long i = 0;
    for (; i + 2 <= n; i += 2) {
        unsigned long long pair;
        unsigned lo, hi;
        memcpy(&pair, src + i, 8);
        __asm__("" : "+r"(pair));
        lo = (unsigned)pair;
        hi = (unsigned)(pair >> 32);
        memcpy(dst + 2 * i, &lo, 4);
        memcpy(dst + 2 * i + 2, &hi, 4);
    }
    if (i < n)
        dst[2 * i] = src[i];
}

__attribute__((noinline, optimize("no-tree-vectorize")))
static void to2_vmovss(const float *src, float *dst, long n) {
    for (long i = 0; i < n; i++)
        dst[2 * i] = src[i];
}

__attribute__((noinline, noclone)) static void to2_maskstore(const float *src, float *dst, long n) {
    const __m256i lo = _mm256_setr_epi32(0, 0, 1, 1, 2, 2, 3, 3);
    const __m256i hi = _mm256_setr_epi32(4, 4, 5, 5, 6, 6, 7, 7);
    const __m256i even = _mm256_setr_epi32(-1, 0, -1, 0, -1, 0, -1, 0);
    long i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 v = _mm256_loadu_ps(src + i);
        _mm256_maskstore_ps(dst + 2 * i, even, _mm256_permutevar8x32_ps(v, lo));
        _mm256_maskstore_ps(dst + 2 * i + 8, even, _mm256_permutevar8x32_ps(v, hi));
    }
    for (; i < n; i++)
        dst[2 * i] = src[i];
}

__attribute__((noinline)) static void negate(const float *x, float *y, long n, float l) {
    (void)l;
    for (long i = 0; i < n; i++)
        y[2 * i] = -x[2 * i];
}

__attribute__((noinline)) static void direct(const float *x, float *y, long n, float l) {
    for (long i = 0; i < n; i++)
        y[2 * i] = shrink_garrote_f32(x[2 * i], l);
}

/* whole chunks of C on a fixed count, then the rest on its own count */
#define CHUNKED(NAME, C, TO)                                                  \
    __attribute__((noinline)) static void NAME(const float *x, float *y,    \
                                               long n, float l) {            \
        float in[1024], res[1024];                                           \
        long s = 0, m;                                                       \
        for (; n - s > C; s += C) {                                          \
            from2_chunk(x + 2 * s, in, C);                                   \
            for (long i = 0; i < C; i++)                                     \
                res[i] = shrink_garrote_f32(in[i], l);                       \
            TO(res, y + 2 * s, C);                                           \
        }                                                                    \
        m = n - s;                                                           \
        from2(x + 2 * s, in, m);                                             \
        for (long i = 0; i < m; i++)                                         \
            res[i] = shrink_garrote_f32(in[i], l);                           \
        TO(res, y + 2 * s, m);                                               \
    }

CHUNKED(block1024, 1024, to2_vmovss)
CHUNKED(chunk16, 16, to2_gpr)
CHUNKED(chunk64, 64, to2_gpr)
CHUNKED(maskstore, 1024, to2_maskstore)

int main(void) {
    struct {
        const char *name;
        void (*f)(const float *, float *, long, float);
        double best;
    } v[] = {{"negation", negate, 1e9},   {"direct", direct, 1e9},
             {"block1024", block1024, 1e9}, {"chunk16", chunk16, 1e9},
             {"chunk64", chunk64, 1e9},   {"maskstore", maskstore, 1e9}};
    const int nv = sizeof v / sizeof *v;
    for (long i = 0; i < 2 * N; i++)
        X[i] = (float)((i * 7919 % 2000) - 1000) / 500.0f;
    for (int round = 0; round < 20; round++)
        for (int j = 0; j < nv; j++)
            for (int k = 0; k < 200; k++) {
                double t = now();
                v[j].f(X, Y, N, 0.5f);
                t = now() - t;
                if (t < v[j].best)
                    v[j].best = t;
            }
    for (int j = 0; j < nv; j++)
        printf("%-10s %.3f ns per element  %.2fx the negation\n", v[j].name,
               v[j].best / N * 1e9, v[j].best / v[0].best);
    return 0;
}
