/* Non-temporal ("streaming") stores of a block of results to a large output.
 *
 * An ordinary store to a line that is not in the cache first reads the line
 * from memory (read for ownership): a loop y = f(x) over arrays far larger
 * than the caches moves 3 bytes of memory traffic per 2 of data. Streaming
 * stores write whole lines without reading them, as memcpy and memset do for
 * large copies, and leave the output out of the caches, so they are used only
 * for outputs larger than a core's share of the last-level cache
 * (STREAM_MIN_BYTES in _real_loops.pxi).
 *
 * The loops compute a block of results on the stack (in L1), then
 * shrink_stream_store copies it out; the copy is integer moves, so every bit
 * is kept and no FP flag is raised. Streaming stores are weakly ordered:
 * shrink_stream_fence, after a loop's last block, orders them before any later
 * store of this thread, so other threads (the OpenMP join, NumPy's caller) see
 * the results. x86 only (SSE2 is baseline x86-64; AVX and AVX-512 builds move
 * a vector register at a time); elsewhere SHRINK_STREAM is 0 and the loops
 * store as usual.
 */
#ifndef SHRINK_STREAM_H
#define SHRINK_STREAM_H

#include <stddef.h>
#include <string.h>

/* Results a loop computes into its stack block before storing them. AVX-512
 * stores whole 64-byte lines: 1 KiB blocks there (on AMD Zen 4, y = f(g, x)
 * over float64 ran 1.7x faster than with 8 KiB blocks); 8 KiB elsewhere, where
 * 1 KiB blocks were not faster (tools/stream_block.c times both). */
#if defined(__AVX512F__)
#define SHRINK_STREAM_BLOCK_BYTES 1024
#else
#define SHRINK_STREAM_BLOCK_BYTES 8192
#endif
#define SHRINK_STREAM_FLOATS (SHRINK_STREAM_BLOCK_BYTES / 4)
#define SHRINK_STREAM_DOUBLES (SHRINK_STREAM_BLOCK_BYTES / 8)

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define SHRINK_STREAM 1

/* dst 64-byte aligned (the loops align their output first), src any
 * alignment; a tail shorter than a vector is stored as usual. */
static inline void shrink_stream_store(char *dst, const void *src, size_t nbytes) {
    const char *s = (const char *)src;
    size_t i = 0;
#if defined(__AVX512F__)
    for (; i + 64 <= nbytes; i += 64)
        _mm512_stream_si512((void *)(dst + i), _mm512_loadu_si512((const void *)(s + i)));
#elif defined(__AVX__)
    for (; i + 32 <= nbytes; i += 32)
        _mm256_stream_si256((__m256i *)(dst + i), _mm256_loadu_si256((const __m256i *)(s + i)));
#else
    for (; i + 16 <= nbytes; i += 16)
        _mm_stream_si128((__m128i *)(dst + i), _mm_loadu_si128((const __m128i *)(s + i)));
#endif
    memcpy(dst + i, s + i, nbytes - i);
}

static inline void shrink_stream_fence(void) { _mm_sfence(); }

#else
#define SHRINK_STREAM 0
static inline void shrink_stream_store(char *dst, const void *src, size_t nbytes) {
    memcpy(dst, src, nbytes);
}
static inline void shrink_stream_fence(void) {}
#endif

#endif
