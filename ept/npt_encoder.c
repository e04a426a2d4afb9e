/*
 * AMD nested page table entries: the ordinary long-mode page-table format
 * (APM Vol. 2 5.3.3 and 15.25.5).  Every nested walk counts as a user
 * access, so U/S must be set at every level.  Execute permission is not
 * expressed (NX needs the host's EFER.NXE, and lamina's guest regions are
 * all executable), so GPA_X is implied by any present entry.
 */
#include "nested_pt.h"

#define NPT_P BIT(0)
#define NPT_RW BIT(1)
#define NPT_US BIT(2)
#define NPT_PS BIT(7)

static uint64_t npt_table(uint64_t hpa)
{
	return hpa | NPT_P | NPT_RW | NPT_US;
}

static uint64_t npt_leaf(uint64_t hpa, uint32_t perm, unsigned level)
{
	uint64_t e = hpa | NPT_P | NPT_US;

	if (perm & GPA_W)
		e |= NPT_RW;
	if (level == 2)
		e |= NPT_PS;
	return e;
}

static bool npt_present(uint64_t e)
{
	return e & NPT_P;
}

static bool npt_is_large(uint64_t e, unsigned level)
{
	return level == 2 && (e & NPT_PS);
}

static uint32_t npt_perm(uint64_t e)
{
	return GPA_R | GPA_X | ((e & NPT_RW) ? GPA_W : 0);
}

const struct npt_encoder npt_encoder = {
	.name = "NPT",
	.table = npt_table,
	.leaf = npt_leaf,
	.present = npt_present,
	.is_large = npt_is_large,
	.perm = npt_perm,
};
