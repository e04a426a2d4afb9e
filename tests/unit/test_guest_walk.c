/*
 * The guest page-table walker: page tables built in a host buffer that
 * stands for guest RAM, then translations and #PF error codes in every
 * paging mode, large pages, NX, WP, user/supervisor, SMEP, reserved bits,
 * tables outside RAM, and copies across page boundaries.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "guest_walk.h"

#define RAM_SIZE MiB(1)

#define CR0_WP BIT(16)
#define CR0_PG BIT(31)
#define CR4_PSE BIT(4)
#define CR4_PAE BIT(5)
#define CR4_LA57 BIT(12)
#define CR4_SMEP BIT(20)
#define EFER_LME BIT(8)
#define EFER_LMA BIT(10)
#define EFER_NXE BIT(11)

#define P BIT(0)
#define RW BIT(1)
#define US BIT(2)
#define PS BIT(7)
#define XD BIT(63)
#define PRWU (P | RW | US)

struct ram {
	uint8_t *mem;
	uint64_t next; /* bump allocator for table pages */
	unsigned reads;
};

static struct ram ram;

static bool ram_read(void *ctx, uint64_t gpa, void *buf, size_t len)
{
	struct ram *r = ctx;

	r->reads++;
	if (gpa >= RAM_SIZE || len > RAM_SIZE - gpa)
		return false;
	memcpy(buf, r->mem + gpa, len);
	return true;
}

static int setup(void **state)
{
	(void)state;
	ram.mem = calloc(1, RAM_SIZE);
	ram.next = 0x10000;
	ram.reads = 0;
	return ram.mem ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(ram.mem);
	return 0;
}

static uint64_t new_table(void)
{
	uint64_t gpa = ram.next;

	ram.next += PAGE_SIZE;
	assert_true(ram.next <= RAM_SIZE);
	return gpa;
}

static void put32(uint64_t gpa, uint32_t v)
{
	memcpy(ram.mem + gpa, &v, 4);
}

static void put64(uint64_t gpa, uint64_t v)
{
	memcpy(ram.mem + gpa, &v, 8);
}

static uint64_t get64(uint64_t gpa)
{
	uint64_t v;

	memcpy(&v, ram.mem + gpa, 8);
	return v;
}

/* Walk and expect a translation. */
static void expect_gpa(const struct guest_paging *pg, uint64_t gla, unsigned access, uint64_t gpa)
{
	struct guest_walk_result r;

	guest_walk(pg, ram_read, &ram, gla, access, &r);
	assert_false(r.fault);
	assert_false(r.bad_table);
	assert_int_equal(r.gpa, gpa);
}

/* Walk and expect a #PF with this error code. */
static void expect_pf(const struct guest_paging *pg, uint64_t gla, unsigned access, uint32_t err)
{
	struct guest_walk_result r;

	guest_walk(pg, ram_read, &ram, gla, access, &r);
	assert_true(r.fault);
	assert_false(r.bad_table);
	assert_false(r.noncanonical);
	assert_int_equal(r.pf_error, err);
}

/* ---- 4-level tables: one path per call, intermediate entries get upper ---- */

static uint64_t entry_table(uint64_t table, unsigned idx, uint64_t upper)
{
	uint64_t e = get64(table + idx * 8);

	if (!(e & P)) {
		e = new_table() | upper;
		put64(table + idx * 8, e);
	}
	return e & 0x000FFFFFFFFFF000ull;
}

/* Map gla with a leaf at the level whose index shift is leaf_shift
 * (12, 21 or 30); levels from top_shift (39 or 48) down. */
static void map_long(uint64_t cr3, unsigned top_shift, uint64_t gla, unsigned leaf_shift,
		     uint64_t leaf, uint64_t upper)
{
	uint64_t table = cr3;

	for (unsigned s = top_shift; s > leaf_shift; s -= 9)
		table = entry_table(table, (gla >> s) & 511, upper);
	put64(table + ((gla >> leaf_shift) & 511) * 8, leaf);
}

