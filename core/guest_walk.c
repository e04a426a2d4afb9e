/*
 * Guest page-table walker (SDM Vol. 3A chapter 5 "Paging"; APM Vol. 2
 * chapter 5 "Page Translation and Protection").  See guest_walk.h for what
 * it does not do (A/D flags, SMAP, protection keys).
 *
 * The paging mode follows SDM Vol. 3A Table 5-1:
 *   CR0.PG = 0                       no paging: linear = physical
 *   CR0.PG = 1, CR4.PAE = 0          32-bit paging (5.3)
 *   CR4.PAE = 1, EFER.LME = 0        PAE paging (5.4)
 *   CR4.PAE = 1, EFER.LME = 1        4-level paging, 5-level with CR4.LA57 (5.5)
 */
#include "guest_walk.h"

/* Paging controls (SDM Vol. 3A 2.5, 2.2.1; same definitions as x86.h,
 * which is monitor-only). */
#define CR0_WP BIT(16)
#define CR0_PG BIT(31)
#define CR4_PSE BIT(4)
#define CR4_PAE BIT(5)
#define CR4_LA57 BIT(12)
#define CR4_SMEP BIT(20)
#define EFER_LME BIT(8)
#define EFER_NXE BIT(11)

/* Paging-structure entry bits (SDM Vol. 3A Tables 5-2 to 5-20). */
#define PTE_P  BIT(0)  /* present */
#define PTE_RW BIT(1)  /* writable */
#define PTE_US BIT(2)  /* user-mode accessible */
#define PTE_PS BIT(7)  /* page size: this PDE/PDPTE maps a page (PAT in a PTE) */
#define PTE_XD BIT(63) /* execute-disable (APM: NX), with EFER.NXE */

#define PTE_ADDR_32   0xFFFFF000ull /* 32-bit paging: table/page address */
#define PDPTE_RSVD    0x1C6ull      /* PAE PDPTE bits 8:6 and 2:1 (Table 5-8); bit 5: walk_pae */
#define CR3_PAE_ADDR  0xFFFFFFE0ull /* PAE: CR3 bits 31:5 locate the PDPT */

struct walk {
	const struct guest_paging *pg;
	guest_read_fn rd;
	void *ctx;
	uint64_t gla;
	unsigned access;
	unsigned maxphy;     /* MAXPHYADDR, 32..52 */
	uint64_t addr_mask;  /* entry bits MAXPHYADDR-1:12 */
	bool rw, us, xd;     /* rights combined over the levels walked so far */
	struct guest_walk_result *res;
};

/* Fail with #PF: err holds P and RSVD; W/R, U/S and I/D come from the
 * access (SDM Vol. 3A 5.7: I/D only with SMEP, or with PAE-style paging
 * and EFER.NXE). */
static void page_fault(struct walk *w, uint32_t err)
{
	const struct guest_paging *pg = w->pg;

	if (w->access == GW_WRITE)
		err |= PF_ERR_W;
	if (pg->cpl == 3)
		err |= PF_ERR_US;
	if (w->access == GW_FETCH &&
	    ((pg->cr4 & CR4_SMEP) || ((pg->cr4 & CR4_PAE) && (pg->efer & EFER_NXE))))
		err |= PF_ERR_ID;
	w->res->fault = true;
	w->res->pf_error = err;
}

/* One 4- or 8-byte little-endian paging entry.  A table outside guest RAM
 * ends the walk without a #PF: with nested paging the CPU would have taken
 * a nested page fault there, which is the monitor's business. */
static bool read_entry(struct walk *w, uint64_t gpa, size_t size, uint64_t *e)
{
	uint8_t b[8];

	if (!w->rd(w->ctx, gpa, b, size)) {
		w->res->fault = true;
		w->res->bad_table = true;
		w->res->gpa = gpa;
		return false;
	}
	*e = 0;
	for (size_t i = size; i-- > 0;)
		*e = *e << 8 | b[i];
	return true;
}

/* Fold one entry's R/W, U/S and XD into the rights of the walk: the
 * access must be allowed at every level (SDM Vol. 3A 5.6). */
static void add_rights(struct walk *w, uint64_t e)
{
	w->rw = w->rw && (e & PTE_RW);
	w->us = w->us && (e & PTE_US);
	w->xd = w->xd || ((w->pg->efer & EFER_NXE) && (e & PTE_XD));
}

