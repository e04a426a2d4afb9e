/*
 * The Multiboot2 boot-information parser (Multiboot2 specification,
 * section 3.6 "Boot information format"): hand-built structures with the
 * command line, boot loader name, memory map (3.6.8) and module (3.6.6)
 * tags, module lookup by first word, and broken structures — too short,
 * overrunning or undersized tags, no end tag, unterminated strings, bad
 * modules, too many modules or map entries, bad entry sizes, misaligned
 * pointers.  Every structure is copied into an allocation that ends where
 * the structure ends, so ASan reports any read beyond total_size.
 */
#define _DEFAULT_SOURCE /* mmap's MAP_ANONYMOUS, MAP_NORESERVE */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "multiboot2.h"

#define MBI_PHYS 0x10000ull /* where the "boot loader" put the structure */

/* A boot-information structure under construction. */
struct mbi {
	uint8_t buf[8192];
	uint32_t len;
};

static void put32(struct mbi *m, uint32_t off, uint32_t v)
{
	memcpy(m->buf + off, &v, 4);
}

static void put64(struct mbi *m, uint32_t off, uint64_t v)
{
	memcpy(m->buf + off, &v, 8);
}

static void mbi_begin(struct mbi *m)
{
	memset(m, 0, sizeof(*m));
	m->len = 8; /* total_size, reserved */
}

/* Append a tag with the given size field and payload; the next tag starts
 * at the following 8-byte boundary (spec 3.6.1). */
static void add_tag_sized(struct mbi *m, uint32_t type, uint32_t size, const void *payload,
			  uint32_t payload_len)
{
	put32(m, m->len, type);
	put32(m, m->len + 4, size);
	if (payload_len)
		memcpy(m->buf + m->len + 8, payload, payload_len);
	m->len += (uint32_t)((8 + payload_len + 7) & ~7u);
}

static void add_tag(struct mbi *m, uint32_t type, const void *payload, uint32_t payload_len)
{
	add_tag_sized(m, type, 8 + payload_len, payload, payload_len);
}

static void add_string(struct mbi *m, uint32_t type, const char *s)
{
	add_tag(m, type, s, (uint32_t)strlen(s) + 1);
}

static void add_module(struct mbi *m, uint32_t start, uint32_t end, const char *cmdline)
{
	uint8_t payload[256];
	uint32_t n = (uint32_t)strlen(cmdline) + 1;

	memcpy(payload, &start, 4);
	memcpy(payload + 4, &end, 4);
	memcpy(payload + 8, cmdline, n);
	add_tag(m, MB2_TAG_MODULE, payload, 8 + n);
}

struct mmap_entry {
	uint64_t base, len;
	uint32_t type;
};

/* A memory map tag whose entries are entry_size bytes apart. */
static void add_mmap(struct mbi *m, uint32_t entry_size, const struct mmap_entry *e, unsigned n)
{
	uint32_t tag = m->len;
	uint32_t size = 16 + entry_size * n;

	put32(m, tag, MB2_TAG_MMAP);
	put32(m, tag + 4, size);
	put32(m, tag + 8, entry_size);
	put32(m, tag + 12, 0); /* entry_version */
	for (unsigned i = 0; i < n; i++) {
		uint32_t at = tag + 16 + i * entry_size;

		put64(m, at, e[i].base);
		put64(m, at + 8, e[i].len);
		put32(m, at + 16, e[i].type);
	}
	m->len += (size + 7) & ~7u;
}

static void add_end(struct mbi *m)
{
	add_tag(m, MB2_TAG_END, NULL, 0);
}

/* Copy the structure with total_size = total into an 8-aligned allocation
 * of ALIGN_UP(total, 8) bytes, at least the 8-byte fixed part (the caller
 * frees it). */
static void *mbi_place_total(struct mbi *m, uint32_t total)
{
	size_t bytes = ALIGN_UP(total, 8);
	uint8_t *p;

	if (bytes < 8)
		bytes = 8;
	put32(m, 0, total);
	p = aligned_alloc(8, bytes);
	assert_non_null(p);
	memcpy(p, m->buf, bytes);
	return p;
}

