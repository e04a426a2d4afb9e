/*
 * The Multiboot v1 guest loader (Multiboot Specification 0.6.96): the
 * header search (3.1.1), ELF32 loading by p_paddr with bss zeroing and the
 * entry point moved from virtual to physical, the a.out kludge (3.1.3),
 * modules page-aligned above the kernel, the multiboot_info (3.3), and the
 * hostile images it must refuse without writing outside guest RAM.  Images
 * and guest RAM are exact-size heap blocks, so ASan reports any stray access.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "multiboot_guest.h"

#define RAM_SIZE (4u << 20)
#define SEG_OFF 0x100 /* where make_elf puts the segment's bytes */

static uint8_t *ram;

static void put32(uint8_t *p, size_t off, uint32_t v) { memcpy(p + off, &v, 4); }
static void put16(uint8_t *p, size_t off, uint16_t v) { memcpy(p + off, &v, 2); }
static uint32_t get32(size_t gpa) { uint32_t v; memcpy(&v, ram + gpa, 4); return v; }
static uint64_t get64(size_t gpa) { uint64_t v; memcpy(&v, ram + gpa, 8); return v; }

static int setup(void **state)
{
	(void)state;
	ram = malloc(RAM_SIZE);
	memset(ram, 0xaa, RAM_SIZE);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(ram);
	return 0;
}

/* magic, flags, checksum (3.1.2) */
static void put_header(uint8_t *p, uint32_t flags)
{
	put32(p, 0, MBG_HEADER_MAGIC);
	put32(p, 4, flags);
	put32(p, 8, 0u - (MBG_HEADER_MAGIC + flags));
}

/* An ELF32 executable with one PT_LOAD segment and the header after the
 * program header; returns its length. */
static size_t make_elf(uint8_t *b, uint32_t vaddr, uint32_t paddr, uint32_t filesz,
		       uint32_t memsz, uint32_t entry)
{
	memset(b, 0, SEG_OFF + filesz);
	memcpy(b, "\177ELF", 4);
	b[4] = 1; /* ELFCLASS32 */
	b[5] = 1; /* little-endian */
	b[6] = 1;
	put16(b, 16, 2);  /* ET_EXEC */
	put16(b, 18, 3);  /* EM_386 */
	put32(b, 24, entry);
	put32(b, 28, 52); /* e_phoff */
	put16(b, 42, 32); /* e_phentsize */
	put16(b, 44, 1);  /* e_phnum */
	put32(b, 52, 1);  /* PT_LOAD */
	put32(b, 56, SEG_OFF);
	put32(b, 60, vaddr);
	put32(b, 64, paddr);
	put32(b, 68, filesz);
	put32(b, 72, memsz);
	put_header(b + 84, 0x3);
	for (uint32_t i = 0; i < filesz; i++)
		b[SEG_OFF + i] = (uint8_t)(i ^ 0x5a);
	return SEG_OFF + filesz;
}

/* A flat image whose header (at offset 0) carries the a.out-kludge
 * addresses: loaded at 1 MiB, the file, then bss up to bss_end. */
static size_t make_aout(uint8_t *b, size_t len, uint32_t load_end, uint32_t bss_end,
			uint32_t entry)
{
	memset(b, 0, len);
	put_header(b, 0x00010003);
	put32(b, 12, 0x100000); /* header_addr */
	put32(b, 16, 0x100000); /* load_addr */
	put32(b, 20, load_end);
	put32(b, 24, bss_end);
	put32(b, 28, entry);
	for (size_t i = 32; i < len; i++)
		b[i] = (uint8_t)i;
	return len;
}

/* Load from an exact-size copy of the image. */
static const char *load(const uint8_t *b, size_t len, const char *cmdline,
			const struct mbg_image *mods, unsigned n_mods, struct mbg_entry *e)
{
	uint8_t *copy = malloc(len);
	struct mbg_image k = { copy, len, cmdline };
	const char *why;

	memcpy(copy, b, len);
	why = mbg_load(ram, RAM_SIZE, &k, mods, n_mods, e);
	free(copy);
	return why;
}

