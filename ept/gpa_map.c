/*
 * The guest-physical memory map (see include/gpa_map.h).  Pure code.
 */
#include "gpa_map.h"

int gpa_map_add(struct gpa_map *m, uint64_t gpa, uint64_t size, uint64_t hpa, uint32_t perm,
		const char *name)
{
	if (m->n == GPA_MAX_REGIONS || size == 0 || (gpa | size | hpa) % PAGE_SIZE ||
	    gpa + size < gpa)
		return -1;
	for (unsigned i = 0; i < m->n; i++)
		if (gpa < m->r[i].gpa + m->r[i].size && m->r[i].gpa < gpa + size)
			return -1;
	m->r[m->n++] = (struct gpa_region){ gpa, size, hpa, perm, name };
	return 0;
}

int gpa_map_set_perm(struct gpa_map *m, uint64_t gpa, uint64_t size, uint32_t perm)
{
	for (unsigned i = 0; i < m->n; i++) {
		if (m->r[i].gpa == gpa && m->r[i].size == size) {
			m->r[i].perm = perm;
			return 0;
		}
	}
	return -1;
}

const struct gpa_region *gpa_map_find(const struct gpa_map *m, uint64_t gpa)
{
	for (unsigned i = 0; i < m->n; i++)
		if (gpa >= m->r[i].gpa && gpa - m->r[i].gpa < m->r[i].size)
			return &m->r[i];
	return NULL;
}

void *gpa_to_hva(const struct gpa_map *m, uint64_t gpa, uint64_t len, bool write)
{
	const struct gpa_region *r = gpa_map_find(m, gpa);

	if (!r || len == 0 || len > r->size - (gpa - r->gpa))
		return NULL;
	if (!(r->perm & (write ? GPA_W : GPA_R)))
		return NULL;
	return (void *)(uintptr_t)(r->hpa + (gpa - r->gpa));
}