static void *mbi_place(struct mbi *m)
{
	return mbi_place_total(m, m->len);
}

/* The last structure parse() placed: bi's strings point into it, so it
 * lives until the next parse() or the end of the group. */
static void *placed;

static int free_placed(void **state)
{
	(void)state;
	free(placed);
	placed = NULL;
	return 0;
}

/* Parse m as built and return the error (NULL on success). */
static const char *parse(struct mbi *m, struct boot_info *bi)
{
	free_placed(NULL);
	placed = mbi_place(m);
	return mb2_parse(placed, MBI_PHYS, bi);
}

static void test_full_structure_parses(void **state)
{
	static const struct mmap_entry map[] = {
		{ 0, 0x9fc00, MB2_MEM_AVAILABLE },
		{ 0x9fc00, 0x400, 2 },
		{ 0xe0000, 0, 2 }, /* zero length: skipped */
		{ 0x100000, 0x1fee0000, MB2_MEM_AVAILABLE },
		{ 0xfffc0000, 0x40000, 2 },
	};
	struct boot_info bi;
	struct mbi m;
	uint8_t *p;

	(void)state;
	mbi_begin(&m);
	add_string(&m, MB2_TAG_CMDLINE, "mem=64M boot=flat");
	add_string(&m, MB2_TAG_BOOTLOADER, "GRUB 2.06");
	add_mmap(&m, 24, map, 5);
	add_module(&m, 0x200000, 0x201000, "guest hello.bin");
	add_module(&m, 0x300000, 0x340000, "bios");
	add_end(&m);
	p = mbi_place(&m);

	assert_null(mb2_parse(p, MBI_PHYS, &bi));
	assert_string_equal(bi.cmdline, "mem=64M boot=flat");
	assert_string_equal(bi.loader, "GRUB 2.06");
	/* the strings point into the structure, not at copies */
	assert_true((const uint8_t *)bi.cmdline > p && (const uint8_t *)bi.cmdline < p + m.len);

	assert_int_equal(bi.n_mmap, 4);
	assert_int_equal(bi.mmap[0].base, 0);
	assert_int_equal(bi.mmap[0].len, 0x9fc00);
	assert_int_equal(bi.mmap[0].type, MB2_MEM_AVAILABLE);
	assert_int_equal(bi.mmap[1].base, 0x9fc00);
	assert_int_equal(bi.mmap[1].type, 2);
	assert_int_equal(bi.mmap[2].base, 0x100000);
	assert_int_equal(bi.mmap[2].len, 0x1fee0000);
	assert_int_equal(bi.mmap[3].base, 0xfffc0000);
	assert_int_equal(bi.mmap[3].len, 0x40000);

	assert_int_equal(bi.n_mods, 2);
	assert_int_equal(bi.mods[0].start, 0x200000);
	assert_int_equal(bi.mods[0].end, 0x201000);
	assert_string_equal(bi.mods[0].cmdline, "guest hello.bin");
	assert_int_equal(bi.mods[1].start, 0x300000);
	assert_int_equal(bi.mods[1].end, 0x340000);
	assert_string_equal(bi.mods[1].cmdline, "bios");

	assert_int_equal(bi.info_start, MBI_PHYS);
	assert_int_equal(bi.info_end, MBI_PHYS + m.len);
	free(p);
}

static void test_minimal_structure_gives_empty_strings(void **state)
{
	struct boot_info bi;
	struct mbi m;

	(void)state;
	mbi_begin(&m);
	add_end(&m);
	assert_null(parse(&m, &bi));
	assert_string_equal(bi.cmdline, "");
	assert_string_equal(bi.loader, "");
	assert_int_equal(bi.n_mmap, 0);
	assert_int_equal(bi.n_mods, 0);
}