static void test_paging_off(void **state)
{
	struct guest_paging pg = { .cr0 = 0x11 };

	(void)state;
	expect_gpa(&pg, 0x12345678, GW_WRITE, 0x12345678);
	expect_gpa(&pg, 0x100001234ull, GW_FETCH, 0x1234); /* 32-bit linear wraps */
	pg.cpl = 3;
	expect_gpa(&pg, 0xfee00000, GW_WRITE, 0xfee00000);
	assert_int_equal(ram.reads, 0);
}

static void test_32bit_4k(void **state)
{
	uint64_t pd = new_table(), pt = new_table();
	struct guest_paging pg = { .cr0 = CR0_PG | 1, .cr3 = pd };

	(void)state;
	put32(pd + (0x00400000 >> 22) * 4, (uint32_t)(pt | PRWU));
	put32(pt + 0 * 4, 0x00123000 | PRWU);         /* 0x00400000: user RW */
	put32(pt + 1 * 4, 0x00124000 | P | RW);       /* 0x00401000: supervisor RW */
	put32(pt + 2 * 4, 0x00125000 | P | US);       /* 0x00402000: user RO */
	put32(pt + 3 * 4, 0x00126000 | RW | US);      /* 0x00403000: not present */

	expect_gpa(&pg, 0x00400abc, GW_READ, 0x00123abc);
	expect_gpa(&pg, 0x00401abc, GW_WRITE, 0x00124abc);
	expect_gpa(&pg, 0x100400abcull, GW_READ, 0x00123abc); /* truncated to 32 bits */
	expect_pf(&pg, 0x00403000, GW_READ, 0);
	expect_pf(&pg, 0x00403000, GW_WRITE, PF_ERR_W);
	expect_pf(&pg, 0x00800000, GW_FETCH, 0); /* PDE not present; no I/D without PAE/SMEP */

	/* Supervisor write to a read-only page: only with CR0.WP. */
	expect_gpa(&pg, 0x00402000, GW_WRITE, 0x00125000);
	pg.cr0 |= CR0_WP;
	expect_pf(&pg, 0x00402000, GW_WRITE, PF_ERR_P | PF_ERR_W);

	/* CPL 3: supervisor pages and read-only pages. */
	pg.cpl = 3;
	expect_gpa(&pg, 0x00400000, GW_WRITE, 0x00123000);
	expect_pf(&pg, 0x00401000, GW_READ, PF_ERR_P | PF_ERR_US);
	expect_pf(&pg, 0x00402000, GW_WRITE, PF_ERR_P | PF_ERR_W | PF_ERR_US);
	expect_pf(&pg, 0x00403000, GW_FETCH, PF_ERR_US);
	pg.cr0 &= ~CR0_WP;
	expect_pf(&pg, 0x00402000, GW_WRITE, PF_ERR_P | PF_ERR_W | PF_ERR_US);

	/* A supervisor PDE makes the whole 4 MiB supervisor-only. */
	put32(pd + (0x00400000 >> 22) * 4, (uint32_t)(pt | P | RW));
	expect_pf(&pg, 0x00400000, GW_READ, PF_ERR_P | PF_ERR_US);

	/* SMEP: supervisor fetch from a user page; sets I/D even without PAE. */
	pg.cpl = 0;
	pg.cr4 = CR4_SMEP;
	put32(pd + (0x00400000 >> 22) * 4, (uint32_t)(pt | PRWU));
	expect_pf(&pg, 0x00400000, GW_FETCH, PF_ERR_P | PF_ERR_ID);
	expect_gpa(&pg, 0x00400000, GW_READ, 0x00123000);
	expect_gpa(&pg, 0x00401000, GW_FETCH, 0x00124000);
}

