/*
 * Physical page allocator.  It starts from the firmware's memory map and
 * removes everything that is in use — lamina's image, the boot
 * information, the modules, the first MiB (IVT, BDA, EBDA, option ROMs) —
 * so it can never hand those out.  Pure bookkeeping: it never touches the
 * memory it manages (host-tested).
 */
#ifndef LAMINA_PALLOC_H
#define LAMINA_PALLOC_H

#include "multiboot2.h"
#include "types.h"

struct phys_range {
	uint64_t base, end; /* [base, end) */
};

#define PALLOC_MAX_RANGES 128

/* Free memory = available regions below limit, minus reserved ranges. */
void palloc_init(const struct mem_region *mmap, unsigned n_mmap,
		 const struct phys_range *reserved, unsigned n_reserved, uint64_t limit);

/* npages contiguous pages aligned to align bytes (a power of two >= 4096);
 * returns the physical address, or 0 when no such run is free. */
uint64_t palloc_alloc(uint64_t npages, uint64_t align);
void palloc_free(uint64_t addr, uint64_t npages);
uint64_t palloc_free_bytes(void);
uint64_t palloc_largest_run(void);

#endif
