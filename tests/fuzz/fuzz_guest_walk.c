/*
 * Fuzzes the guest page-table walker (core/guest_walk.c): paging mode,
 * CR3, CPL and MAXPHYADDR from a 16-byte header, then a count of linear
 * addresses to translate (9 bytes each: gla, access), and the rest of the
 * input becomes guest RAM at gpa 0 (the page tables) in the fake guest
 * RAM of fuzz_ram.h, so entries point into RAM, ROM, holes and past it.
 * Each address is walked for read, write and fetch and copied with
 * guest_copy_from_linear.
 * Invariants: a translation keeps the page offset and fits MAXPHYADDR
 * (without paging: gpa = 32-bit gla); a #PF error code has only P, W,
 * U/S, RSVD, I/D and its W and U/S bits match the access; an address
 * that can be written can be read, to the same gpa; only long mode has
 * non-canonical addresses; copying succeeds iff each page walks and reads.
 */
#include "fuzz_ram.h"
#include "guest_walk.h"


static struct fuzz_ram ram;

static bool rd(void *ctx, uint64_t gpa, void *buf, size_t len)
{
	const void *p = gpa_to_hva(ctx, gpa, len, false);

	if (!p)
		return false;
	memcpy(buf, p, len);
	return true;
}

static void check_result(const struct guest_paging *pg, uint64_t gla, unsigned access,
			 const struct guest_walk_result *r)
{
	bool lm = (pg->cr0 & BIT(31)) && (pg->cr4 & BIT(5)) && (pg->efer & BIT(8));
	unsigned maxphy = pg->maxphyaddr < 32 || pg->maxphyaddr > 52 ? 52 : pg->maxphyaddr;

	FUZZ_CHECK(!r->noncanonical || (lm && r->fault));
	if (!r->fault) {
		FUZZ_CHECK((r->gpa & 0xfff) == (gla & 0xfff));
		FUZZ_CHECK(r->gpa < BIT(maxphy));
		if (!(pg->cr0 & BIT(31)))
			FUZZ_CHECK(r->gpa == (uint32_t)gla);
	} else if (!r->bad_table && !r->bad_data && !r->noncanonical) {
		FUZZ_CHECK((r->pf_error & ~0x1fu) == 0);
		FUZZ_CHECK(!!(r->pf_error & PF_ERR_W) == (access == GW_WRITE));
		FUZZ_CHECK(!!(r->pf_error & PF_ERR_US) == (pg->cpl == 3));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct guest_paging pg;
	uint32_t flags;
	unsigned count;
	uint64_t glas[16];
	uint8_t access[16];
	uint8_t copy[64];

	fuzz_ram_reset(&ram);
	flags = fuzz_take(&in, 4);
	pg.cr0 = (flags & 1 ? BIT(31) | 1 : 1) | (flags & 2 ? BIT(16) : 0);
	pg.cr4 = (flags & 4 ? BIT(5) : 0) | (flags & 8 ? BIT(4) : 0) | (flags & 16 ? BIT(20) : 0) |
		 (flags & 32 ? BIT(12) : 0) | (flags & 64 ? BIT(21) : 0);
	pg.efer = (flags & 128 ? BIT(8) | BIT(10) : 0) | (flags & 256 ? BIT(11) : 0);
	if (flags & 512) /* now and then raw control registers */
		pg.cr0 ^= (uint64_t)fuzz_take(&in, 4) << 32;
	pg.cpl = (flags >> 10) & 3;
	pg.maxphyaddr = (uint8_t)(flags >> 12);
	pg.cr3 = fuzz_take(&in, 4);
	if (flags & BIT(20))
		pg.cr3 |= (uint64_t)fuzz_take(&in, 4) << 32;
	else
		pg.cr3 &= 0x1ffff;
	count = fuzz_take(&in, 1) % 16 + 1;
	for (unsigned i = 0; i < count; i++) {
		glas[i] = fuzz_take(&in, 4);
		access[i] = (uint8_t)fuzz_take(&in, 1);
		if (access[i] & 0x80)
			glas[i] |= (uint64_t)fuzz_take(&in, 4) << 32;
	}
	memcpy(ram.low, in.p, in.n < FUZZ_RAM_LOW_SIZE ? in.n : FUZZ_RAM_LOW_SIZE);
	for (unsigned i = 0; i < count; i++) {
		struct guest_walk_result r[3], f;
		size_t len = access[i] & 63;

		for (unsigned a = GW_READ; a <= GW_FETCH; a++) {
			guest_walk(&pg, rd, &ram.map, glas[i], a, &r[a]);
			check_result(&pg, glas[i], a, &r[a]);
		}
		if (!r[GW_WRITE].fault)
			FUZZ_CHECK(!r[GW_READ].fault && r[GW_READ].gpa == r[GW_WRITE].gpa);
		if (guest_copy_from_linear(&pg, rd, &ram.map, glas[i], copy, len + 1, &f) == 0) {
			FUZZ_CHECK(!f.fault && !r[GW_READ].fault);
		} else {
			FUZZ_CHECK(f.fault);
			check_result(&pg, glas[i], GW_READ, &f);
		}
	}
	return 0;
}