static void test_32bit_4m(void **state)
{
	uint64_t pd = new_table();
	struct guest_paging pg = { .cr0 = CR0_PG | 1, .cr3 = pd, .cr4 = CR4_PSE, .maxphyaddr = 40 };
	uint64_t pt = new_table();

	(void)state;
	put32(pd + 1 * 4, 0x01c00000 | PRWU | PS);                     /* 4 MiB at 28 MiB */
	put32(pd + 2 * 4, 0x00000000 | (0x12u << 13) | P | RW | PS);   /* PSE-36: 0x12_0000_0000 */
	put32(pd + 3 * 4, 0x00000000 | BIT(21) | P | PS);              /* reserved bit 21 */
	put32(pd + 4 * 4, (uint32_t)pt | P | RW | PS);                 /* PS, used without PSE */
	put32(pt + 5 * 4, 0x00777000 | P);

	expect_gpa(&pg, 0x00412345, GW_WRITE, 0x01c12345);
	expect_gpa(&pg, 0x00812345, GW_READ, 0x1200012345ull);
	expect_pf(&pg, 0x00c00000, GW_READ, PF_ERR_P | PF_ERR_RSVD);
	pg.cpl = 3;
	expect_pf(&pg, 0x00c00000, GW_WRITE, PF_ERR_P | PF_ERR_RSVD | PF_ERR_W | PF_ERR_US);
	expect_pf(&pg, 0x00812345, GW_READ, PF_ERR_P | PF_ERR_US);

	/* MAXPHYADDR 36: PDE bits 21:17 are reserved, 16:13 give bits 35:32. */
	pg.cpl = 0;
	pg.maxphyaddr = 36;
	put32(pd + 2 * 4, (0x9u << 13) | P | PS);
	expect_gpa(&pg, 0x00812345, GW_READ, 0x900012345ull);
	put32(pd + 2 * 4, (0x10u << 13) | P | PS);
	expect_pf(&pg, 0x00812345, GW_READ, PF_ERR_P | PF_ERR_RSVD);

	/* Without CR4.PSE, PS is ignored: the PDE points to a page table. */
	pg.cr4 = 0;
	expect_gpa(&pg, 0x01005678, GW_READ, 0x00777678);
}

static void test_pae(void **state)
{
	uint64_t pdpt = new_table(), pd = new_table(), pt = new_table();
	struct guest_paging pg = { .cr0 = CR0_PG | 1, .cr3 = pdpt | 0x20, .cr4 = CR4_PAE,
				   .maxphyaddr = 40 };

	(void)state;
	/* CR3 bits 31:5: the PDPT is the second 32-byte slot of the page. */
	put64(pdpt + 0x20 + 1 * 8, pd | P);                           /* 1-2 GiB */
	put64(pdpt + 0x20 + 2 * 8, pd | P | BIT(6));                  /* reserved bit 6 */
	put64(pdpt + 0x20 + 3 * 8, pd | P | BIT(5));                  /* bit 5: set by QEMU's AMD-V */
	put64(pd + 0 * 8, pt | PRWU);
	put64(pd + 1 * 8, 0xfe00000000ull | PRWU | PS);               /* 2 MiB page */
	put64(pd + 2 * 8, 0x00400000 | P | PS | BIT(13));             /* reserved bit 13 */
	put64(pt + 0 * 8, 0x00200000 | PRWU | XD);                    /* NX page */
	put64(pt + 1 * 8, 0x00201000 | PRWU | BIT(55));               /* bit 55: reserved in PAE */
	put64(pt + 2 * 8, 0x00202000 | P | RW);

	expect_gpa(&pg, 0x40200123, GW_WRITE, 0xfe00000123ull);
	expect_gpa(&pg, 0x1403fffff, GW_READ, 0xfe001fffffull); /* gla truncated */
	expect_pf(&pg, 0x00000000, GW_READ, 0);                    /* PDPTE 0 not present */
	expect_pf(&pg, 0x80000000, GW_READ, PF_ERR_P | PF_ERR_RSVD);
	expect_gpa(&pg, 0xc0200123, GW_READ, 0xfe00000123ull);
	expect_pf(&pg, 0x40400000, GW_READ, PF_ERR_P | PF_ERR_RSVD);
	expect_pf(&pg, 0x40001000, GW_READ, PF_ERR_P | PF_ERR_RSVD);

	/* XD is a reserved bit until EFER.NXE; then fetches fault with I/D. */
	expect_pf(&pg, 0x40000000, GW_READ, PF_ERR_P | PF_ERR_RSVD);
	pg.efer = EFER_NXE;
	expect_gpa(&pg, 0x40000010, GW_READ, 0x00200010);
	expect_pf(&pg, 0x40000010, GW_FETCH, PF_ERR_P | PF_ERR_ID);
	expect_gpa(&pg, 0x40002010, GW_FETCH, 0x00202010);
	expect_pf(&pg, 0x40003000, GW_FETCH, PF_ERR_ID); /* not present, still I/D */

	/* PDPTEs carry no rights: a user access only needs U/S below. */
	pg.cpl = 3;
	expect_gpa(&pg, 0x40200000, GW_WRITE, 0xfe00000000ull);
	expect_pf(&pg, 0x40002000, GW_READ, PF_ERR_P | PF_ERR_US);
}

