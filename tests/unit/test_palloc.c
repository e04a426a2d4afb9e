/*
 * The physical page allocator: a QEMU-like firmware map with the first
 * MiB, an image and unaligned modules reserved; every page it hands out is
 * checked against that map until it runs dry.  Also alignment, free and
 * merge, free_bytes/largest_run bookkeeping, reserved firmware entries
 * overlapping available ones, the limit, bad arguments, address 0, and
 * hostile map entries near the top of the 64-bit address space.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>

#include "palloc.h"

#define MB2_MEM_RESERVED 2

/* QEMU's e820 for -m 512M (via the Multiboot2 memory map). */
static const struct mem_region qemu_map[] = {
	{ 0, 0x9fc00, MB2_MEM_AVAILABLE },
	{ 0x9fc00, 0x400, MB2_MEM_RESERVED },
	{ 0xf0000, 0x10000, MB2_MEM_RESERVED },
	{ 0x100000, 0x1fee0000, MB2_MEM_AVAILABLE },
	{ 0x1ffe0000, 0x20000, MB2_MEM_RESERVED },
	{ 0xfffc0000, 0x40000, MB2_MEM_RESERVED },
};

static const struct phys_range qemu_reserved[] = {
	{ 0, MiB(1) },              /* IVT, BDA, EBDA, ROMs */
	{ MiB(2), MiB(3) },         /* lamina's image */
	{ 0x3000123, 0x3004567 },   /* a module at an unaligned address */
	{ 0x5000800, 0x5001000 },   /* another, starting mid-page */
};

/* What qemu_map minus qemu_reserved leaves free, in whole pages. */
static const struct phys_range qemu_free[] = {
	{ MiB(1), MiB(2) },
	{ MiB(3), 0x3000000 },
	{ 0x3005000, 0x5000000 },
	{ 0x5001000, 0x1ffe0000 },
};

static void init_qemu(void)
{
	palloc_init(qemu_map, ARRAY_SIZE(qemu_map), qemu_reserved, ARRAY_SIZE(qemu_reserved), GiB(4));
}

static bool in_qemu_free(uint64_t pa)
{
	for (unsigned i = 0; i < ARRAY_SIZE(qemu_free); i++)
		if (pa >= qemu_free[i].base && pa < qemu_free[i].end)
			return true;
	return false;
}

static uint64_t qemu_free_total(void)
{
	uint64_t sum = 0;

	for (unsigned i = 0; i < ARRAY_SIZE(qemu_free); i++)
		sum += qemu_free[i].end - qemu_free[i].base;
	return sum;
}

static void test_init_counts_exactly_the_free_pages(void **state)
{
	(void)state;
	init_qemu();
	assert_int_equal(palloc_free_bytes(), qemu_free_total());
	assert_int_equal(palloc_largest_run(), 0x1ffe0000 - 0x5001000);
}

static void test_page_by_page_never_returns_reserved_or_unavailable(void **state)
{
	uint64_t npages = 0x20000000 / PAGE_SIZE;
	uint8_t *seen = calloc(npages, 1);
	uint64_t count = 0, pa;

	(void)state;
	init_qemu();
	while ((pa = palloc_alloc(1, PAGE_SIZE)) != 0) {
		assert_int_equal(pa % PAGE_SIZE, 0);
		assert_true(in_qemu_free(pa));
		assert_false(seen[pa / PAGE_SIZE]);
		seen[pa / PAGE_SIZE] = 1;
		count++;
	}
	assert_int_equal(count * PAGE_SIZE, qemu_free_total());
	assert_int_equal(palloc_free_bytes(), 0);
	assert_int_equal(palloc_largest_run(), 0);
	free(seen);
}

static void test_alloc_is_first_fit_and_updates_bookkeeping(void **state)
{
	(void)state;
	init_qemu();
	assert_int_equal(palloc_alloc(1, PAGE_SIZE), MiB(1));
	assert_int_equal(palloc_alloc(2, PAGE_SIZE), MiB(1) + 0x1000);
	assert_int_equal(palloc_free_bytes(), qemu_free_total() - 3 * PAGE_SIZE);
	/* too big for [1M, 2M): comes from the next run */
	assert_int_equal(palloc_alloc(256, PAGE_SIZE), MiB(3));
	assert_int_equal(palloc_largest_run(), 0x1ffe0000 - 0x5001000);
}

