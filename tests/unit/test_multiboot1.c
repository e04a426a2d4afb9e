/*
 * The Multiboot 1 boot-information parser (Multiboot specification
 * 0.6.96, section 3.3): a fake physical memory holds the information
 * structure, command lines, module list and memory map the way iPXE and
 * QEMU's -kernel lay them out (image name first on every command line);
 * then broken ones — pointers outside memory, bad map entry sizes, too
 * many modules, unterminated or too long strings, no memory information,
 * a full string pool.  The fake memory is one heap allocation, so ASan
 * reports any read the map callback did not hand out.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "multiboot1.h"

#define PHYS_BASE 0x10000ull
#define PHYS_SIZE 0x4000u
#define INFO 0x10000u    /* information structure */
#define STRINGS 0x10200u /* strings, one after another */
#define MODS 0x11000u    /* module list */
#define MMAP 0x12000u    /* memory map */

static uint8_t *mem; /* PHYS_SIZE bytes standing for [PHYS_BASE, PHYS_BASE + PHYS_SIZE) */
static uint32_t str_next;
static char pool[512];

static const void *fake_map(uint64_t pa, uint64_t len, void *ctx)
{
	(void)ctx;
	if (pa < PHYS_BASE || len > PHYS_SIZE || pa - PHYS_BASE > PHYS_SIZE - len)
		return NULL;
	return mem + (pa - PHYS_BASE);
}

static void put32(uint32_t pa, uint32_t v)
{
	memcpy(mem + (pa - PHYS_BASE), &v, 4);
}

static void put64(uint32_t pa, uint64_t v)
{
	memcpy(mem + (pa - PHYS_BASE), &v, 8);
}

static uint32_t add_string(const char *s)
{
	uint32_t at = str_next;

	memcpy(mem + (at - PHYS_BASE), s, strlen(s) + 1);
	str_next += (uint32_t)strlen(s) + 1;
	return at;
}

static int setup(void **state)
{
	(void)state;
	mem = calloc(1, PHYS_SIZE);
	str_next = STRINGS;
	return mem ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(mem);
	return 0;
}

/* Map entry: u32 size (not counting itself), u64 base, u64 length, u32 type. */
static uint32_t add_mmap_entry(uint32_t at, uint32_t size, uint64_t base, uint64_t len,
			       uint32_t type)
{
	put32(at, size);
	put64(at + 4, base);
	put64(at + 12, len);
	put32(at + 20, type);
	return at + size + 4;
}

static void add_module(unsigned i, uint32_t start, uint32_t end, const char *s)
{
	put32(MODS + i * 16, start);
	put32(MODS + i * 16 + 4, end);
	put32(MODS + i * 16 + 8, s ? add_string(s) : 0);
}

/* What iPXE's multiboot loader hands over for the netboot test. */
static void build_ipxe_like(void)
{
	uint32_t end = MMAP;

	end = add_mmap_entry(end, 20, 0, 0x9fc00, MB2_MEM_AVAILABLE);
	end = add_mmap_entry(end, 20, 0x9fc00, 0x400, 2);
	end = add_mmap_entry(end, 20, 0xf0000, 0, 2); /* zero length: skipped */
	end = add_mmap_entry(end, 24, 0x100000, 0x1fee0000, MB2_MEM_AVAILABLE); /* larger entry */
	add_module(0, 0x400000, 0x440000, "bios-256k.bin bios");
	add_module(1, 0x440000, 0x5a0000, "vmlinuz kernel console=ttyS0 quiet");
	put32(INFO, MB1_INFO_MEMORY | MB1_INFO_CMDLINE | MB1_INFO_MODS | MB1_INFO_MMAP |
		    MB1_INFO_LOADER);
	put32(INFO + 4, 639);
	put32(INFO + 8, 523136);
	put32(INFO + 16, add_string("lamina.elf mem=64M  bioslog=on"));
	put32(INFO + 20, 2);
	put32(INFO + 24, MODS);
	put32(INFO + 44, end - MMAP);
	put32(INFO + 48, MMAP);
	put32(INFO + 64, add_string("iPXE 1.21.1+"));
}

static const char *parse(struct boot_info *bi)
{
	return mb1_parse(fake_map, NULL, INFO, bi, pool, sizeof(pool));
}

static void test_ipxe_like_structure_parses(void **state)
{
	struct boot_info bi;

	(void)state;
	build_ipxe_like();
	assert_null(parse(&bi));
	assert_string_equal(bi.cmdline, "mem=64M  bioslog=on");
	assert_string_equal(bi.loader, "iPXE 1.21.1+");
	/* copies, not pointers into the loader's memory */
	assert_true(bi.cmdline >= pool && bi.cmdline < pool + sizeof(pool));
	assert_int_equal(bi.info_start, INFO);
	assert_int_equal(bi.info_end, INFO + MB1_INFO_SIZE);

	assert_int_equal(bi.n_mmap, 3);
	assert_int_equal(bi.mmap[0].base, 0);
	assert_int_equal(bi.mmap[0].len, 0x9fc00);
	assert_int_equal(bi.mmap[0].type, MB2_MEM_AVAILABLE);
	assert_int_equal(bi.mmap[1].type, 2);
	assert_int_equal(bi.mmap[2].base, 0x100000);
	assert_int_equal(bi.mmap[2].len, 0x1fee0000);
	assert_int_equal(bi.mmap[2].type, MB2_MEM_AVAILABLE);

	assert_int_equal(bi.n_mods, 2);
	assert_int_equal(bi.mods[0].start, 0x400000);
	assert_int_equal(bi.mods[0].end, 0x440000);
	assert_string_equal(bi.mods[0].cmdline, "bios");
	assert_string_equal(bi.mods[1].cmdline, "kernel console=ttyS0 quiet");
	assert_ptr_equal(boot_find_module(&bi, "kernel"), &bi.mods[1]);
	assert_ptr_equal(boot_find_module(&bi, "bios"), &bi.mods[0]);
}