static void test_4level(void **state)
{
	uint64_t pml4 = new_table();
	struct guest_paging pg = { .cr0 = CR0_PG | CR0_WP | 1, .cr3 = pml4 | 0x5 /* PCID */,
				   .cr4 = CR4_PAE, .efer = EFER_LME | EFER_LMA | EFER_NXE };

	(void)state;
	map_long(pml4, 39, 0x00007f0000001000ull, 12, 0x0000000000345000ull | PRWU, PRWU);
	map_long(pml4, 39, 0x00007f0000200000ull, 21, 0x0000000080000000ull | PRWU | PS, PRWU);
	map_long(pml4, 39, 0x00007f0040000000ull, 30, 0x000fffffc0000000ull | PRWU | PS, PRWU);
	map_long(pml4, 39, 0xffff800000000000ull, 12, 0x0000000000346000ull | P | RW, P | RW);
	map_long(pml4, 39, 0xffff800000001000ull, 12, 0x0000000000347000ull | P, P | RW);
	map_long(pml4, 39, 0xffff800000002000ull, 12, 0x0000000000348000ull | P | RW | XD, P | RW);

	expect_gpa(&pg, 0x00007f0000001abcull, GW_WRITE, 0x345abc);
	expect_gpa(&pg, 0x00007f00002fedcbull, GW_FETCH, 0x800fedcbull);
	expect_gpa(&pg, 0x00007f007fffffffull, GW_READ, 0x000fffffffffffffull);
	expect_gpa(&pg, 0xffff800000000010ull, GW_FETCH, 0x346010);
	expect_pf(&pg, 0xffff800000001000ull, GW_WRITE, PF_ERR_P | PF_ERR_W);
	expect_pf(&pg, 0xffff800000002000ull, GW_FETCH, PF_ERR_P | PF_ERR_ID);
	expect_gpa(&pg, 0xffff800000002000ull, GW_WRITE, 0x348000);
	expect_pf(&pg, 0xffff800000003000ull, GW_READ, 0);

	/* CPL 3 into the supervisor half; writes, fetches there too. */
	pg.cpl = 3;
	expect_pf(&pg, 0xffff800000000000ull, GW_READ, PF_ERR_P | PF_ERR_US);
	expect_pf(&pg, 0xffff800000000000ull, GW_FETCH, PF_ERR_P | PF_ERR_US | PF_ERR_ID);
	expect_pf(&pg, 0xffff800000003000ull, GW_WRITE, PF_ERR_W | PF_ERR_US);
	expect_gpa(&pg, 0x00007f0000001000ull, GW_WRITE, 0x345000);

	/* XD in an upper level covers everything below it. */
	pg.cpl = 0;
	put64(pml4 + 254 * 8, get64(pml4 + 254 * 8) | XD);
	expect_pf(&pg, 0x00007f0000001000ull, GW_FETCH, PF_ERR_P | PF_ERR_ID);
	expect_gpa(&pg, 0x00007f0000001000ull, GW_READ, 0x345000);
	pg.efer &= ~EFER_NXE; /* now a reserved bit, on every access */
	expect_pf(&pg, 0x00007f0000001000ull, GW_READ, PF_ERR_P | PF_ERR_RSVD);
	pg.efer |= EFER_NXE;
	put64(pml4 + 254 * 8, get64(pml4 + 254 * 8) & ~XD);

	/* Read-only PDPTE under WP; supervisor without WP may write. */
	{
		uint64_t pdpt = get64(pml4 + 254 * 8) & 0xffffffffff000ull;

		put64(pdpt, get64(pdpt) & ~RW);
		expect_pf(&pg, 0x00007f0000001000ull, GW_WRITE, PF_ERR_P | PF_ERR_W);
		pg.cr0 &= ~CR0_WP;
		expect_gpa(&pg, 0x00007f0000001000ull, GW_WRITE, 0x345000);
		pg.cpl = 3;
		expect_pf(&pg, 0x00007f0000001000ull, GW_WRITE, PF_ERR_P | PF_ERR_W | PF_ERR_US);
		put64(pdpt, get64(pdpt) | RW);
	}
}