static void test_aligned_runs_are_aligned_and_free(void **state)
{
	uint64_t prev = 0;

	(void)state;
	init_qemu();
	assert_int_equal(palloc_alloc(1, PAGE_SIZE), MiB(1)); /* misalign what is left */
	for (int i = 0; i < 8; i++) {
		uint64_t pa = palloc_alloc(512, MiB(2));

		assert_int_equal(pa % MiB(2), 0);
		for (uint64_t off = 0; off < MiB(2); off += PAGE_SIZE)
			assert_true(in_qemu_free(pa + off));
		assert_true(pa > prev);
		prev = pa;
	}
	/* [3M, 48M) is the first run that holds an aligned 2 MiB */
	assert_int_equal(palloc_alloc(512, MiB(2)), MiB(20));
	assert_int_equal(palloc_free_bytes(), qemu_free_total() - PAGE_SIZE - 9 * MiB(2));
}

static void test_large_alignment_skips_unaligned_runs(void **state)
{
	(void)state;
	init_qemu();
	/* the first 1 GiB-aligned address is past all RAM below the limit */
	assert_int_equal(palloc_alloc(1, GiB(1)), 0);
	assert_int_equal(palloc_alloc(1, MiB(256)), MiB(256));
	assert_int_equal(palloc_free_bytes(), qemu_free_total() - PAGE_SIZE);
}

static void test_free_merges_neighbours_into_one_run(void **state)
{
	(void)state;
	init_qemu();
	assert_int_equal(palloc_alloc(256, PAGE_SIZE), MiB(1)); /* all of [1M, 2M) */
	palloc_free(MiB(1), 128);
	palloc_free(MiB(1) + 128 * PAGE_SIZE, 128);
	/* only a merged run holds 256 pages below 3 MiB */
	assert_int_equal(palloc_alloc(256, PAGE_SIZE), MiB(1));
}

static void test_free_bridging_two_runs_merges_all_three(void **state)
{
	uint64_t a, b, c, d;

	(void)state;
	init_qemu();
	a = palloc_alloc(16, PAGE_SIZE);
	b = palloc_alloc(16, PAGE_SIZE);
	c = palloc_alloc(16, PAGE_SIZE);
	d = palloc_alloc(256 - 48, PAGE_SIZE); /* the rest of [1M, 2M) */
	assert_int_equal(b, a + 16 * PAGE_SIZE);
	assert_int_equal(c, b + 16 * PAGE_SIZE);
	assert_int_equal(d, c + 16 * PAGE_SIZE);
	palloc_free(c, 16);
	palloc_free(a, 16);
	assert_int_equal(palloc_alloc(17, PAGE_SIZE), MiB(3)); /* a and c are apart */
	palloc_free(b, 16);
	assert_int_equal(palloc_alloc(48, PAGE_SIZE), a);
}

static void test_freed_pages_are_reused(void **state)
{
	uint64_t before, pa;

	(void)state;
	init_qemu();
	before = palloc_free_bytes();
	pa = palloc_alloc(512, MiB(2));
	assert_int_equal(palloc_free_bytes(), before - MiB(2));
	palloc_free(pa, 512);
	assert_int_equal(palloc_free_bytes(), before);
	assert_int_equal(palloc_largest_run(), 0x1ffe0000 - 0x5001000);
	assert_int_equal(palloc_alloc(512, MiB(2)), pa);
}

static void test_reserved_entry_overlapping_available_wins(void **state)
{
	static const struct mem_region map[] = {
		{ MiB(16), 0x1001, MB2_MEM_RESERVED }, /* listed first, unaligned end */
		{ MiB(1), MiB(63), MB2_MEM_AVAILABLE },
		{ MiB(40), MiB(8), MB2_MEM_ACPI },
		{ MiB(60), MiB(1), MB2_MEM_NVS },
		{ MiB(62), MiB(1), MB2_MEM_BAD },
	};
	uint64_t pa, count = 0;

	(void)state;
	palloc_init(map, ARRAY_SIZE(map), NULL, 0, GiB(4));
	assert_int_equal(palloc_free_bytes(), MiB(63) - 2 * PAGE_SIZE - MiB(8) - MiB(1) - MiB(1));
	while ((pa = palloc_alloc(1, PAGE_SIZE)) != 0) {
		assert_false(pa >= MiB(16) && pa < MiB(16) + 2 * PAGE_SIZE);
		assert_false(pa >= MiB(40) && pa < MiB(48));
		assert_false(pa >= MiB(60) && pa < MiB(61));
		assert_false(pa >= MiB(62) && pa < MiB(63));
		count++;
	}
	assert_int_equal(count * PAGE_SIZE, MiB(63) - 2 * PAGE_SIZE - MiB(10));
}

