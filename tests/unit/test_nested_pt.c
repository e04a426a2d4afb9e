/*
 * The NPT and EPT builders: build tables from a guest-physical map like a
 * PC's, then walk them page by page and check every mapping, permission
 * and hole; remap a range (as the PAM registers do) and check the split.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "gpa_map.h"
#include "nested_pt.h"

#define HOST_BASE 0x40000000ull /* leaves point at fake host addresses */
#define MAX_PAGES 256

struct pool {
	void *pages[MAX_PAGES];
	unsigned n;
	unsigned limit;
};

static uint64_t pool_alloc(void *ctx)
{
	struct pool *p = ctx;
	void *page;

	if (p->n == p->limit)
		return 0;
	page = aligned_alloc(4096, 4096);
	memset(page, 0, 4096);
	p->pages[p->n++] = page;
	return (uint64_t)(uintptr_t)page;
}

static void pool_free(struct pool *p)
{
	for (unsigned i = 0; i < p->n; i++)
		free(p->pages[i]);
	p->n = 0;
}

static void pc_map(struct gpa_map *m)
{
	memset(m, 0, sizeof(*m));
	assert_int_equal(gpa_map_add(m, 0, 0xa0000, HOST_BASE, GPA_RWX, "low RAM"), 0);
	assert_int_equal(gpa_map_add(m, 0xe0000, 0x20000, HOST_BASE + 0x1000000, GPA_RX, "BIOS"), 0);
	assert_int_equal(gpa_map_add(m, 0x100000, 0x700000, HOST_BASE + 0x100000, GPA_RWX, "RAM"), 0);
	assert_int_equal(gpa_map_add(m, 0xfffe0000, 0x20000, HOST_BASE + 0x1000000, GPA_RX, "BIOS high"), 0);
}

/* Expected translation of gpa under pc_map, or false for a hole. */
static bool expect(uint64_t gpa, uint64_t *hpa, uint32_t *perm)
{
	if (gpa < 0xa0000 || (gpa >= 0x100000 && gpa < 0x800000)) {
		*hpa = HOST_BASE + gpa;
		*perm = GPA_RWX;
		return true;
	}
	if (gpa >= 0xe0000 && gpa < 0x100000) {
		*hpa = HOST_BASE + 0x1000000 + (gpa - 0xe0000);
		*perm = GPA_RX;
		return true;
	}
	if (gpa >= 0xfffe0000 && gpa < 0x100000000ull) {
		*hpa = HOST_BASE + 0x1000000 + (gpa - 0xfffe0000);
		*perm = GPA_RX;
		return true;
	}
	return false;
}

static void check_range(uint64_t root, const struct npt_encoder *enc, uint64_t from, uint64_t to)
{
	for (uint64_t gpa = from; gpa < to; gpa += 4096) {
		uint64_t hpa = 0, want_hpa;
		uint32_t perm = 0, want_perm;
		bool mapped = nested_pt_lookup(root, gpa + 0x123, enc, &hpa, &perm);

		if (!expect(gpa, &want_hpa, &want_perm)) {
			assert_false(mapped);
			continue;
		}
		assert_true(mapped);
		assert_int_equal(hpa, want_hpa + 0x123);
		/* NPT cannot express no-execute: X is implied */
		assert_int_equal(perm | GPA_X, want_perm | GPA_X);
		assert_int_equal(perm & GPA_W, want_perm & GPA_W);
	}
}

static void build_and_walk(const struct npt_encoder *enc)
{
	struct gpa_map m;
	struct pool p = { .limit = MAX_PAGES };
	uint64_t root;

	pc_map(&m);
	root = nested_pt_build(&m, enc, pool_alloc, &p);
	assert_true(root != 0);
	check_range(root, enc, 0, 0x1000000);
	check_range(root, enc, 0xffe00000, 0x100000000ull);
	/* PML4 + PDPT(0) + PD(0) + PT(0-2M) + PDPT entry 3's PD + its PT:
	 * 2 MiB..8 MiB must use three large pages, not page tables. */
	assert_int_equal(p.n, 6);
	pool_free(&p);
}

static void test_npt_build(void **state)
{
	(void)state;
	build_and_walk(&npt_encoder);
}

static void test_ept_build(void **state)
{
	(void)state;
	build_and_walk(&ept_encoder);
}