static void test_4level_reserved(void **state)
{
	uint64_t pml4 = new_table();
	struct guest_paging pg = { .cr0 = CR0_PG | 1, .cr3 = pml4, .cr4 = CR4_PAE,
				   .efer = EFER_LME | EFER_NXE, .maxphyaddr = 48 };
	struct guest_walk_result r;

	(void)state;
	map_long(pml4, 39, 0x0000000000200000ull, 21, 0x400000 | P | PS | BIT(20), PRWU);
	map_long(pml4, 39, 0x0000000040000000ull, 30, 0x40000000 | P | PS | BIT(29), PRWU);
	map_long(pml4, 39, 0x0000000000001000ull, 12, BIT(51) | 0x1000 | P, PRWU);
	map_long(pml4, 39, 0x0000000000002000ull, 12, BIT(52) | 0x2000 | P, PRWU);
	map_long(pml4, 39, 0x0000000000003000ull, 12, 0x3000 | P | PS, PRWU); /* PAT, fine */
	put64(pml4 + 1 * 8, new_table() | P | PS);                               /* PML4E.PS */

	expect_pf(&pg, 0x0000000000200000ull, GW_READ, PF_ERR_P | PF_ERR_RSVD);
	expect_pf(&pg, 0x0000000040000000ull, GW_WRITE, PF_ERR_P | PF_ERR_RSVD | PF_ERR_W);
	expect_pf(&pg, 0x0000000000001000ull, GW_FETCH, PF_ERR_P | PF_ERR_RSVD | PF_ERR_ID);
	expect_gpa(&pg, 0x0000000000002000ull, GW_READ, 0x2000); /* 62:52 ignored */
	expect_gpa(&pg, 0x0000000000003000ull, GW_READ, 0x3000);
	expect_pf(&pg, 0x0000008000000000ull, GW_READ, PF_ERR_P | PF_ERR_RSVD);

	/* MAXPHYADDR 52 (0 = default): bit 51 is an address bit. */
	pg.maxphyaddr = 0;
	expect_gpa(&pg, 0x0000000000001000ull, GW_READ, BIT(51) | 0x1000);

	/* Non-canonical addresses are #GP, not #PF. */
	guest_walk(&pg, ram_read, &ram, 0x0000800000000000ull, GW_READ, &r);
	assert_true(r.fault);
	assert_true(r.noncanonical);
	guest_walk(&pg, ram_read, &ram, 0xfff0000000000000ull, GW_READ, &r);
	assert_true(r.noncanonical);
}