static void assert_refused(const uint8_t *b, size_t len, const char *what)
{
	struct mbg_entry e;
	const char *why = load(b, len, "kernel", NULL, 0, &e);

	assert_non_null(why);
	if (!strstr(why, what))
		fail_msg("refusal '%s' does not say '%s'", why, what);
}

static void test_header_search(void **state)
{
	uint8_t b[MBG_SEARCH_LIMIT + 64];

	(void)state;
	memset(b, 0, sizeof(b));
	put_header(b + 0x40, 0);
	assert_int_equal(mbg_find_header(b, sizeof(b)), 0x40);
	memset(b, 0, sizeof(b));
	put_header(b + 0x42, 0); /* not 32-bit aligned */
	assert_int_equal(mbg_find_header(b, sizeof(b)), -1);
	memset(b, 0, sizeof(b));
	put_header(b + 0x40, 0);
	put32(b, 0x48, 1); /* checksum off by one */
	assert_int_equal(mbg_find_header(b, sizeof(b)), -1);
	memset(b, 0, sizeof(b));
	put_header(b + MBG_SEARCH_LIMIT, 0); /* past the first 8 KiB */
	assert_int_equal(mbg_find_header(b, sizeof(b)), -1);
	put_header(b + MBG_SEARCH_LIMIT - 12, 0); /* the last place it may be */
	assert_int_equal(mbg_find_header(b, sizeof(b)), MBG_SEARCH_LIMIT - 12);
	assert_int_equal(mbg_find_header(b + 0x40, 8), -1); /* image shorter than a header */
}

static void test_elf32_paddr_bss_entry(void **state)
{
	static uint8_t b[SEG_OFF + 0x300];
	size_t len = make_elf(b, 0xc0200000, 0x200000, 0x300, 0x3000, 0xc0200010);
	struct mbg_entry e;

	(void)state;
	assert_null(load(b, len, "kernel a=1 b", NULL, 0, &e));
	assert_int_equal(e.eip, 0x200010);
	assert_int_equal(e.info, MBG_INFO_GPA);
	assert_memory_equal(ram + 0x200000, b + SEG_OFF, 0x300);
	for (size_t i = 0x200300; i < 0x203000; i++)
		assert_int_equal(ram[i], 0);
	assert_int_equal(ram[0x203000], 0xaa); /* nothing past p_memsz */
	assert_int_equal(ram[0x1fffff], 0xaa);
}

static void test_info(void **state)
{
	static uint8_t b[SEG_OFF + 0x100];
	size_t len = make_elf(b, 0x100000, 0x100000, 0x100, 0x100, 0x100000);
	struct mbg_entry e;
	uint32_t flags, mmap;

	(void)state;
	assert_null(load(b, len, "kernel console=ttyS0", NULL, 0, &e));
	flags = get32(e.info);
	assert_true(flags & 0x001); /* mem_lower, mem_upper */
	assert_true(flags & 0x004); /* cmdline */
	assert_true(flags & 0x040); /* mmap */
	assert_true(flags & 0x200); /* boot_loader_name */
	assert_int_equal(get32(e.info + 4), 639);
	assert_int_equal(get32(e.info + 8), (RAM_SIZE >> 10) - 1024);
	assert_string_equal((char *)ram + get32(e.info + 16), "kernel console=ttyS0");
	assert_string_equal((char *)ram + get32(e.info + 64), "lamina");
	assert_int_equal(get32(e.info + 20), 0); /* no modules */
	assert_int_equal(get32(e.info + 44), 4 * 24);
	mmap = get32(e.info + 48);
	assert_true(mmap >= MBG_AREA_START && mmap < MBG_AREA_END);
	/* each entry: size 20, base, length, type */
	assert_int_equal(get32(mmap), 20);
	assert_int_equal(get64(mmap + 4), 0);
	assert_int_equal(get64(mmap + 12), 0x9fc00);
	assert_int_equal(get32(mmap + 20), 1);
	assert_int_equal(get32(mmap + 24 + 20), 2);
	assert_int_equal(get64(mmap + 72 + 4), 0x100000);
	assert_int_equal(get64(mmap + 72 + 12), RAM_SIZE - 0x100000);
	assert_int_equal(get32(mmap + 72 + 20), 1);
}