static void test_ept_rom_not_writable(void **state)
{
	struct gpa_map m;
	struct pool p = { .limit = MAX_PAGES };
	uint64_t root, hpa;
	uint32_t perm;

	(void)state;
	pc_map(&m);
	root = nested_pt_build(&m, &ept_encoder, pool_alloc, &p);
	assert_true(nested_pt_lookup(root, 0xffff0, &ept_encoder, &hpa, &perm));
	assert_int_equal(perm, GPA_RX);
	assert_true(nested_pt_lookup(root, 0x7c00, &ept_encoder, &hpa, &perm));
	assert_int_equal(perm, GPA_RWX);
	pool_free(&p);
}

/* Remapping 4 KiB inside a 2 MiB page splits it and keeps the rest. */
static void test_split_large_page(void **state)
{
	struct gpa_map m;
	struct pool p = { .limit = MAX_PAGES };
	uint64_t root, hpa;
	uint32_t perm;

	(void)state;
	pc_map(&m);
	root = nested_pt_build(&m, &npt_encoder, pool_alloc, &p);
	assert_int_equal(nested_pt_map(root, 0x401000, 0, 0x1000, 0, &npt_encoder, pool_alloc, &p), 0);
	assert_false(nested_pt_lookup(root, 0x401000, &npt_encoder, &hpa, &perm));
	assert_true(nested_pt_lookup(root, 0x400000, &npt_encoder, &hpa, &perm));
	assert_int_equal(hpa, HOST_BASE + 0x400000);
	assert_true(nested_pt_lookup(root, 0x5ff000, &npt_encoder, &hpa, &perm));
	assert_int_equal(hpa, HOST_BASE + 0x5ff000);
	assert_int_equal(perm & GPA_W, GPA_W);
	pool_free(&p);
}

static void test_out_of_memory(void **state)
{
	struct gpa_map m;
	struct pool p = { .limit = 3 };

	(void)state;
	pc_map(&m);
	assert_int_equal(nested_pt_build(&m, &npt_encoder, pool_alloc, &p), 0);
	pool_free(&p);
}

static void test_gpa_map_checks(void **state)
{
	struct gpa_map m;
	static uint8_t ram[0x3000] __attribute__((aligned(4096)));

	(void)state;
	memset(&m, 0, sizeof(m));
	assert_int_equal(gpa_map_add(&m, 0, 0x2000, (uint64_t)(uintptr_t)ram, GPA_RWX, "ram"), 0);
	assert_int_equal(gpa_map_add(&m, 0x1000, 0x1000, 0, GPA_RWX, "overlap"), -1);
	assert_int_equal(gpa_map_add(&m, 0x2000, 0x800, 0, GPA_RWX, "unaligned"), -1);
	assert_int_equal(gpa_map_add(&m, 0x3000, 0x1000, (uint64_t)(uintptr_t)ram + 0x2000, GPA_RX, "rom"), 0);
	assert_ptr_equal(gpa_to_hva(&m, 0x1ff0, 0x10, true), ram + 0x1ff0);
	assert_null(gpa_to_hva(&m, 0x1ff0, 0x11, false));   /* runs past the region */
	assert_null(gpa_to_hva(&m, 0x3000, 1, true));       /* ROM is not writable */
	assert_ptr_equal(gpa_to_hva(&m, 0x3000, 1, false), ram + 0x2000);
	assert_null(gpa_to_hva(&m, 0x4000, 1, false));      /* hole */
	assert_null(gpa_to_hva(&m, 0x0, 0, false));         /* empty access */
	assert_null(gpa_to_hva(&m, UINT64_MAX, 2, false));
	assert_int_equal(gpa_map_set_perm(&m, 0x3000, 0x1000, GPA_RWX), 0);
	assert_non_null(gpa_to_hva(&m, 0x3000, 1, true));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_npt_build),
		cmocka_unit_test(test_ept_build),
		cmocka_unit_test(test_ept_rom_not_writable),
		cmocka_unit_test(test_split_large_page),
		cmocka_unit_test(test_out_of_memory),
		cmocka_unit_test(test_gpa_map_checks),
	};

	return cmocka_run_group_tests_name("nested_pt", tests, NULL, NULL);
}
