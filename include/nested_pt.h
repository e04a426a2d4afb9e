/*
 * Nested page tables (AMD NPT, APM Vol. 2 15.25) and extended page tables
 * (Intel EPT, SDM Vol. 3C 29.3) are both 4-level radix trees over
 * guest-physical addresses.  One builder walks the gpa_map; an encoder per
 * vendor turns "table at hpa" and "leaf hpa with GPA_R/W/X at level" into
 * entries.  Host-tested by walking the result (tests/unit/test_nested_pt.c).
 */
#ifndef LAMINA_NESTED_PT_H
#define LAMINA_NESTED_PT_H

#include "gpa_map.h"

struct npt_encoder {
	const char *name;
	uint64_t (*table)(uint64_t hpa);                          /* non-leaf entry */
	uint64_t (*leaf)(uint64_t hpa, uint32_t perm, unsigned level); /* level 1: 4K, 2: 2M */
	bool (*present)(uint64_t entry);
	bool (*is_large)(uint64_t entry, unsigned level);
	uint32_t (*perm)(uint64_t entry);
};

extern const struct npt_encoder npt_encoder; /* AMD nested paging */
extern const struct npt_encoder ept_encoder; /* Intel EPT, write-back memory type */

/* Page allocator used by the builder: a zeroed 4 KiB page (host address
 * == pointer), or 0 when memory runs out. */
typedef uint64_t (*npt_alloc_fn)(void *ctx);

/* Build tables for the whole map; returns the PML4's hpa or 0. */
uint64_t nested_pt_build(const struct gpa_map *m, const struct npt_encoder *enc,
			 npt_alloc_fn alloc, void *ctx);
/* (Re)map [gpa, gpa+size) to hpa with perm (0 = unmap) in existing tables. */
int nested_pt_map(uint64_t root, uint64_t gpa, uint64_t hpa, uint64_t size, uint32_t perm,
		  const struct npt_encoder *enc, npt_alloc_fn alloc, void *ctx);
/* Translate through the tables: returns true and fills *hpa / *perm if mapped. */
bool nested_pt_lookup(uint64_t root, uint64_t gpa, const struct npt_encoder *enc,
		      uint64_t *hpa, uint32_t *perm);

#endif