static void test_modules_page_aligned(void **state)
{
	static uint8_t b[SEG_OFF + 0x123];
	size_t len = make_elf(b, 0x100000, 0x100000, 0x123, 0x123, 0x100000);
	const uint8_t one[] = "first module", two[] = { 1, 2, 3 };
	const struct mbg_image mods[] = { { one, sizeof(one), "mbmod one" },
					  { two, sizeof(two), "mbmod two x" } };
	struct mbg_entry e;
	uint32_t list;

	(void)state;
	assert_null(load(b, len, "kernel", mods, 2, &e));
	assert_true(get32(e.info) & 0x008);
	assert_int_equal(get32(e.info + 20), 2);
	list = get32(e.info + 24);
	assert_int_equal(get32(list), 0x101000);
	assert_int_equal(get32(list + 4), 0x101000 + sizeof(one));
	assert_string_equal((char *)ram + get32(list + 8), "mbmod one");
	assert_memory_equal(ram + 0x101000, one, sizeof(one));
	assert_int_equal(get32(list + 16), 0x102000);
	assert_int_equal(get32(list + 20), 0x102003);
	assert_string_equal((char *)ram + get32(list + 24), "mbmod two x");
	assert_memory_equal(ram + 0x102000, two, sizeof(two));
}

static void test_aout_kludge(void **state)
{
	static uint8_t b[0x400];
	struct mbg_entry e;

	(void)state;
	make_aout(b, sizeof(b), 0, 0x100000 + 0x2000, 0x100020);
	assert_null(load(b, sizeof(b), "kernel", NULL, 0, &e));
	assert_int_equal(e.eip, 0x100020);
	assert_memory_equal(ram + 0x100000, b, sizeof(b));
	for (size_t i = 0x100400; i < 0x102000; i++)
		assert_int_equal(ram[i], 0);
	assert_int_equal(ram[0x102000], 0xaa);
	/* load_end_addr short of the file: only that much is loaded */
	memset(ram, 0xaa, RAM_SIZE);
	make_aout(b, sizeof(b), 0x100100, 0, 0x100020);
	assert_null(load(b, sizeof(b), "kernel", NULL, 0, &e));
	assert_memory_equal(ram + 0x100000, b, 0x100);
	assert_int_equal(ram[0x100100], 0xaa);
}