static void test_5level(void **state)
{
	uint64_t pml5 = new_table();
	struct guest_paging pg = { .cr0 = CR0_PG | 1, .cr3 = pml5, .cr4 = CR4_PAE | CR4_LA57,
				   .efer = EFER_LME };
	uint64_t gla = 0x00ab800000001000ull; /* bits 56:48 = 0xab */
	struct guest_walk_result r;

	(void)state;
	map_long(pml5, 48, gla, 12, 0x999000 | P, PRWU);
	expect_gpa(&pg, gla | 0x123, GW_READ, 0x999123);
	expect_pf(&pg, 0x00ac800000001000ull, GW_READ, 0);
	put64(pml5 + 0xab * 8, get64(pml5 + 0xab * 8) | PS); /* PML5E.PS reserved */
	expect_pf(&pg, gla, GW_READ, PF_ERR_P | PF_ERR_RSVD);
	guest_walk(&pg, ram_read, &ram, 0x0100000000000000ull, GW_READ, &r);
	assert_true(r.noncanonical);
	guest_walk(&pg, ram_read, &ram, 0xff00000000000000ull, GW_READ, &r);
	assert_false(r.noncanonical); /* canonical with 57 bits; PML5E 511 not present */
	assert_true(r.fault);
}

/* Tables outside guest RAM end the walk with bad_table, not a #PF. */
static void test_table_outside_ram(void **state)
{
	uint64_t pml4 = new_table();
	struct guest_paging pg = { .cr0 = CR0_PG | 1, .cr3 = pml4, .cr4 = CR4_PAE,
				   .efer = EFER_LME };
	struct guest_walk_result r;

	(void)state;
	map_long(pml4, 39, 0x1000, 21, 0, PRWU); /* builds PML4E and PDPTE */
	{
		uint64_t pdpt = get64(pml4) & 0xffffffffff000ull;

		put64(pdpt, 0xfee00000ull | PRWU); /* PD "in" the APIC page */
	}
	guest_walk(&pg, ram_read, &ram, 0x1000, GW_READ, &r);
	assert_true(r.fault);
	assert_true(r.bad_table);
	assert_int_equal(r.gpa, 0xfee00000ull);

	pg.cr3 = 0x7ffff000ull; /* CR3 itself outside RAM */
	guest_walk(&pg, ram_read, &ram, 0x1000, GW_FETCH, &r);
	assert_true(r.bad_table);

	/* 32-bit paging with the page directory's last bytes past the end. */
	pg = (struct guest_paging){ .cr0 = CR0_PG | 1, .cr3 = RAM_SIZE - PAGE_SIZE };
	guest_walk(&pg, ram_read, &ram, 0xfffff000, GW_READ, &r);
	assert_false(r.bad_table); /* entry 1023 is the last word of RAM */
	pg.cr3 = RAM_SIZE;
	guest_walk(&pg, ram_read, &ram, 0, GW_READ, &r);
	assert_true(r.bad_table);
}

