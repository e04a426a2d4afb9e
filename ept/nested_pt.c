/*
 * One builder for AMD nested page tables and Intel EPT: both are 4-level
 * radix trees indexed by guest-physical address bits 47:39, 38:30, 29:21
 * and 20:12 (APM Vol. 2 15.25.5; SDM Vol. 3C 29.3.2).  Only the entry
 * encoding differs; that is the encoder's job (npt_encoder.c, ept_encoder.c).
 *
 * Regions are mapped with 2 MiB pages where guest and host addresses are
 * both 2 MiB aligned and the region covers the whole page, with 4 KiB
 * pages elsewhere.  Pure code: tables are reached through their host
 * address, which equals the pointer in the monitor and in host tests.
 */
#include "nested_pt.h"

#define NPT_ADDR_MASK 0x000ffffffffff000ull
#define LEVEL_SHIFT(level) (12 + 9 * ((level) - 1))
#define LEVEL_INDEX(gpa, level) (((gpa) >> LEVEL_SHIFT(level)) & 511)

static uint64_t *table_at(uint64_t entry)
{
	return (uint64_t *)(uintptr_t)(entry & NPT_ADDR_MASK);
}

/*
 * The table at `level - 1` under entry *e, creating it if absent.  A large
 * leaf in the way is split into 512 smaller leaves with the same target
 * and permissions, so the rest of the 2 MiB page keeps its mapping.
 */
static uint64_t *next_table(uint64_t *e, unsigned level, const struct npt_encoder *enc,
			    npt_alloc_fn alloc, void *ctx)
{
	uint64_t page, *t;

	if (enc->present(*e) && !enc->is_large(*e, level))
		return table_at(*e);
	page = alloc(ctx);
	if (!page)
		return NULL;
	t = (uint64_t *)(uintptr_t)page;
	if (enc->present(*e)) {
		uint64_t base = *e & NPT_ADDR_MASK & ~((1ull << LEVEL_SHIFT(level)) - 1);
		uint32_t perm = enc->perm(*e);

		for (unsigned i = 0; i < 512; i++)
			t[i] = enc->leaf(base + ((uint64_t)i << LEVEL_SHIFT(level - 1)), perm, level - 1);
	}
	*e = enc->table(page);
	return t;
}

/* Set one leaf at level (1: 4 KiB, 2: 2 MiB); perm 0 clears it. */
static int map_one(uint64_t root, uint64_t gpa, uint64_t hpa, uint32_t perm, unsigned level,
		   const struct npt_encoder *enc, npt_alloc_fn alloc, void *ctx)
{
	uint64_t *t = (uint64_t *)(uintptr_t)root;

	for (unsigned l = 4; l > level; l--) {
		t = next_table(&t[LEVEL_INDEX(gpa, l)], l, enc, alloc, ctx);
		if (!t)
			return -1;
	}
	/* A 2 MiB leaf replacing a 4 KiB table drops the table page; lamina
	 * only remaps a few regions per boot, so it is not reclaimed. */
	t[LEVEL_INDEX(gpa, level)] = perm ? enc->leaf(hpa, perm, level) : 0;
	return 0;
}

int nested_pt_map(uint64_t root, uint64_t gpa, uint64_t hpa, uint64_t size, uint32_t perm,
		  const struct npt_encoder *enc, npt_alloc_fn alloc, void *ctx)
{
	const uint64_t large = MiB(2);

	if ((gpa | hpa | size) % PAGE_SIZE || gpa + size < gpa || gpa + size > (1ull << 48))
		return -1;
	for (uint64_t off = 0; off < size;) {
		bool big = (gpa + off) % large == 0 && (hpa + off) % large == 0 && size - off >= large;

		if (map_one(root, gpa + off, hpa + off, perm, big ? 2 : 1, enc, alloc, ctx))
			return -1;
		off += big ? large : PAGE_SIZE;
	}
	return 0;
}

uint64_t nested_pt_build(const struct gpa_map *m, const struct npt_encoder *enc,
			 npt_alloc_fn alloc, void *ctx)
{
	uint64_t root = alloc(ctx);

	if (!root)
		return 0;
	for (unsigned i = 0; i < m->n; i++) {
		const struct gpa_region *r = &m->r[i];

		if (nested_pt_map(root, r->gpa, r->hpa, r->size, r->perm, enc, alloc, ctx))
			return 0;
	}
	return root;
}

bool nested_pt_lookup(uint64_t root, uint64_t gpa, const struct npt_encoder *enc,
		      uint64_t *hpa, uint32_t *perm)
{
	uint64_t *t = (uint64_t *)(uintptr_t)root;

	for (unsigned level = 4; level >= 1; level--) {
		uint64_t e = t[LEVEL_INDEX(gpa, level)];

		if (!enc->present(e))
			return false;
		if (level == 1 || enc->is_large(e, level)) {
			uint64_t page = 1ull << LEVEL_SHIFT(level);

			*hpa = (e & NPT_ADDR_MASK & ~(page - 1)) + (gpa & (page - 1));
			*perm = enc->perm(e);
			return true;
		}
		t = table_at(e);
	}
	return false;
}