/*
 * The access rights check at the end of the walk (SDM Vol. 3A 5.6; APM
 * Vol. 2 5.6): CPL 3 needs U/S everywhere; writes need R/W everywhere, at
 * CPL 3 always, below only with CR0.WP; fetches fail on XD, and with SMEP
 * below CPL 3 from a user page.  Success stores the translation.
 */
static void finish(struct walk *w, uint64_t gpa)
{
	const struct guest_paging *pg = w->pg;
	bool user = pg->cpl == 3;

	if ((user && !w->us) ||
	    (w->access == GW_WRITE && !w->rw && (user || (pg->cr0 & CR0_WP))) ||
	    (w->access == GW_FETCH && (w->xd || (!user && w->us && (pg->cr4 & CR4_SMEP))))) {
		page_fault(w, PF_ERR_P);
		return;
	}
	w->res->gpa = gpa;
}

/*
 * 32-bit paging (SDM Vol. 3A 5.3): CR3 bits 31:12 -> page directory
 * (gla bits 31:22) -> page table (21:12), 4-byte entries.  With CR4.PSE a
 * PDE with PS maps a 4 MiB page; PSE-36 takes physical address bits
 * M'-1:32 from PDE bits M'-20:13, M' = min(MAXPHYADDR, 40), and PDE bits
 * 21:M'-19 are reserved (Table 5-4).  Nothing else is reserved here.
 */
static void walk_32bit(struct walk *w)
{
	uint64_t gla = w->gla, pde, pte;

	if (!read_entry(w, (w->pg->cr3 & PTE_ADDR_32) + (gla >> 22) * 4, 4, &pde))
		return;
	if (!(pde & PTE_P)) {
		page_fault(w, 0);
		return;
	}
	add_rights(w, pde);
	if ((pde & PTE_PS) && (w->pg->cr4 & CR4_PSE)) {
		unsigned m = w->maxphy < 40 ? w->maxphy : 40;
		uint64_t rsvd = (BIT(22) - 1) & ~(BIT(m - 19) - 1);
		uint64_t hi = (pde >> 13) & (BIT(m - 32) - 1);

		if (pde & rsvd) {
			page_fault(w, PF_ERR_P | PF_ERR_RSVD);
			return;
		}
		finish(w, (pde & 0xFFC00000ull) | hi << 32 | (gla & (MiB(4) - 1)));
		return;
	}
	if (!read_entry(w, (pde & PTE_ADDR_32) + ((gla >> 12) & 1023) * 4, 4, &pte))
		return;
	if (!(pte & PTE_P)) {
		page_fault(w, 0);
		return;
	}
	add_rights(w, pte);
	finish(w, (pte & PTE_ADDR_32) | (gla & (PAGE_SIZE - 1)));
}

/*
 * 8-byte entries from table down to the page (SDM Vol. 3A 5.4.2, 5.5.4):
 * each level indexes its 512 entries with gla bits shift+8:shift.  PS in a
 * PDPTE (shift 30: 1 GiB) or PDE (shift 21: 2 MiB) maps a page, and the
 * entry's bits shift-1:13 are then reserved (bit 12 is PAT); PS is
 * reserved in PML4Es and PML5Es.  rsvd: the mode's other reserved bits.
 */
static void walk_8byte(struct walk *w, uint64_t table, unsigned shift, uint64_t rsvd)
{
	for (;;) {
		uint64_t e, bad, page_mask = BIT(shift) - 1;
		bool leaf;

		if (!read_entry(w, table + ((w->gla >> shift) & 511) * 8, 8, &e))
			return;
		if (!(e & PTE_P)) {
			page_fault(w, 0);
			return;
		}
		leaf = shift == 12 || (shift <= 30 && (e & PTE_PS));
		bad = e & rsvd;
		if (shift > 30)
			bad |= e & PTE_PS;
		else if (leaf && shift > 12)
			bad |= e & page_mask & ~(BIT(13) - 1);
		if (bad) {
			page_fault(w, PF_ERR_P | PF_ERR_RSVD);
			return;
		}
		add_rights(w, e);
		if (leaf) {
			finish(w, (e & w->addr_mask & ~page_mask) | (w->gla & page_mask));
			return;
		}
		table = e & w->addr_mask;
		shift -= 9;
	}
}

/* Bit 63 (XD) is reserved unless EFER.NXE (SDM Vol. 3A 5.4.2, 5.5.4). */
static uint64_t xd_rsvd(const struct walk *w)
{
	return (w->pg->efer & EFER_NXE) ? 0 : PTE_XD;
}