static void test_refuses_bad_elf(void **state)
{
	static uint8_t b[SEG_OFF + 0x2000];
	size_t len;

	(void)state;
	len = make_elf(b, 0x3ff000, 0x3ff000, 0x100, 0x2000, 0x3ff000); /* past RAM's end */
	assert_refused(b, len, "lies outside guest RAM");
	len = make_elf(b, 0xfffff000, 0xfffff000, 0x100, 0x2000, 0xfffff000); /* wraps */
	assert_refused(b, len, "lies outside guest RAM");
	len = make_elf(b, 0xa0000, 0xa0000, 0x100, 0x100, 0xa0000); /* VGA hole */
	assert_refused(b, len, "lies outside guest RAM");
	len = make_elf(b, 0x9f000, 0x9f000, 0x100, 0x1000, 0x9f000); /* into the EBDA */
	assert_refused(b, len, "lies outside guest RAM");
	len = make_elf(b, 0x8000, 0x8000, 0x100, 0x100, 0x8000); /* over the info */
	assert_refused(b, len, "overlaps lamina's boot information");
	len = make_elf(b, 0, 0, 0x100, 0x100, 0);
	assert_refused(b, len, "overlaps lamina's boot information");
	len = make_elf(b, 0x100000, 0x100000, 0x200, 0x100, 0x100000);
	assert_refused(b, len, "p_filesz exceeds its p_memsz");
	len = make_elf(b, 0x100000, 0x100000, 0x100, 0x100, 0x100000);
	put32(b, 56, 0x7fffffff); /* p_offset far past the file */
	assert_refused(b, len, "run past the end of the image");
	len = make_elf(b, 0x100000, 0x100000, 0x100, 0x100, 0x100000);
	put16(b, 44, 0xffff); /* e_phnum */
	assert_refused(b, len, "program headers run past the end");
	len = make_elf(b, 0x100000, 0x100000, 0x100, 0x100, 0x100000);
	put32(b, 52, 0); /* no PT_LOAD */
	assert_refused(b, len, "no loadable segment");
	len = make_elf(b, 0x100000, 0x100000, 0x100, 0x100, 0x300000);
	assert_refused(b, len, "entry point lies outside");
	len = make_elf(b, 0x100000, 0x100000, 0x100, 0x100, 0x100000);
	b[4] = 2;
	assert_refused(b, len, "64-bit ELF");
	len = make_elf(b, 0x100000, 0x100000, 0x100, 0x100, 0x100000);
	put16(b, 18, 62); /* EM_X86_64 */
	assert_refused(b, len, "not a little-endian i386 ELF");
	len = make_elf(b, 0x100000, 0x100000, 0x100, 0x100, 0x100000);
	put_header(b + 84, 0x4); /* wants a video mode */
	assert_refused(b, len, "requires Multiboot features");
	len = make_elf(b, 0x100000, 0x100000, 0x100, 0x100, 0x100000);
	memset(b + 84, 0, 12);
	assert_refused(b, len, "no Multiboot header");
	/* refusals come before any copying */
	for (size_t i = 0; i < RAM_SIZE; i += 4096)
		assert_int_equal(ram[i], 0xaa);
}

static void test_refuses_bad_aout(void **state)
{
	static uint8_t b[0x400];

	(void)state;
	make_aout(b, sizeof(b), 0, 0, 0x100020);
	put32(b, 16, 0x100004); /* load_addr above header_addr */
	assert_refused(b, sizeof(b), "load_addr does not lie before the header");
	make_aout(b, sizeof(b), 0, 0, 0x100020);
	put32(b, 12, 0x100100); /* the file would have to start before offset 0 */
	assert_refused(b, sizeof(b), "load_addr does not lie before the header");
	make_aout(b, sizeof(b), 0x100800, 0, 0x100020);
	assert_refused(b, sizeof(b), "load_end_addr lies past the end of the image");
	make_aout(b, sizeof(b), 0xfff00, 0, 0x100020);
	assert_refused(b, sizeof(b), "load_end_addr lies below load_addr");
	make_aout(b, sizeof(b), 0, 0x100200, 0x100020);
	assert_refused(b, sizeof(b), "bss_end_addr lies below load_end_addr");
	make_aout(b, sizeof(b), 0, 0xffffff00, 0x100020);
	assert_refused(b, sizeof(b), "lies outside guest RAM");
	make_aout(b, sizeof(b), 0, 0, 0x200000);
	assert_refused(b, sizeof(b), "entry point lies outside");
	make_aout(b, 16, 0, 0, 0x100000); /* the address fields are cut off */
	assert_refused(b, 16, "address fields run past the end");
}

static void test_refuses_modules_that_do_not_fit(void **state)
{
	static uint8_t b[SEG_OFF + 0x100];
	size_t len = make_elf(b, 0x100000, 0x100000, 0x100, 0x100, 0x100000);
	uint8_t *big = calloc(1, RAM_SIZE);
	const struct mbg_image mods[] = { { big, RAM_SIZE - 0x100000, "mbmod big" } };
	struct mbg_entry e;
	const char *why;

	(void)state;
	why = load(b, len, "kernel", mods, 1, &e);
	assert_non_null(why);
	assert_non_null(strstr(why, "modules do not fit"));
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_header_search, setup, teardown),
		cmocka_unit_test_setup_teardown(test_elf32_paddr_bss_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_info, setup, teardown),
		cmocka_unit_test_setup_teardown(test_modules_page_aligned, setup, teardown),
		cmocka_unit_test_setup_teardown(test_aout_kludge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuses_bad_elf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuses_bad_aout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuses_modules_that_do_not_fit, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
