/* Fixed-width types and small helpers shared by the monitor and host tests. */
#ifndef LAMINA_TYPES_H
#define LAMINA_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((uint64_t)(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((uint64_t)(a) - 1))
#define KiB(x) ((uint64_t)(x) << 10)
#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)
#define PAGE_SIZE 4096ull
#define BIT(n) (1ull << (n))

/* All-ones in the low `bytes` bytes of a 64-bit value (8 or more: all of
 * it): the mask of a 1-, 2-, 4- or 8-byte operand, register or port access. */
static inline uint64_t low_bytes_mask(unsigned bytes)
{
	return bytes >= 8 ? ~0ull : (1ull << (bytes * 8)) - 1;
}

#endif