static void test_unknown_tags_are_skipped(void **state)
{
	static const uint8_t meminfo[8] = { 0x80, 0x02, 0, 0, 0, 0xfc, 0x07, 0 };
	static const uint8_t odd[5] = { 1, 2, 3, 4, 5 }; /* size 13: next tag padded */
	struct boot_info bi;
	struct mbi m;

	(void)state;
	mbi_begin(&m);
	add_tag(&m, 4, meminfo, sizeof(meminfo)); /* basic memory information */
	add_tag(&m, 99, odd, sizeof(odd));
	add_string(&m, MB2_TAG_CMDLINE, "console=com2");
	add_end(&m);
	assert_null(parse(&m, &bi));
	assert_string_equal(bi.cmdline, "console=com2");
}

static void test_parsing_stops_at_end_tag(void **state)
{
	struct boot_info bi;
	struct mbi m;

	(void)state;
	mbi_begin(&m);
	add_string(&m, MB2_TAG_CMDLINE, "first");
	add_end(&m);
	add_string(&m, MB2_TAG_CMDLINE, "after the end");
	assert_null(parse(&m, &bi));
	assert_string_equal(bi.cmdline, "first");
}

static void test_mmap_larger_entry_size_is_honoured(void **state)
{
	static const struct mmap_entry map[] = {
		{ 0x1000, 0x2000, MB2_MEM_AVAILABLE },
		{ 0x100000, 0x100000, MB2_MEM_ACPI },
	};
	struct boot_info bi;
	struct mbi m;

	(void)state;
	mbi_begin(&m);
	add_mmap(&m, 32, map, 2); /* a future, longer entry format */
	add_end(&m);
	assert_null(parse(&m, &bi));
	assert_int_equal(bi.n_mmap, 2);
	assert_int_equal(bi.mmap[1].base, 0x100000);
	assert_int_equal(bi.mmap[1].len, 0x100000);
	assert_int_equal(bi.mmap[1].type, MB2_MEM_ACPI);
}

static void test_mmap_partial_trailing_entry_is_ignored(void **state)
{
	static const struct mmap_entry map[] = { { 0x1000, 0x2000, MB2_MEM_AVAILABLE } };
	struct boot_info bi;
	struct mbi m;
	uint32_t tag;

	(void)state;
	mbi_begin(&m);
	tag = m.len;
	add_mmap(&m, 24, map, 1);
	put32(&m, tag + 4, 16 + 24 + 16); /* claims 16 more bytes: not a whole entry */
	put64(&m, tag + 16 + 24, 0xdead000);
	put64(&m, tag + 16 + 32, 0x1000);
	m.len = tag + 16 + 24 + 16;
	add_end(&m);
	assert_null(parse(&m, &bi));
	assert_int_equal(bi.n_mmap, 1);
	assert_int_equal(bi.mmap[0].base, 0x1000);
}

static void test_mmap_64_entries_fit_with_zero_length_ones(void **state)
{
	struct mmap_entry map[BOOT_MAX_MMAP + 3];
	struct boot_info bi;
	struct mbi m;

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(map); i++)
		map[i] = (struct mmap_entry){ i * 0x10000ull, i % 23 == 5 ? 0 : 0x1000,
					      MB2_MEM_AVAILABLE };
	mbi_begin(&m);
	add_mmap(&m, 24, map, ARRAY_SIZE(map)); /* 3 of them are empty */
	add_end(&m);
	assert_null(parse(&m, &bi));
	assert_int_equal(bi.n_mmap, BOOT_MAX_MMAP);
	assert_int_equal(bi.mmap[5].base, 6 * 0x10000ull);
}

static void test_mmap_65_entries_rejected(void **state)
{
	struct mmap_entry map[BOOT_MAX_MMAP + 1];
	struct boot_info bi;
	struct mbi m;

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(map); i++)
		map[i] = (struct mmap_entry){ i * 0x10000ull, 0x1000, MB2_MEM_AVAILABLE };
	mbi_begin(&m);
	add_mmap(&m, 24, map, ARRAY_SIZE(map));
	add_end(&m);
	assert_string_equal(parse(&m, &bi), "memory map has too many entries");
}

static void test_mmap_entry_size_not_multiple_of_8_rejected(void **state)
{
	static const struct mmap_entry map[] = { { 0x1000, 0x2000, MB2_MEM_AVAILABLE } };
	struct boot_info bi;
	struct mbi m;

	(void)state;
	mbi_begin(&m);
	add_mmap(&m, 28, map, 1);
	add_end(&m);
	assert_string_equal(parse(&m, &bi), "memory map entry size is invalid");
}