static void test_overlapping_available_entries_count_once(void **state)
{
	static const struct mem_region map[] = {
		{ MiB(1), MiB(8), MB2_MEM_AVAILABLE },
		{ MiB(4), MiB(8), MB2_MEM_AVAILABLE },
		{ MiB(12), MiB(4), MB2_MEM_AVAILABLE }, /* touches the one before */
	};

	(void)state;
	palloc_init(map, ARRAY_SIZE(map), NULL, 0, GiB(4));
	assert_int_equal(palloc_free_bytes(), MiB(15));
	assert_int_equal(palloc_largest_run(), MiB(15));
}

static void test_unaligned_available_entry_shrinks_to_whole_pages(void **state)
{
	static const struct mem_region map[] = { { 0x100800, 0xffc00, MB2_MEM_AVAILABLE } };

	(void)state;
	palloc_init(map, ARRAY_SIZE(map), NULL, 0, GiB(4));
	assert_int_equal(palloc_free_bytes(), 0x200000 - 0x101000);
	assert_int_equal(palloc_alloc(1, PAGE_SIZE), 0x101000);
}

static void test_limit_clips_available_memory(void **state)
{
	uint64_t pa, last = 0;

	(void)state;
	palloc_init(qemu_map, ARRAY_SIZE(qemu_map), qemu_reserved, ARRAY_SIZE(qemu_reserved),
		    MiB(32));
	assert_int_equal(palloc_free_bytes(), MiB(1) + MiB(29));
	while ((pa = palloc_alloc(1, PAGE_SIZE)) != 0)
		last = pa;
	assert_int_equal(last, MiB(32) - PAGE_SIZE);
}

static void test_unaligned_limit_leaves_no_partial_page(void **state)
{
	static const struct mem_region map[] = { { MiB(1), MiB(15), MB2_MEM_AVAILABLE } };

	(void)state;
	palloc_init(map, ARRAY_SIZE(map), NULL, 0, MiB(8) + 0x800);
	assert_int_equal(palloc_free_bytes(), MiB(7));
	assert_int_equal(palloc_largest_run(), MiB(7));
}

static void test_limit_below_all_memory_leaves_nothing(void **state)
{
	(void)state;
	palloc_init(qemu_map, ARRAY_SIZE(qemu_map), qemu_reserved, ARRAY_SIZE(qemu_reserved),
		    MiB(1));
	assert_int_equal(palloc_free_bytes(), 0);
	assert_int_equal(palloc_alloc(1, PAGE_SIZE), 0);
}

static void test_zero_pages_or_bad_alignment_returns_zero(void **state)
{
	static const uint64_t bad_align[] = { 0, 1, 2048, 4097, 3 * PAGE_SIZE, MiB(2) + PAGE_SIZE };

	(void)state;
	init_qemu();
	assert_int_equal(palloc_alloc(0, PAGE_SIZE), 0);
	for (unsigned i = 0; i < ARRAY_SIZE(bad_align); i++)
		assert_int_equal(palloc_alloc(1, bad_align[i]), 0);
	assert_int_equal(palloc_free_bytes(), qemu_free_total());
}

static void test_impossibly_many_pages_returns_zero(void **state)
{
	/* page counts whose byte size wraps around 2^64 */
	static const uint64_t huge[] = { 1ull << 52, (1ull << 52) - 1, UINT64_MAX, 0x10000000000001ull };

	(void)state;
	init_qemu();
	for (unsigned i = 0; i < ARRAY_SIZE(huge); i++)
		assert_int_equal(palloc_alloc(huge[i], PAGE_SIZE), 0);
	assert_int_equal(palloc_free_bytes(), qemu_free_total());
	assert_int_equal(palloc_alloc(1, PAGE_SIZE), MiB(1));
}

static void test_address_zero_is_never_returned(void **state)
{
	static const struct mem_region map[] = { { 0, 0x9fc00, MB2_MEM_AVAILABLE } };
	uint64_t pa, count = 0;

	(void)state;
	palloc_init(map, ARRAY_SIZE(map), NULL, 0, GiB(4));
	assert_int_equal(palloc_alloc(1, PAGE_SIZE), PAGE_SIZE);
	count++;
	while ((pa = palloc_alloc(1, PAGE_SIZE)) != 0)
		count++;
	assert_int_equal(count, 0x9f - 1); /* every page of [0, 0x9f000) but page 0 */
	assert_int_equal(palloc_free_bytes(), PAGE_SIZE);
}

