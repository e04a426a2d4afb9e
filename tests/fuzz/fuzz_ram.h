/*
 * Fake guest RAM for the DMA-capable harnesses (fwcfg, vdma/vfdc, ide,
 * guest_walk): exact-size page-aligned allocations, so AddressSanitizer's
 * redzones are the guard regions around each, mapped as
 *   [0,        64K)       RAM, RWX            "low"
 *   [64K,      68K)       ROM, RX (adjacent)  "rom"
 *   [68K,      1M)        hole
 *   [1M,       1M+8K)     RAM, RWX            "high"
 * so guest addresses from the input hit RAM, a region boundary, read-only
 * memory and holes.  Contents are reset to a pattern before every input.
 */
#ifndef LAMINA_FUZZ_RAM_H
#define LAMINA_FUZZ_RAM_H

#include <string.h>

#include "fuzz_io.h"
#include "gpa_map.h"

#define FUZZ_RAM_LOW_SIZE 0x10000u
#define FUZZ_RAM_ROM_GPA 0x10000u
#define FUZZ_RAM_ROM_SIZE 0x1000u
#define FUZZ_RAM_HIGH_GPA 0x100000u
#define FUZZ_RAM_HIGH_SIZE 0x2000u

struct fuzz_ram {
	uint8_t *low, *rom, *high;
	struct gpa_map map;
};

static inline void fuzz_ram_reset(struct fuzz_ram *r)
{
	if (!r->low) {
		r->low = fuzz_alloc_pages(FUZZ_RAM_LOW_SIZE);
		r->rom = fuzz_alloc_pages(FUZZ_RAM_ROM_SIZE);
		r->high = fuzz_alloc_pages(FUZZ_RAM_HIGH_SIZE);
	}
	memset(r->low, 0xcc, FUZZ_RAM_LOW_SIZE);
	memset(r->rom, 0xf4, FUZZ_RAM_ROM_SIZE);
	memset(r->high, 0xdd, FUZZ_RAM_HIGH_SIZE);
	memset(&r->map, 0, sizeof(r->map));
	FUZZ_CHECK(gpa_map_add(&r->map, 0, FUZZ_RAM_LOW_SIZE, (uintptr_t)r->low, GPA_RWX, "low") == 0);
	FUZZ_CHECK(gpa_map_add(&r->map, FUZZ_RAM_ROM_GPA, FUZZ_RAM_ROM_SIZE, (uintptr_t)r->rom,
			       GPA_RX, "rom") == 0);
	FUZZ_CHECK(gpa_map_add(&r->map, FUZZ_RAM_HIGH_GPA, FUZZ_RAM_HIGH_SIZE, (uintptr_t)r->high,
			       GPA_RWX, "high") == 0);
}

/* The read-only region must come out of every input unchanged. */
static inline void fuzz_ram_check_rom(const struct fuzz_ram *r)
{
	for (unsigned i = 0; i < FUZZ_RAM_ROM_SIZE; i++)
		FUZZ_CHECK(r->rom[i] == 0xf4);
}

/* A harness's "poke" operation: 2 more input bytes give an offset into
 * low RAM, 4 more the bytes stored there (e.g. a DMA descriptor). */
static inline void fuzz_ram_poke(struct fuzz_ram *r, struct fuzz_in *in)
{
	uint32_t off = fuzz_take(in, 2) % (FUZZ_RAM_LOW_SIZE - 3);
	uint32_t v = fuzz_take(in, 4);

	memcpy(r->low + off, &v, 4);
}

#endif