static void test_mmap_entry_size_too_small_rejected(void **state)
{
	static const struct mmap_entry none[1];
	static const uint32_t sizes[] = { 0, 8, 16 };
	struct boot_info bi;
	struct mbi m;

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++) {
		mbi_begin(&m);
		add_mmap(&m, sizes[i], none, 1);
		add_end(&m);
		assert_string_equal(parse(&m, &bi), "memory map entry size is invalid");
	}
}

static void test_mmap_tag_without_header_rejected(void **state)
{
	static const uint8_t entry_size_only[4] = { 24, 0, 0, 0 };
	struct boot_info bi;
	struct mbi m;

	(void)state;
	mbi_begin(&m);
	add_tag(&m, MB2_TAG_MMAP, entry_size_only, sizeof(entry_size_only));
	add_end(&m);
	assert_string_equal(parse(&m, &bi), "memory map tag is too short");
}

static void test_too_short_total_rejected(void **state)
{
	static const uint32_t totals[] = { 0, 8, 15 };
	struct boot_info bi;
	struct mbi m;

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(totals); i++) {
		void *p;

		mbi_begin(&m);
		p = mbi_place_total(&m, totals[i]);
		assert_string_equal(mb2_parse(p, MBI_PHYS, &bi), "boot information is too short");
		free(p);
	}
}

static void test_tag_overrunning_total_rejected(void **state)
{
	struct boot_info bi;
	struct mbi m;

	(void)state;
	mbi_begin(&m);
	add_string(&m, MB2_TAG_CMDLINE, "mem=64M");
	put32(&m, 8 + 4, 8 + 8 + 1); /* one byte more than the structure holds */
	assert_string_equal(parse(&m, &bi), "a boot information tag overruns the structure");
}

static void test_tag_size_below_header_rejected(void **state)
{
	static const uint32_t sizes[] = { 0, 4, 7 };
	struct boot_info bi;
	struct mbi m;

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++) {
		mbi_begin(&m);
		add_tag_sized(&m, 99, sizes[i], NULL, 0);
		add_end(&m);
		assert_string_equal(parse(&m, &bi), "a boot information tag overruns the structure");
	}
}

static void test_missing_end_tag_rejected(void **state)
{
	struct boot_info bi;
	struct mbi m;

	(void)state;
	mbi_begin(&m);
	add_string(&m, MB2_TAG_CMDLINE, "mem=64M");
	assert_string_equal(parse(&m, &bi), "boot information has no end tag");
}

static void test_last_tag_padding_past_total_means_no_end_tag(void **state)
{
	static const uint8_t payload[4] = { 1, 2, 3, 4 };
	struct boot_info bi;
	struct mbi m;
	void *p;

	(void)state;
	mbi_begin(&m);
	add_tag(&m, 99, payload, sizeof(payload)); /* size 12 */
	p = mbi_place_total(&m, 8 + 12);          /* total ends inside the padding */
	assert_string_equal(mb2_parse(p, MBI_PHYS, &bi), "boot information has no end tag");
	free(p);
}

static void test_unterminated_cmdline_rejected(void **state)
{
	struct boot_info bi;
	struct mbi m;

	(void)state;
	mbi_begin(&m);
	add_tag(&m, MB2_TAG_CMDLINE, "mem=256M", 8); /* no NUL; the structure ends here */
	assert_string_equal(parse(&m, &bi), "command line is not terminated");
}

static void test_empty_cmdline_tag_rejected(void **state)
{
	struct boot_info bi;
	struct mbi m;

	(void)state;
	mbi_begin(&m);
	add_tag(&m, MB2_TAG_CMDLINE, NULL, 0);
	add_end(&m);
	assert_string_equal(parse(&m, &bi), "command line is not terminated");
}

