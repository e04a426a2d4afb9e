/*
 * First-fit allocator over a sorted array of free physical ranges.
 * Ranges stay sorted and non-adjacent (neighbours are merged on free).
 */
#include "palloc.h"

static struct phys_range free_ranges[PALLOC_MAX_RANGES];
static unsigned n_free;

static void range_remove_at(unsigned i)
{
	for (; i + 1 < n_free; i++)
		free_ranges[i] = free_ranges[i + 1];
	n_free--;
}

static bool range_insert_at(unsigned i, uint64_t base, uint64_t end)
{
	if (n_free == PALLOC_MAX_RANGES)
		return false; /* losing a fragment is safe: memory just stays unused */
	for (unsigned j = n_free; j > i; j--)
		free_ranges[j] = free_ranges[j - 1];
	free_ranges[i] = (struct phys_range){ base, end };
	n_free++;
	return true;
}

/* Add [base, end) to the free set, merging with neighbours. */
static void range_add(uint64_t base, uint64_t end)
{
	unsigned i = 0;

	if (base >= end)
		return;
	while (i < n_free && free_ranges[i].end < base)
		i++;
	/* merge with every range that touches or overlaps [base, end) */
	while (i < n_free && free_ranges[i].base <= end) {
		if (free_ranges[i].base < base)
			base = free_ranges[i].base;
		if (free_ranges[i].end > end)
			end = free_ranges[i].end;
		range_remove_at(i);
	}
	range_insert_at(i, base, end);
}

/* Remove [base, end) from the free set. */
static void range_cut(uint64_t base, uint64_t end)
{
	for (unsigned i = 0; i < n_free;) {
		struct phys_range r = free_ranges[i];

		if (r.end <= base || r.base >= end) {
			i++;
			continue;
		}
		range_remove_at(i);
		if (r.base < base)
			range_insert_at(i++, r.base, base);
		if (r.end > end)
			range_insert_at(i++, end, r.end);
	}
}

/* The end of a range rounded up to a page; an end in the last page of the
 * address space (or one that wrapped, as UINT64_MAX) stays at the top. */
static uint64_t page_end(uint64_t end)
{
	return end > ALIGN_DOWN(UINT64_MAX, PAGE_SIZE) ? UINT64_MAX : ALIGN_UP(end, PAGE_SIZE);
}

void palloc_init(const struct mem_region *mmap, unsigned n_mmap,
		 const struct phys_range *reserved, unsigned n_reserved, uint64_t limit)
{
	n_free = 0;
	limit = ALIGN_DOWN(limit, PAGE_SIZE);
	for (unsigned i = 0; i < n_mmap; i++) {
		const struct mem_region *r = &mmap[i];
		uint64_t base = ALIGN_UP(r->base, PAGE_SIZE);
		uint64_t end = r->base + r->len;

		/* an entry whose end or first whole page lies past 2^64 is bogus */
		if (r->type != MB2_MEM_AVAILABLE || end < r->base || base < r->base)
			continue;
		end = ALIGN_DOWN(end, PAGE_SIZE);
		if (end > limit)
			end = limit;
		range_add(base, end);
	}
	/* Firmware may list overlapping regions of different types: anything
	 * not available in any entry wins over an available one. */
	for (unsigned i = 0; i < n_mmap; i++) {
		const struct mem_region *r = &mmap[i];

		if (r->type != MB2_MEM_AVAILABLE)
			range_cut(ALIGN_DOWN(r->base, PAGE_SIZE),
				  page_end(r->len > UINT64_MAX - r->base ? UINT64_MAX : r->base + r->len));
	}
	for (unsigned i = 0; i < n_reserved; i++)
		range_cut(ALIGN_DOWN(reserved[i].base, PAGE_SIZE), page_end(reserved[i].end));
}

uint64_t palloc_alloc(uint64_t npages, uint64_t align)
{
	uint64_t bytes;

	if (npages == 0 || npages > UINT64_MAX / PAGE_SIZE || align < PAGE_SIZE ||
	    (align & (align - 1)))
		return 0;
	bytes = npages * PAGE_SIZE;
	for (unsigned i = 0; i < n_free; i++) {
		const struct phys_range *r = &free_ranges[i];
		uint64_t base = ALIGN_UP(r->base, align);

		if (base == 0)
			base = align; /* address 0 means "no memory" to the caller */
		if (base >= r->base && base < r->end && bytes <= r->end - base) {
			range_cut(base, base + bytes);
			return base;
		}
	}
	return 0;
}

void palloc_free(uint64_t addr, uint64_t npages)
{
	range_add(addr, addr + npages * PAGE_SIZE);
}

uint64_t palloc_free_bytes(void)
{
	uint64_t sum = 0;

	for (unsigned i = 0; i < n_free; i++)
		sum += free_ranges[i].end - free_ranges[i].base;
	return sum;
}

uint64_t palloc_largest_run(void)
{
	uint64_t best = 0;

	for (unsigned i = 0; i < n_free; i++)
		if (free_ranges[i].end - free_ranges[i].base > best)
			best = free_ranges[i].end - free_ranges[i].base;
	return best;
}
