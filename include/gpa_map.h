/*
 * The guest-physical memory map: which guest-physical ranges are backed
 * by host memory, and with which permissions.  NPT and EPT tables are
 * built from it (ept/), and every monitor access to guest memory (string
 * I/O, DMA, loaders, the page-table walker) goes through gpa_to_hva(),
 * which refuses anything not entirely inside one backed region.
 * Everything else is a hole: a guest access to it exits (EXIT_PAGING).
 *
 * hpa is a host physical address; the monitor identity-maps memory, so it
 * is also the host pointer (host tests pass ordinary pointers).
 */
#ifndef LAMINA_GPA_MAP_H
#define LAMINA_GPA_MAP_H

#include "types.h"

#define GPA_R BIT(0)
#define GPA_W BIT(1)
#define GPA_X BIT(2)
#define GPA_RWX (GPA_R | GPA_W | GPA_X)
#define GPA_RX (GPA_R | GPA_X)

#define GPA_MAX_REGIONS 32

struct gpa_region {
	uint64_t gpa, size, hpa;
	uint32_t perm; /* GPA_R | GPA_W | GPA_X */
	const char *name;
};

struct gpa_map {
	struct gpa_region r[GPA_MAX_REGIONS];
	unsigned n;
};

/* Add a page-aligned region; -1 if it overlaps another or the map is full. */
int gpa_map_add(struct gpa_map *m, uint64_t gpa, uint64_t size, uint64_t hpa, uint32_t perm,
		const char *name);
/* Change the permissions of an existing region (e.g. PAM shadow RAM). */
int gpa_map_set_perm(struct gpa_map *m, uint64_t gpa, uint64_t size, uint32_t perm);
const struct gpa_region *gpa_map_find(const struct gpa_map *m, uint64_t gpa);
/* Host pointer for [gpa, gpa+len) if it lies inside one region that allows
 * the access (write: GPA_W, else GPA_R); NULL otherwise.  len 0 is refused. */
void *gpa_to_hva(const struct gpa_map *m, uint64_t gpa, uint64_t len, bool write);

#endif