static void test_copy(void **state)
{
	uint64_t pml4 = new_table();
	struct guest_paging pg = { .cr0 = CR0_PG | 1, .cr3 = pml4, .cr4 = CR4_PAE,
				   .efer = EFER_LME };
	struct guest_walk_result r;
	uint8_t buf[32];

	(void)state;
	/* Linear 0x5000 -> 0x80000, 0x6000 -> 0x70000 (reversed), 0x7000 unmapped,
	 * 0x8000 -> outside RAM. */
	map_long(pml4, 39, 0x5000, 12, 0x80000 | PRWU, PRWU);
	map_long(pml4, 39, 0x6000, 12, 0x70000 | PRWU, PRWU);
	map_long(pml4, 39, 0x8000, 12, 0x7fff0000ull | PRWU, PRWU);
	for (unsigned i = 0; i < 8; i++) {
		ram.mem[0x80ff8 + i] = (uint8_t)(0xa0 + i); /* end of page 0x80000 */
		ram.mem[0x70000 + i] = (uint8_t)(0xb0 + i); /* start of page 0x70000 */
		ram.mem[0x70ff8 + i] = (uint8_t)(0xc0 + i); /* end of page 0x70000 */
	}

	assert_int_equal(guest_copy_from_linear(&pg, ram_read, &ram, 0x5ff8, buf, 16, &r), 0);
	assert_false(r.fault);
	for (unsigned i = 0; i < 8; i++) {
		assert_int_equal(buf[i], 0xa0 + i);
		assert_int_equal(buf[8 + i], 0xb0 + i);
	}

	/* Into the unmapped page: #PF for the second page, first part copied. */
	memset(buf, 0, sizeof(buf));
	assert_int_equal(guest_copy_from_linear(&pg, ram_read, &ram, 0x6ffc, buf, 8, &r), -1);
	assert_true(r.fault);
	assert_false(r.bad_table);
	assert_int_equal(r.pf_error, 0);
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(buf[i], i < 4 ? 0xc4 + i : 0);
	pg.cpl = 3;
	assert_int_equal(guest_copy_from_linear(&pg, ram_read, &ram, 0x6fff, buf, 2, &r), -1);
	assert_int_equal(r.pf_error, PF_ERR_US);

	/* A page mapped outside guest RAM: bad_data. */
	assert_int_equal(guest_copy_from_linear(&pg, ram_read, &ram, 0x8000, buf, 4, &r), -1);
	assert_true(r.fault);
	assert_true(r.bad_data);
	assert_int_equal(r.gpa, 0x7fff0000ull);

	/* Nothing to copy is fine; so is a copy with paging off. */
	assert_int_equal(guest_copy_from_linear(&pg, ram_read, &ram, 0x7000, buf, 0, &r), 0);
	pg = (struct guest_paging){ .cr0 = 1 };
	memset(buf, 0xff, sizeof(buf));
	assert_int_equal(guest_copy_from_linear(&pg, ram_read, &ram, 0x10006fffcull, buf, 8, &r), 0);
	assert_int_equal(buf[3], 0); /* 32-bit linear address: 0x6fffc */
	assert_int_equal(buf[4], 0xb0);
	assert_int_equal(buf[7], 0xb3);
}

/* Hostile tables: random RAM, random CR3 and addresses in every mode.
 * The callback bounds every read; ASan would catch anything else. */
static void test_random_tables(void **state)
{
	uint64_t x = 0x243f6a8885a308d3ull;
	static const uint64_t cr4s[] = { 0, CR4_PSE, CR4_PAE, CR4_PAE | CR4_LA57, CR4_SMEP | CR4_PAE };
	unsigned ok = 0;

	(void)state;
	for (size_t i = 0; i < 0x10000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		ram.mem[(i * 16) % RAM_SIZE] = (uint8_t)x;
		ram.mem[(i * 16 + 7) % RAM_SIZE] = (uint8_t)(x >> 8) | 1; /* many present entries */
	}
	for (unsigned iter = 0; iter < 20000; iter++) {
		struct guest_paging pg;
		struct guest_walk_result r;
		uint64_t v[3];

		for (unsigned k = 0; k < 3; k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			v[k] = x;
		}
		pg = (struct guest_paging){ .cr0 = CR0_PG | (v[0] & CR0_WP), .cr3 = v[0] % (RAM_SIZE + MiB(1)),
					    .cr4 = cr4s[v[1] % 5], .efer = (v[1] >> 8) & (EFER_LME | EFER_NXE),
					    .cpl = (uint8_t)(v[1] >> 16) & 3, .maxphyaddr = (uint8_t)(v[1] >> 24) };
		guest_walk(&pg, ram_read, &ram, v[2], (unsigned)(v[1] >> 32) % 3, &r);
		if (!r.fault)
			ok++;
		else
			assert_true(r.bad_table || r.noncanonical || (r.pf_error & ~0x1fu) == 0);
	}
	assert_true(ok > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_paging_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_32bit_4k, setup, teardown),
		cmocka_unit_test_setup_teardown(test_32bit_4m, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pae, setup, teardown),
		cmocka_unit_test_setup_teardown(test_4level, setup, teardown),
		cmocka_unit_test_setup_teardown(test_4level_reserved, setup, teardown),
		cmocka_unit_test_setup_teardown(test_5level, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table_outside_ram, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_tables, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