static void test_unterminated_loader_name_rejected(void **state)
{
	struct boot_info bi;
	struct mbi m;

	(void)state;
	mbi_begin(&m);
	add_tag(&m, MB2_TAG_BOOTLOADER, "GRUB 2.x", 8);
	assert_string_equal(parse(&m, &bi), "boot loader name is not terminated");
}

static void test_unterminated_module_string_rejected(void **state)
{
	uint8_t payload[16] = { 0 };
	struct boot_info bi;
	struct mbi m;

	(void)state;
	payload[5] = 0x10; /* end = 0x1000 */
	memcpy(payload + 8, "guestxyz", 8);
	mbi_begin(&m);
	add_tag(&m, MB2_TAG_MODULE, payload, sizeof(payload));
	assert_string_equal(parse(&m, &bi), "module command line is not terminated");
}

static void test_module_without_string_rejected(void **state)
{
	uint8_t payload[8] = { 0 };
	struct boot_info bi;
	struct mbi m;

	(void)state;
	mbi_begin(&m);
	add_tag(&m, MB2_TAG_MODULE, payload, sizeof(payload));
	add_end(&m);
	assert_string_equal(parse(&m, &bi), "module tag is too short");
}

static void test_module_ending_before_start_rejected(void **state)
{
	struct boot_info bi;
	struct mbi m;

	(void)state;
	mbi_begin(&m);
	add_module(&m, 0x200000, 0x1fffff, "guest");
	add_end(&m);
	assert_string_equal(parse(&m, &bi), "module ends before it starts");
}

static void test_empty_module_accepted(void **state)
{
	struct boot_info bi;
	struct mbi m;

	(void)state;
	mbi_begin(&m);
	add_module(&m, 0x200000, 0x200000, "");
	add_end(&m);
	assert_null(parse(&m, &bi));
	assert_int_equal(bi.n_mods, 1);
	assert_int_equal(bi.mods[0].end - bi.mods[0].start, 0);
	assert_string_equal(bi.mods[0].cmdline, "");
}

static void test_16_modules_fit_17th_rejected(void **state)
{
	struct boot_info bi;
	struct mbi m;

	(void)state;
	mbi_begin(&m);
	for (uint32_t i = 0; i < BOOT_MAX_MODULES; i++)
		add_module(&m, 0x200000 + i * 0x1000, 0x201000 + i * 0x1000, "guest");
	add_end(&m);
	assert_null(parse(&m, &bi));
	assert_int_equal(bi.n_mods, BOOT_MAX_MODULES);
	assert_int_equal(bi.mods[15].start, 0x200000 + 15 * 0x1000);

	mbi_begin(&m);
	for (uint32_t i = 0; i <= BOOT_MAX_MODULES; i++)
		add_module(&m, 0x200000 + i * 0x1000, 0x201000 + i * 0x1000, "guest");
	add_end(&m);
	assert_string_equal(parse(&m, &bi), "too many modules (at most 16)");
}

static void test_null_or_misaligned_pointer_rejected(void **state)
{
	struct boot_info bi;
	struct mbi m;
	uint8_t *p;

	(void)state;
	assert_string_equal(mb2_parse(NULL, 0, &bi), "boot information is missing or misaligned");
	assert_string_equal(bi.cmdline, "");

	mbi_begin(&m);
	add_end(&m);
	put32(&m, 0, m.len);
	p = aligned_alloc(8, m.len + 8);
	memcpy(p + 4, m.buf, m.len);
	assert_string_equal(mb2_parse(p + 4, MBI_PHYS, &bi),
			    "boot information is missing or misaligned");
	free(p);
}

/* A tag as long as a 4 GiB structure allows must end the walk, not wrap
 * the offset back to the start of the structure. */