static void test_name_only_lines_become_empty(void **state)
{
	struct boot_info bi;

	(void)state;
	build_ipxe_like();
	put32(INFO + 16, add_string("lamina.elf"));
	add_module(0, 0x400000, 0x440000, "  bios-256k.bin  ");
	add_module(1, 0x440000, 0x5a0000, NULL); /* no string at all */
	assert_null(parse(&bi));
	assert_string_equal(bi.cmdline, "");
	assert_string_equal(bi.mods[0].cmdline, "");
	assert_string_equal(bi.mods[1].cmdline, "");
}

static void test_without_map_uses_mem_lower_upper(void **state)
{
	struct boot_info bi;

	(void)state;
	build_ipxe_like();
	put32(INFO, MB1_INFO_MEMORY);
	assert_null(parse(&bi));
	assert_string_equal(bi.cmdline, "");
	assert_string_equal(bi.loader, "");
	assert_int_equal(bi.n_mods, 0);
	assert_int_equal(bi.n_mmap, 2);
	assert_int_equal(bi.mmap[0].base, 0);
	assert_int_equal(bi.mmap[0].len, 639 * 1024);
	assert_int_equal(bi.mmap[1].base, 0x100000);
	assert_int_equal(bi.mmap[1].len, 523136ull * 1024);
}

static void test_no_memory_information_rejected(void **state)
{
	struct boot_info bi;

	(void)state;
	build_ipxe_like();
	put32(INFO, MB1_INFO_CMDLINE);
	assert_string_equal(parse(&bi), "the boot loader gave no memory map and no memory size");
}

static void test_bad_pointers_rejected(void **state)
{
	struct boot_info bi;

	(void)state;
	assert_string_equal(mb1_parse(fake_map, NULL, 0, &bi, pool, sizeof(pool)),
			    "boot information is missing or misaligned");
	assert_string_equal(mb1_parse(fake_map, NULL, INFO + 2, &bi, pool, sizeof(pool)),
			    "boot information is missing or misaligned");
	assert_string_equal(mb1_parse(fake_map, NULL, PHYS_BASE + PHYS_SIZE - 40, &bi, pool,
				      sizeof(pool)),
			    "boot information lies outside the mapped memory");
	build_ipxe_like();
	put32(INFO + 16, 0x100);
	assert_string_equal(parse(&bi), "a command line or name lies outside the mapped memory");
	build_ipxe_like();
	put32(INFO + 48, PHYS_BASE + PHYS_SIZE - 8);
	assert_string_equal(parse(&bi), "the memory map lies outside the mapped memory");
	build_ipxe_like();
	put32(INFO + 24, PHYS_BASE + PHYS_SIZE - 16);
	assert_string_equal(parse(&bi), "the module list lies outside the mapped memory");
}

static void test_string_running_off_memory_rejected(void **state)
{
	struct boot_info bi;
	uint32_t at = PHYS_BASE + PHYS_SIZE - 4;

	(void)state;
	build_ipxe_like();
	memcpy(mem + (at - PHYS_BASE), "abcd", 4); /* no NUL before the end */
	put32(INFO + 16, at);
	assert_string_equal(parse(&bi), "a command line or name lies outside the mapped memory");
}

static void test_overlong_string_and_full_pool_rejected(void **state)
{
	struct boot_info bi;
	char big[1100];

	(void)state;
	build_ipxe_like();
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	put32(INFO + 16, add_string(big));
	assert_string_equal(parse(&bi), "a command line or name is longer than 1024 bytes");

	build_ipxe_like();
	big[1] = ' '; /* "x" is the image name, 598 more bytes the options */
	big[600] = '\0';
	put32(INFO + 16, add_string(big));
	assert_string_equal(parse(&bi), "the command lines do not fit lamina's string buffer");
}

static void test_bad_map_entries_rejected(void **state)
{
	struct boot_info bi;

	(void)state;
	build_ipxe_like();
	add_mmap_entry(MMAP, 12, 0, 0x9fc00, 1); /* size too small for base/len/type */
	assert_string_equal(parse(&bi), "a memory map entry has a bad size");
	build_ipxe_like();
	put32(INFO + 44, 30); /* second entry cut short by mmap_length */
	assert_string_equal(parse(&bi), "a memory map entry has a bad size");

	build_ipxe_like();
	uint32_t end = MMAP;
	for (unsigned i = 0; i < BOOT_MAX_MMAP + 1; i++)
		end = add_mmap_entry(end, 20, i * 0x1000ull, 0x1000, 1);
	put32(INFO + 44, end - MMAP);
	assert_string_equal(parse(&bi), "memory map has too many entries");
}

static void test_bad_modules_rejected(void **state)
{
	struct boot_info bi;

	(void)state;
	build_ipxe_like();
	add_module(1, 0x440000, 0x43f000, "x.img floppy");
	assert_string_equal(parse(&bi), "module ends before it starts");
	build_ipxe_like();
	put32(INFO + 20, BOOT_MAX_MODULES + 1);
	assert_string_equal(parse(&bi), "too many modules (at most 16)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ipxe_like_structure_parses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_name_only_lines_become_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_without_map_uses_mem_lower_upper, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_memory_information_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_pointers_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_string_running_off_memory_rejected, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_overlong_string_and_full_pool_rejected, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_map_entries_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_modules_rejected, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
