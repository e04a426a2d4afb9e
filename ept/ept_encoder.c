/*
 * Intel EPT entries (SDM Vol. 3C 29.3.2, Tables 29-1 to 29-6): bits 0-2
 * read/write/execute; in a leaf, bits 5:3 the memory type (6 = write-back,
 * SDM 29.3.7) and bit 7 "page size" at the 2 MiB level.  Write without
 * read is a misconfiguration, so GPA_W always comes with GPA_R here.
 */
#include "nested_pt.h"

#define EPT_R BIT(0)
#define EPT_W BIT(1)
#define EPT_X BIT(2)
#define EPT_MT_WB (6ull << 3)
#define EPT_LARGE BIT(7)

static uint64_t ept_table(uint64_t hpa)
{
	return hpa | EPT_R | EPT_W | EPT_X;
}

static uint64_t ept_leaf(uint64_t hpa, uint32_t perm, unsigned level)
{
	uint64_t e = hpa | EPT_MT_WB;

	if (perm & (GPA_R | GPA_W))
		e |= EPT_R;
	if (perm & GPA_W)
		e |= EPT_W;
	if (perm & GPA_X)
		e |= EPT_X;
	if (level == 2)
		e |= EPT_LARGE;
	return e;
}

static bool ept_present(uint64_t e)
{
	return e & (EPT_R | EPT_W | EPT_X);
}

static bool ept_is_large(uint64_t e, unsigned level)
{
	return level == 2 && (e & EPT_LARGE);
}

static uint32_t ept_perm(uint64_t e)
{
	return ((e & EPT_R) ? GPA_R : 0) | ((e & EPT_W) ? GPA_W : 0) | ((e & EPT_X) ? GPA_X : 0);
}

const struct npt_encoder ept_encoder = {
	.name = "EPT",
	.table = ept_table,
	.leaf = ept_leaf,
	.present = ept_present,
	.is_large = ept_is_large,
	.perm = ept_perm,
};