static void test_aligned_run_in_memory_starting_at_zero(void **state)
{
	static const struct mem_region map[] = { { 0, MiB(4), MB2_MEM_AVAILABLE } };

	(void)state;
	palloc_init(map, ARRAY_SIZE(map), NULL, 0, GiB(4));
	assert_int_equal(palloc_alloc(512, MiB(2)), MiB(2));
	assert_int_equal(palloc_alloc(512, MiB(2)), 0);
}

static void test_available_entry_near_top_of_address_space_is_ignored(void **state)
{
	static const struct mem_region map[] = {
		{ MiB(1), MiB(3), MB2_MEM_AVAILABLE },
		{ 0xfffffffffffff800ull, 0x100, MB2_MEM_AVAILABLE }, /* page-aligns up to 2^64 */
		{ GiB(1), UINT64_MAX, MB2_MEM_AVAILABLE },            /* end wraps */
	};

	(void)state;
	palloc_init(map, ARRAY_SIZE(map), NULL, 0, GiB(512));
	assert_int_equal(palloc_free_bytes(), MiB(3));
	assert_int_equal(palloc_largest_run(), MiB(3));
}

static void test_reserved_entry_running_to_top_of_address_space_is_cut(void **state)
{
	static const struct mem_region map[] = {
		{ MiB(1), MiB(63), MB2_MEM_AVAILABLE },
		{ MiB(32), 0 - MiB(32), MB2_MEM_RESERVED }, /* [32M, 2^64) */
	};

	(void)state;
	palloc_init(map, ARRAY_SIZE(map), NULL, 0, GiB(4));
	assert_int_equal(palloc_free_bytes(), MiB(31));
}

static void test_reserved_range_ending_in_last_page_is_cut(void **state)
{
	static const struct mem_region map[] = { { MiB(1), MiB(63), MB2_MEM_AVAILABLE } };
	static const struct phys_range reserved[] = { { MiB(48), UINT64_MAX } };

	(void)state;
	palloc_init(map, ARRAY_SIZE(map), reserved, ARRAY_SIZE(reserved), GiB(4));
	assert_int_equal(palloc_free_bytes(), MiB(47));
}

static void test_reinit_forgets_previous_state(void **state)
{
	(void)state;
	init_qemu();
	while (palloc_alloc(1, PAGE_SIZE))
		;
	init_qemu();
	assert_int_equal(palloc_free_bytes(), qemu_free_total());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_counts_exactly_the_free_pages),
		cmocka_unit_test(test_page_by_page_never_returns_reserved_or_unavailable),
		cmocka_unit_test(test_alloc_is_first_fit_and_updates_bookkeeping),
		cmocka_unit_test(test_aligned_runs_are_aligned_and_free),
		cmocka_unit_test(test_large_alignment_skips_unaligned_runs),
		cmocka_unit_test(test_free_merges_neighbours_into_one_run),
		cmocka_unit_test(test_free_bridging_two_runs_merges_all_three),
		cmocka_unit_test(test_freed_pages_are_reused),
		cmocka_unit_test(test_reserved_entry_overlapping_available_wins),
		cmocka_unit_test(test_overlapping_available_entries_count_once),
		cmocka_unit_test(test_unaligned_available_entry_shrinks_to_whole_pages),
		cmocka_unit_test(test_limit_clips_available_memory),
		cmocka_unit_test(test_unaligned_limit_leaves_no_partial_page),
		cmocka_unit_test(test_limit_below_all_memory_leaves_nothing),
		cmocka_unit_test(test_zero_pages_or_bad_alignment_returns_zero),
		cmocka_unit_test(test_impossibly_many_pages_returns_zero),
		cmocka_unit_test(test_address_zero_is_never_returned),
		cmocka_unit_test(test_aligned_run_in_memory_starting_at_zero),
		cmocka_unit_test(test_available_entry_near_top_of_address_space_is_ignored),
		cmocka_unit_test(test_reserved_entry_running_to_top_of_address_space_is_cut),
		cmocka_unit_test(test_reserved_range_ending_in_last_page_is_cut),
		cmocka_unit_test(test_reinit_forgets_previous_state),
	};

	return cmocka_run_group_tests_name("palloc", tests, NULL, NULL);
}