static void test_huge_tag_does_not_wrap_offset(void **state)
{
	size_t span = (size_t)1 << 32;
	long page = sysconf(_SC_PAGESIZE);
	uint32_t *p;
	struct boot_info bi;

	(void)state;
	/* 4 GiB of address space; only the first page is accessible */
	p = mmap(NULL, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	assert_true(p != MAP_FAILED);
	assert_int_equal(mprotect(p, (size_t)page, PROT_READ | PROT_WRITE), 0);
	p[0] = 0xffffffffu; /* total_size */
	p[1] = 0;           /* reserved: a tag of size 0 if the walk wraps to offset 0 */
	p[2] = 99;          /* an unknown tag ... */
	p[3] = 0xfffffff7u; /* ... filling the rest of the structure */
	assert_string_equal(mb2_parse(p, MBI_PHYS, &bi), "boot information has no end tag");
	munmap(p, span);
}

static const struct boot_info *modules(void)
{
	static struct boot_info bi;
	static const char *const lines[] = {
		"biosx old.rom", "  guest flat.bin arg", "bios", "bios seabios.bin",
	};

	memset(&bi, 0, sizeof(bi));
	for (unsigned i = 0; i < ARRAY_SIZE(lines); i++)
		bi.mods[bi.n_mods++] = (struct boot_module){ i * 0x1000, i * 0x1000 + 1, lines[i] };
	return &bi;
}

static void test_find_module_needs_whole_first_word(void **state)
{
	const struct boot_info *bi = modules();

	(void)state;
	/* "biosx" comes first but is not "bios" */
	assert_ptr_equal(boot_find_module(bi, "bios"), &bi->mods[2]);
	assert_null(boot_find_module(bi, "bio"));
	assert_ptr_equal(boot_find_module(bi, "biosx"), &bi->mods[0]);
}

static void test_find_module_skips_leading_spaces_and_ignores_arguments(void **state)
{
	const struct boot_info *bi = modules();

	(void)state;
	assert_ptr_equal(boot_find_module(bi, "guest"), &bi->mods[1]);
	assert_null(boot_find_module(bi, "flat.bin"));
	assert_null(boot_find_module(bi, "guest flat.bin arg x"));
}

static void test_find_module_in_empty_list(void **state)
{
	struct boot_info bi;

	(void)state;
	memset(&bi, 0, sizeof(bi));
	assert_null(boot_find_module(&bi, "guest"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_structure_parses),
		cmocka_unit_test(test_minimal_structure_gives_empty_strings),
		cmocka_unit_test(test_unknown_tags_are_skipped),
		cmocka_unit_test(test_parsing_stops_at_end_tag),
		cmocka_unit_test(test_mmap_larger_entry_size_is_honoured),
		cmocka_unit_test(test_mmap_partial_trailing_entry_is_ignored),
		cmocka_unit_test(test_mmap_64_entries_fit_with_zero_length_ones),
		cmocka_unit_test(test_mmap_65_entries_rejected),
		cmocka_unit_test(test_mmap_entry_size_not_multiple_of_8_rejected),
		cmocka_unit_test(test_mmap_entry_size_too_small_rejected),
		cmocka_unit_test(test_mmap_tag_without_header_rejected),
		cmocka_unit_test(test_too_short_total_rejected),
		cmocka_unit_test(test_tag_overrunning_total_rejected),
		cmocka_unit_test(test_tag_size_below_header_rejected),
		cmocka_unit_test(test_missing_end_tag_rejected),
		cmocka_unit_test(test_last_tag_padding_past_total_means_no_end_tag),
		cmocka_unit_test(test_unterminated_cmdline_rejected),
		cmocka_unit_test(test_empty_cmdline_tag_rejected),
		cmocka_unit_test(test_unterminated_loader_name_rejected),
		cmocka_unit_test(test_unterminated_module_string_rejected),
		cmocka_unit_test(test_module_without_string_rejected),
		cmocka_unit_test(test_module_ending_before_start_rejected),
		cmocka_unit_test(test_empty_module_accepted),
		cmocka_unit_test(test_16_modules_fit_17th_rejected),
		cmocka_unit_test(test_null_or_misaligned_pointer_rejected),
		cmocka_unit_test(test_huge_tag_does_not_wrap_offset),
		cmocka_unit_test(test_find_module_needs_whole_first_word),
		cmocka_unit_test(test_find_module_skips_leading_spaces_and_ignores_arguments),
		cmocka_unit_test(test_find_module_in_empty_list),
	};

	return cmocka_run_group_tests_name("multiboot2", tests, NULL, free_placed);
}