/*
 * PAE paging (SDM Vol. 3A 5.4): CR3 bits 31:5 -> four PDPTEs (gla bits
 * 31:30) -> page directory -> page table.  PDPTEs carry no access rights;
 * their bits 63:M, 8:5 and 2:1 are reserved (Table 5-8).  The CPU loads
 * them at MOV CR3 (#GP there on reserved bits), except that AMD nested
 * paging reads them during the walk, as this does.  In the other entries
 * bits 62:M are reserved (Tables 5-9 to 5-11).  Bit 5 is not checked:
 * QEMU's AMD-V (TCG, nested paging) sets it in a PDPTE it walks, like the
 * accessed bit of a long-mode PDPTE, so after the guest's first access
 * it is 1 (measured: tests/hostile/phys_sweep.asm), and a walk that
 * refused it would fault where the CPU itself did not.
 */
static void walk_pae(struct walk *w)
{
	uint64_t above_m = ~(BIT(w->maxphy) - 1), pdpte;

	if (!read_entry(w, (w->pg->cr3 & CR3_PAE_ADDR) + (w->gla >> 30) * 8, 8, &pdpte))
		return;
	if (!(pdpte & PTE_P)) {
		page_fault(w, 0);
		return;
	}
	if (pdpte & (above_m | PDPTE_RSVD)) {
		page_fault(w, PF_ERR_P | PF_ERR_RSVD);
		return;
	}
	walk_8byte(w, pdpte & w->addr_mask, 21, (above_m & ~PTE_XD) | xd_rsvd(w));
}

/*
 * 4-level and 5-level paging (SDM Vol. 3A 5.5): CR3 bits M-1:12 -> PML5
 * (gla bits 56:48, with CR4.LA57) -> PML4 (47:39) -> PDPT (38:30) -> PD
 * (29:21) -> PT (20:12).  The address must be canonical: bits 63:48 (63:57)
 * copies of bit 47 (56) (SDM Vol. 1 3.3.7.1), else #GP.  Entry bits 51:M
 * are reserved (Tables 5-15 to 5-20).
 */
static void walk_long(struct walk *w)
{
	unsigned top = (w->pg->cr4 & CR4_LA57) ? 48 : 39;
	uint64_t upper = w->gla >> (top + 8); /* the sign bit and everything above */

	if (upper != 0 && upper != ~0ull >> (top + 8)) {
		w->res->fault = true;
		w->res->noncanonical = true;
		return;
	}
	walk_8byte(w, w->pg->cr3 & w->addr_mask, top,
		   ((BIT(52) - 1) & ~(BIT(w->maxphy) - 1)) | xd_rsvd(w));
}

void guest_walk(const struct guest_paging *pg, guest_read_fn rd, void *ctx, uint64_t gla,
		unsigned access, struct guest_walk_result *res)
{
	struct walk w = { .pg = pg, .rd = rd, .ctx = ctx, .gla = gla, .access = access,
			  .maxphy = pg->maxphyaddr, .rw = true, .us = true, .res = res };

	*res = (struct guest_walk_result){ 0 };
	if (w.maxphy < 32 || w.maxphy > 52)
		w.maxphy = 52;
	w.addr_mask = (BIT(w.maxphy) - 1) & ~(PAGE_SIZE - 1);
	if ((pg->cr0 & CR0_PG) && (pg->cr4 & CR4_PAE) && (pg->efer & EFER_LME)) {
		walk_long(&w);
		return;
	}
	w.gla = (uint32_t)gla; /* outside long mode linear addresses are 32 bits */
	if (!(pg->cr0 & CR0_PG))
		res->gpa = w.gla;
	else if (!(pg->cr4 & CR4_PAE))
		walk_32bit(&w);
	else
		walk_pae(&w);
}

/* Copy page by page: each piece gets its own walk, since consecutive
 * linear pages need not be consecutive guest-physical ones. */
int guest_copy_from_linear(const struct guest_paging *pg, guest_read_fn rd, void *ctx,
			   uint64_t gla, void *buf, size_t len, struct guest_walk_result *fault)
{
	uint8_t *dst = buf;

	*fault = (struct guest_walk_result){ 0 };
	while (len > 0) {
		size_t chunk = PAGE_SIZE - (gla & (PAGE_SIZE - 1));

		if (chunk > len)
			chunk = len;
		guest_walk(pg, rd, ctx, gla, GW_READ, fault);
		if (fault->fault)
			return -1;
		if (!rd(ctx, fault->gpa, dst, chunk)) {
			fault->fault = true;
			fault->bad_data = true;
			return -1;
		}
		dst += chunk;
		gla += chunk;
		len -= chunk;
	}
	return 0;
}
