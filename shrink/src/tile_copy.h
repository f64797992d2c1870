/* Blocked transpose for the direct path's mixed-layout runs (_direct.pyx,
 * run_tiled): copies a block of na x nb elements of 4 or 8 bytes, element
 * (a, b) from src + a * sa + b * sb to dst + a * da + b * db.
 *
 * When the source is contiguous along b (sb == itemsize) and the destination
 * along a (da == itemsize), SSE2 moves 4 x 4 (4-byte) or 2 x 2 (8-byte)
 * sub-blocks: one 16-byte load per source row, a transpose in registers, one
 * 16-byte store per destination row. Other strides, the edges of the block,
 * and compilers without SSE2 move one element at a time.
 *
 * Integer moves only (no floating-point instruction): no FP flag is raised,
 * and every bit of every element (signalling NaN payloads included) is kept. */
#ifndef SHRINK_TILE_COPY_H
#define SHRINK_TILE_COPY_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__SSE2__) || defined(_M_X64) || (defined(_M_IX86_FP) && _M_IX86_FP >= 2)
#include <emmintrin.h>
#define SHRINK_TILE_SSE2 1
#else
#define SHRINK_TILE_SSE2 0
#endif

static inline void shrink_tile_copy_scalar(const char *src, ptrdiff_t sa, ptrdiff_t sb,
                                           char *dst, ptrdiff_t da, ptrdiff_t db,
                                           ptrdiff_t a0, ptrdiff_t na, ptrdiff_t b0,
                                           ptrdiff_t nb, int itemsize)
{
    /* the elements with a0 <= a < na and b0 <= b < nb */
    ptrdiff_t a, b;
    if (itemsize == 8) {
        for (a = a0; a < na; a++)
            for (b = b0; b < nb; b++)
                *(uint64_t *)(dst + a * da + b * db) = *(const uint64_t *)(src + a * sa + b * sb);
    }
    else {
        for (a = a0; a < na; a++)
            for (b = b0; b < nb; b++)
                *(uint32_t *)(dst + a * da + b * db) = *(const uint32_t *)(src + a * sa + b * sb);
    }
}

static inline void shrink_tile_copy(const char *src, ptrdiff_t sa, ptrdiff_t sb,
                                    char *dst, ptrdiff_t da, ptrdiff_t db,
                                    ptrdiff_t na, ptrdiff_t nb, int itemsize)
{
#if SHRINK_TILE_SSE2
    ptrdiff_t a, b, ma, mb;
    if (sb == itemsize && da == itemsize) {
        if (itemsize == 8) {
            ma = na & ~(ptrdiff_t)1;
            mb = nb & ~(ptrdiff_t)1;
            for (a = 0; a < ma; a += 2) {
                for (b = 0; b < mb; b += 2) {
                    const char *s = src + a * sa + b * sb;
                    __m128i r0 = _mm_loadu_si128((const __m128i *)s);
                    __m128i r1 = _mm_loadu_si128((const __m128i *)(s + sa));
                    char *d = dst + a * da + b * db;
                    _mm_storeu_si128((__m128i *)d, _mm_unpacklo_epi64(r0, r1));
                    _mm_storeu_si128((__m128i *)(d + db), _mm_unpackhi_epi64(r0, r1));
                }
            }
        }
        else {
            ma = na & ~(ptrdiff_t)3;
            mb = nb & ~(ptrdiff_t)3;
            for (a = 0; a < ma; a += 4) {
                for (b = 0; b < mb; b += 4) {
                    const char *s = src + a * sa + b * sb;
                    __m128i r0 = _mm_loadu_si128((const __m128i *)s);
                    __m128i r1 = _mm_loadu_si128((const __m128i *)(s + sa));
                    __m128i r2 = _mm_loadu_si128((const __m128i *)(s + 2 * sa));
                    __m128i r3 = _mm_loadu_si128((const __m128i *)(s + 3 * sa));
                    __m128i t0 = _mm_unpacklo_epi32(r0, r1);
                    __m128i t1 = _mm_unpacklo_epi32(r2, r3);
                    __m128i t2 = _mm_unpackhi_epi32(r0, r1);
                    __m128i t3 = _mm_unpackhi_epi32(r2, r3);
                    char *d = dst + a * da + b * db;
                    _mm_storeu_si128((__m128i *)d, _mm_unpacklo_epi64(t0, t1));
                    _mm_storeu_si128((__m128i *)(d + db), _mm_unpackhi_epi64(t0, t1));
                    _mm_storeu_si128((__m128i *)(d + 2 * db), _mm_unpacklo_epi64(t2, t3));
                    _mm_storeu_si128((__m128i *)(d + 3 * db), _mm_unpackhi_epi64(t2, t3));
                }
            }
        }
        /* the edges: b beyond the last whole sub-block in every row, then the
         * rows a beyond the last whole sub-block */
        shrink_tile_copy_scalar(src, sa, sb, dst, da, db, 0, ma, mb, nb, itemsize);
        shrink_tile_copy_scalar(src, sa, sb, dst, da, db, ma, na, 0, nb, itemsize);
        return;
    }
#endif
    shrink_tile_copy_scalar(src, sa, sb, dst, da, db, 0, na, 0, nb, itemsize);
}

#endif
