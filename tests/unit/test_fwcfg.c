/*
 * QEMU fw_cfg: the signature and ID through the data port, the file
 * directory bytes, files read the way SeaBIOS reads them (data port and
 * DMA), the published items (e820 for 64 MiB, 3 GiB and 5 GiB, sercon,
 * boot-fail-wait, bootorder, floppy), and hostile DMA: descriptors and
 * buffers outside RAM, in ROM, across two RAM regions, past the end of
 * RAM, wrapping around 2^64, lengths beyond the item, unknown keys,
 * SKIP, SELECT and WRITE.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "fwcfg.h"
#include "iobus.h"

/* Guest memory: two RAM regions that touch in guest-physical space but
 * not in host memory, a read-only ROM page, holes everywhere else. */
#define RAM_A_GPA 0x0000
#define RAM_B_GPA 0x8000
#define RAM_SIZE_EACH 0x8000
#define RAM_END 0x10000
#define ROM_GPA 0xf0000
#define HOLE_GPA 0x20000

static _Alignas(4096) uint8_t ram_a[RAM_SIZE_EACH];
static _Alignas(4096) uint8_t ram_b[RAM_SIZE_EACH];
static _Alignas(4096) uint8_t rom[4096];
static struct gpa_map mem;
static struct fwcfg fw;

/* SeaBIOS qemu_cfg_read_entry(): select and read in one DMA operation. */
#define FW_CFG_DIR_CONTROL \
	((uint32_t)FW_CFG_FILE_DIR << 16 | FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ)

static const char hello[] = "hello, fw_cfg";   /* 14 bytes with the NUL */
static uint8_t big[3000];

static uint8_t *gptr(uint64_t gpa)
{
	if (gpa < RAM_B_GPA)
		return ram_a + gpa;
	if (gpa < RAM_END)
		return ram_b + (gpa - RAM_B_GPA);
	assert_true(gpa >= ROM_GPA && gpa < ROM_GPA + sizeof(rom));
	return rom + (gpa - ROM_GPA);
}

static int setup(void **state)
{
	(void)state;
	io_reset();
	memset(&mem, 0, sizeof(mem));
	memset(ram_a, 0x5a, sizeof(ram_a));
	memset(ram_b, 0x5b, sizeof(ram_b));
	memset(rom, 0xc3, sizeof(rom));
	for (unsigned i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7 + 1);
	assert_int_equal(gpa_map_add(&mem, RAM_A_GPA, RAM_SIZE_EACH, (uintptr_t)ram_a, GPA_RWX, "a"), 0);
	assert_int_equal(gpa_map_add(&mem, RAM_B_GPA, RAM_SIZE_EACH, (uintptr_t)ram_b, GPA_RWX, "b"), 0);
	assert_int_equal(gpa_map_add(&mem, ROM_GPA, sizeof(rom), (uintptr_t)rom, GPA_RX, "rom"), 0);
	fwcfg_init(&fw, &mem);
	assert_int_equal(fwcfg_attach(&fw), 0);
	assert_int_equal(fwcfg_add_file(&fw, "opt/test/hello", hello, sizeof(hello)), 0);
	assert_int_equal(fwcfg_add_file(&fw, "opt/test/big", big, sizeof(big)), 0);
	return 0;
}

/* --- Guest-side helpers, after SeaBIOS src/fw/paravirt.c ---------------- */

static void select_key(uint16_t key)
{
	io_write(FW_CFG_PORT_SEL, 2, key);
}

static void data_read(void *buf, unsigned n)
{
	uint8_t *p = buf;

	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)io_read(FW_CFG_PORT_DATA, 1);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static uint32_t bswap32(uint32_t v)
{
	return v >> 24 | (v >> 8 & 0xff00) | (v << 8 & 0xff0000) | v << 24;
}

static void put_desc(uint64_t gpa, uint32_t control, uint32_t length, uint64_t address)
{
	uint8_t d[16];

	for (unsigned i = 0; i < 4; i++) {
		d[i] = (uint8_t)(control >> (24 - 8 * i));
		d[4 + i] = (uint8_t)(length >> (24 - 8 * i));
	}
	for (unsigned i = 0; i < 8; i++)
		d[8 + i] = (uint8_t)(address >> (56 - 8 * i));
	for (unsigned i = 0; i < 16; i++)
		*gptr(gpa + i) = d[i];
}

/* outl(cpu_to_be32(addr), port): high half (if any), then the low half. */
static void dma_kick(uint64_t desc)
{
	if (desc >> 32)
		io_write(FW_CFG_PORT_DMA, 4, bswap32((uint32_t)(desc >> 32)));
	io_write(FW_CFG_PORT_DMA + 4, 4, bswap32((uint32_t)desc));
}

static uint32_t dma(uint64_t desc, uint32_t control, uint32_t length, uint64_t address)
{
	put_desc(desc, control, length, address);
	dma_kick(desc);
	return be32(gptr(desc));
}

/* The key of a named file, found by walking FW_CFG_FILE_DIR. */
static uint16_t find_file(const char *name, uint32_t *size)
{
	uint8_t count[4], entry[64];

	select_key(FW_CFG_FILE_DIR);
	data_read(count, 4);
	for (uint32_t i = 0; i < be32(count); i++) {
		data_read(entry, 64);
		if (strcmp((const char *)entry + 8, name) == 0) {
			*size = be32(entry);
			return (uint16_t)(entry[4] << 8 | entry[5]);
		}
	}
	fail_msg("no file %s", name);
	return 0;
}

static void read_file(const char *name, uint8_t *buf, uint32_t max, uint32_t *size)
{
	uint16_t key = find_file(name, size);

	assert_true(*size <= max);
	select_key(key);
	data_read(buf, *size);
}

/* --- Ports, signature, ID ------------------------------------------------ */

static void test_ports(void **state)
{
	(void)state;
	assert_string_equal(io_owner(0x510), "fw_cfg");
	assert_string_equal(io_owner(0x511), "fw_cfg");
	for (uint16_t p = 0x514; p <= 0x51b; p++)
		assert_string_equal(io_owner(p), "fw_cfg");
	assert_null(io_owner(0x512));
	assert_null(io_owner(0x51c));
	assert_int_equal(fwcfg_attach(&fw), -1);
}

static void test_signature_and_id(void **state)
{
	uint8_t buf[8];

	(void)state;
	/* After reset the signature is selected. */
	data_read(buf, 6);
	assert_memory_equal(buf, "QEMU\0\0", 6);

	/* SeaBIOS qemu_cfg_init(): select 0, four byte reads. */
	select_key(FW_CFG_SIGNATURE);
	data_read(buf, 4);
	assert_memory_equal(buf, "QEMU", 4);
	/* Bit 14 (write channel) selects the same item. */
	select_key(FW_CFG_WRITE_CHANNEL | FW_CFG_SIGNATURE);
	data_read(buf, 2);
	assert_memory_equal(buf, "QE", 2);

	select_key(FW_CFG_ID);
	data_read(buf, 5);
	assert_memory_equal(buf, "\x03\0\0\0\0", 5);

	/* Only byte reads of 0x511 are data; the selector is write-only. */
	select_key(FW_CFG_SIGNATURE);
	assert_int_equal(io_read(FW_CFG_PORT_DATA, 2), 0xffff);
	assert_int_equal(io_read(FW_CFG_PORT_SEL, 1), 0xff);
	assert_int_equal(io_read(FW_CFG_PORT_DATA, 1), 'Q');
	/* A byte write to the selector or data port changes nothing. */
	io_write(FW_CFG_PORT_SEL, 1, FW_CFG_ID);
	io_write(FW_CFG_PORT_DATA, 1, 0);
	assert_int_equal(io_read(FW_CFG_PORT_DATA, 1), 'E');

	/* The DMA address register reads "QEMU CFG", big-endian. */
	assert_int_equal(io_read(0x514, 1), 'Q');
	assert_int_equal(io_read(0x514, 4), 0x554d4551);
	assert_int_equal(io_read(0x518, 4), 0x47464320);
	assert_int_equal(io_read(0x51a, 2), 0x4746);
	assert_int_equal(io_read(0x51a, 4), 0xffff4746);
}

static void test_unknown_keys_read_zero(void **state)
{
	static const uint16_t keys[] = {
		FW_CFG_UUID, FW_CFG_RAM_SIZE, 0x1f, 0x22, 0x3fff, FW_CFG_ARCH_LOCAL,
		FW_CFG_ARCH_LOCAL | 0x03, 0xffff,
	};
	uint8_t buf[4];

	(void)state;
	for (unsigned i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		select_key(keys[i]);
		data_read(buf, 4);
		assert_memory_equal(buf, "\0\0\0\0", 4);
	}
}

/* --- The file directory -------------------------------------------------- */

static void check_dir_entry(const uint8_t *e, uint32_t size, uint16_t key, const char *name)
{
	uint8_t padded[56] = { 0 };

	memcpy(padded, name, strlen(name));
	assert_int_equal(be32(e), size);
	assert_int_equal(e[4] << 8 | e[5], key);
	assert_int_equal(e[6] | e[7], 0);
	assert_memory_equal(e + 8, padded, 56);
}

static void test_file_dir_bytes(void **state)
{
	uint8_t dir[4 + 5 * 64 + 4];

	(void)state;
	assert_int_equal(fwcfg_publish_sercon_port(&fw, 0x3f8), 0);
	assert_int_equal(fwcfg_publish_bootorder(&fw, "/rom@floppyimg/fd.img\n"), 0);
	assert_int_equal(fwcfg_publish_e820(&fw, MiB(64)), 0);

	select_key(FW_CFG_FILE_DIR);
	data_read(dir, sizeof(dir));
	assert_memory_equal(dir, "\0\0\0\x05", 4);
	/* Sorted by name, keys from 0x20 in that order, as in QEMU. */
	check_dir_entry(dir + 4, 23, 0x20, "bootorder");
	check_dir_entry(dir + 4 + 64, 40, 0x21, "etc/e820");
	check_dir_entry(dir + 4 + 128, 2, 0x22, "etc/sercon-port");
	check_dir_entry(dir + 4 + 192, sizeof(big), 0x23, "opt/test/big");
	check_dir_entry(dir + 4 + 256, sizeof(hello), 0x24, "opt/test/hello");
	assert_memory_equal(dir + 4 + 320, "\0\0\0\0", 4); /* past the end */
}

static void test_read_file_data_port(void **state)
{
	uint8_t buf[sizeof(big)];
	uint32_t size;

	(void)state;
	read_file("opt/test/hello", buf, sizeof(buf), &size);
	assert_int_equal(size, sizeof(hello));
	assert_memory_equal(buf, hello, sizeof(hello));
	assert_int_equal(io_read(FW_CFG_PORT_DATA, 1), 0); /* past the end */
	read_file("opt/test/big", buf, sizeof(buf), &size);
	assert_int_equal(size, sizeof(big));
	assert_memory_equal(buf, big, sizeof(big));
}

/* --- DMA, the well-behaved cases ----------------------------------------- */

/* SeaBIOS qemu_cfg_init() with DMA: count with SELECT|READ, then the
 * entries with plain READs continuing at the offset, then the file with
 * qemu_cfg_read_entry() into a buffer that spans both RAM regions. */
static void test_dma_like_seabios(void **state)
{
	const uint64_t desc = 0x100, dirbuf = 0x200, buf = RAM_B_GPA - 1000;
	uint16_t key = 0;
	uint32_t count;

	(void)state;
	assert_int_equal(dma(desc, FW_CFG_DIR_CONTROL, 4, dirbuf), 0);
	count = be32(gptr(dirbuf));
	assert_int_equal(count, 2);
	for (uint32_t i = 0; i < count; i++) {
		assert_int_equal(dma(desc, FW_CFG_DMA_CTL_READ, 64, dirbuf), 0);
		if (strcmp((const char *)gptr(dirbuf + 8), "opt/test/big") == 0)
			key = (uint16_t)(*gptr(dirbuf + 4) << 8 | *gptr(dirbuf + 5));
	}
	assert_int_equal(key, 0x20);

	assert_int_equal(dma(desc, (uint32_t)key << 16 | FW_CFG_DMA_CTL_SELECT |
				     FW_CFG_DMA_CTL_READ, sizeof(big), buf), 0);
	assert_memory_equal(gptr(buf), big, 1000);
	assert_memory_equal(gptr(RAM_B_GPA), big + 1000, sizeof(big) - 1000);
	assert_int_equal(*gptr(buf + sizeof(big)), 0x5b); /* nothing more */

	/* The whole descriptor was read before the status went back. */
	assert_int_equal(be32(gptr(desc + 4)), sizeof(big));
}

static void test_dma_beyond_item_zero_fills(void **state)
{
	const uint64_t buf = 0x1000;

	(void)state;
	assert_int_equal(dma(0x100, 0x0021u << 16 | FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ,
			     sizeof(hello) + 100, buf), 0);
	assert_memory_equal(gptr(buf), hello, sizeof(hello));
	for (unsigned i = sizeof(hello); i < sizeof(hello) + 100; i++)
		assert_int_equal(*gptr(buf + i), 0);
	assert_int_equal(*gptr(buf + sizeof(hello) + 100), 0x5a);

	/* Nothing selected at all (unknown key): all zeros, no error, as QEMU. */
	assert_int_equal(dma(0x100, 0x1234u << 16 | FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ,
			     16, buf), 0);
	for (unsigned i = 0; i < 16; i++)
		assert_int_equal(*gptr(buf + i), 0);
}

/* SeaBIOS qemu_cfg_read_file() with a skip: select by port, SKIP with
 * address 0, READ the rest.  SKIP never touches memory. */
static void test_dma_skip_and_select(void **state)
{
	const uint64_t buf = 0x3000;

	(void)state;
	select_key(0x21);
	assert_int_equal(dma(0x100, FW_CFG_DMA_CTL_SKIP, 7, HOLE_GPA), 0);
	assert_int_equal(dma(0x100, FW_CFG_DMA_CTL_READ, sizeof(hello) - 7, buf), 0);
	assert_memory_equal(gptr(buf), hello + 7, sizeof(hello) - 7);

	/* Skipping past the end is harmless; later reads give zeros. */
	select_key(0x21);
	assert_int_equal(dma(0x100, FW_CFG_DMA_CTL_SKIP, 0xffffffffu, 0), 0);
	assert_int_equal(io_read(FW_CFG_PORT_DATA, 1), 0);

	/* SELECT alone resets the offset, data port reads carry on from DMA. */
	assert_int_equal(dma(0x100, 0x0021u << 16 | FW_CFG_DMA_CTL_SELECT, 0, 0), 0);
	assert_int_equal(dma(0x100, FW_CFG_DMA_CTL_READ, 2, buf), 0);
	assert_memory_equal(gptr(buf), "he", 2);
	assert_int_equal(io_read(FW_CFG_PORT_DATA, 1), 'l');

	/* READ wins over SKIP and WRITE. */
	assert_int_equal(dma(0x100, FW_CFG_DMA_CTL_READ | FW_CFG_DMA_CTL_SKIP |
				     FW_CFG_DMA_CTL_WRITE, 2, buf), 0);
	assert_memory_equal(gptr(buf), "lo", 2);
}

static void test_dma_write_is_error(void **state)
{
	const uint64_t buf = 0x3000;
	uint8_t check[sizeof(hello)];
	uint32_t size;

	(void)state;
	memcpy(gptr(buf), "XXXX", 4);
	assert_int_equal(dma(0x100, 0x0021u << 16 | FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_WRITE,
			     4, buf), FW_CFG_DMA_CTL_ERROR);
	assert_int_equal(dma(0x100, FW_CFG_DMA_CTL_WRITE, 0, buf), 0); /* nothing to write */
	read_file("opt/test/hello", check, sizeof(check), &size);
	assert_memory_equal(check, hello, sizeof(hello));
}

static void test_dma_address_register(void **state)
{
	(void)state;
	/* The low half alone starts a transfer at a 32-bit address. */
	put_desc(0x100, 0x0021u << 16 | FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ, 2, 0x400);
	io_write(0x518, 4, bswap32(0x100));
	assert_int_equal(be32(gptr(0x100)), 0);
	assert_memory_equal(gptr(0x400), "he", 2);

	/* A high half sends the descriptor above 4 GiB (no RAM: nothing
	 * happens), and the register is 0 again afterwards. */
	put_desc(0x100, FW_CFG_DMA_CTL_READ, 2, 0x400);
	io_write(0x514, 4, bswap32(0x1));
	io_write(0x518, 4, bswap32(0x100));
	assert_int_equal(be32(gptr(0x100)), FW_CFG_DMA_CTL_READ);
	io_write(0x518, 4, bswap32(0x100));
	assert_int_equal(be32(gptr(0x100)), 0);
	assert_memory_equal(gptr(0x400), "ll", 2);

	/* A guest reset forgets a half-written address and the selection. */
	io_write(0x514, 4, bswap32(0x1));
	select_key(FW_CFG_ID);
	fwcfg_reset(&fw);
	assert_int_equal(io_read(FW_CFG_PORT_DATA, 1), 'Q');
	put_desc(0x100, 0x0021u << 16 | FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ, 2, 0x400);
	io_write(0x518, 4, bswap32(0x100));
	assert_int_equal(be32(gptr(0x100)), 0);

	/* Other sizes and the odd ports do nothing. */
	io_write(0x518, 2, 0x0100);
	io_write(0x519, 1, 0x01);
	io_write(0x51c, 4, 0);
	assert_memory_equal(gptr(0x400), "he", 2);
}

/* --- DMA, hostile descriptors and buffers -------------------------------- */

static void test_dma_descriptor_outside_ram(void **state)
{
	uint8_t rom_copy[sizeof(rom)];

	(void)state;
	/* In a hole: nothing to read, nowhere to report. */
	dma_kick(HOLE_GPA);
	dma_kick(0xfffffffffffffff8ull);
	dma_kick(0xfffffffffffff000ull);

	/* Crossing the end of RAM: unreadable, but the control word is in
	 * RAM, so it gets ERROR. */
	put_desc(RAM_END - 16, FW_CFG_DMA_CTL_READ, 4, 0x400);
	memmove(gptr(RAM_END - 8), gptr(RAM_END - 16), 8);
	dma_kick(RAM_END - 8);
	assert_int_equal(be32(gptr(RAM_END - 8)), FW_CFG_DMA_CTL_ERROR);

	/* Split over the two RAM regions: read piece by piece, works. */
	assert_int_equal(dma(RAM_B_GPA - 8, 0x0021u << 16 | FW_CFG_DMA_CTL_SELECT |
				     FW_CFG_DMA_CTL_READ, 4, 0x400), 0);
	assert_memory_equal(gptr(0x400), "hell", 4);

	/* In ROM: the transfer runs, the status cannot be written back. */
	memset(rom, 0, 16);
	put_desc(ROM_GPA, 0x0021u << 16 | FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ, 4, 0x500);
	memcpy(rom_copy, rom, sizeof(rom));
	dma_kick(ROM_GPA);
	assert_memory_equal(rom, rom_copy, sizeof(rom));
	assert_memory_equal(gptr(0x500), "hell", 4);
}

static void test_dma_buffer_outside_ram(void **state)
{
	uint8_t rom_copy[sizeof(rom)];
	const uint32_t sel = 0x0020u << 16 | FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ;

	(void)state;
	/* Entirely in a hole. */
	assert_int_equal(dma(0x100, sel, 16, HOLE_GPA), FW_CFG_DMA_CTL_ERROR);
	/* In ROM: not writable. */
	memcpy(rom_copy, rom, sizeof(rom));
	assert_int_equal(dma(0x100, sel, 16, ROM_GPA), FW_CFG_DMA_CTL_ERROR);
	assert_memory_equal(rom, rom_copy, sizeof(rom));
	/* Straddling the end of RAM: the part in RAM is written, then ERROR. */
	assert_int_equal(dma(0x100, sel, 32, RAM_END - 16), FW_CFG_DMA_CTL_ERROR);
	assert_memory_equal(gptr(RAM_END - 16), big, 16);
	/* Zero-fill running off the end of RAM is an error too. */
	assert_int_equal(dma(0x100, 0x0021u << 16 | FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ,
			     64, RAM_END - 32), FW_CFG_DMA_CTL_ERROR);
	assert_memory_equal(gptr(RAM_END - 32), hello, sizeof(hello));
	/* Wrapping around 2^64 into low RAM: refused before any write. */
	assert_int_equal(dma(0x100, sel, 0x20, 0xfffffffffffffff0ull), FW_CFG_DMA_CTL_ERROR);
	assert_int_equal(*gptr(0), 0x5a);
	assert_int_equal(*gptr(0xf), 0x5a);
	/* A 4 GiB length: the item, zeros up to the end of RAM, then ERROR. */
	assert_int_equal(dma(0x100, sel, 0xffffffffu, 0x4000), FW_CFG_DMA_CTL_ERROR);
	assert_memory_equal(gptr(0x4000), big, sizeof(big));
	assert_int_equal(*gptr(RAM_END - 1), 0);
	/* The 16 bytes at 0x100 hold the status, the rest of RAM A before the
	 * buffer is untouched. */
	assert_int_equal(*gptr(0x3fff), 0x5a);
}

/* --- Published items ----------------------------------------------------- */

static void check_e820(const uint8_t *e, uint64_t addr, uint64_t len)
{
	assert_int_equal(le(e, 8), addr);
	assert_int_equal(le(e + 8, 8), len);
	assert_int_equal(le(e + 16, 4), E820_RAM);
}

static void test_e820(void **state)
{
	uint8_t buf[64];
	uint32_t size;
	struct fwcfg other;

	(void)state;
	assert_int_equal(fwcfg_publish_e820(&fw, MiB(64)), 0);
	read_file("etc/e820", buf, sizeof(buf), &size);
	assert_int_equal(size, 40);
	check_e820(buf, 0, 0x9fc00);
	check_e820(buf + 20, MiB(1), MiB(63));
	assert_int_equal(fwcfg_publish_e820(&fw, MiB(128)), -1);
	read_file("etc/e820", buf, sizeof(buf), &size); /* unchanged */
	check_e820(buf + 20, MiB(1), MiB(63));

	fwcfg_init(&other, &mem);
	assert_int_equal(fwcfg_publish_e820(&other, GiB(3)), 0);
	assert_int_equal(other.nfiles, 1);
	assert_int_equal(other.files[0].entry.len, 40);
	check_e820(other.files[0].entry.data, 0, 0x9fc00);
	check_e820(other.files[0].entry.data + 20, MiB(1), GiB(3) - MiB(1));

	fwcfg_init(&other, &mem);
	assert_int_equal(fwcfg_publish_e820(&other, GiB(5)), 0);
	assert_int_equal(other.files[0].entry.len, 60);
	check_e820(other.files[0].entry.data + 20, MiB(1), 0xe0000000ull - MiB(1));
	check_e820(other.files[0].entry.data + 40, GiB(4), GiB(5) - 0xe0000000ull);

	fwcfg_init(&other, &mem);
	assert_int_equal(fwcfg_publish_e820(&other, MiB(1)), -1);
	assert_int_equal(other.nfiles, 0);
}

static void test_publish_helpers(void **state)
{
	static const char order[] = "/rom@floppyimg/freedos.img\n";
	static uint8_t floppy[1474560];
	uint8_t buf[64];
	uint32_t size;

	(void)state;
	assert_int_equal(fwcfg_publish_sercon_port(&fw, 0x3f8), 0);
	read_file("etc/sercon-port", buf, sizeof(buf), &size);
	assert_int_equal(size, 2);
	assert_memory_equal(buf, "\xf8\x03", 2);
	assert_int_equal(fwcfg_publish_sercon_port(&fw, 0x2f8), -1);

	assert_int_equal(fwcfg_publish_boot_fail_wait(&fw, 0xffffffffu), 0);
	read_file("etc/boot-fail-wait", buf, sizeof(buf), &size);
	assert_int_equal(size, 4);
	assert_int_equal(le(buf, 4), 0xffffffffu);

	assert_int_equal(fwcfg_publish_bootorder(&fw, order), 0);
	read_file("bootorder", buf, sizeof(buf), &size);
	assert_int_equal(size, sizeof(order));
	assert_memory_equal(buf, order, sizeof(order));

	floppy[0] = 0xeb;
	floppy[sizeof(floppy) - 1] = 0xaa;
	assert_int_equal(fwcfg_publish_floppy(&fw, "freedos.img", floppy, sizeof(floppy)), 0);
	assert_int_equal(find_file("floppyimg/freedos.img", &size) >= FW_CFG_FILE_FIRST, 1);
	assert_int_equal(size, sizeof(floppy));
	assert_int_equal(dma(0x100, (uint32_t)find_file("floppyimg/freedos.img", &size) << 16 |
				     FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_SKIP,
			     sizeof(floppy) - 1, 0), 0);
	assert_int_equal(io_read(FW_CFG_PORT_DATA, 1), 0xaa);
	assert_int_equal(fwcfg_publish_floppy(&fw, "bad.img", floppy, 1474560 - 512), -1);
	assert_int_equal(fwcfg_publish_floppy(&fw, "", floppy, sizeof(floppy)), -1);
	assert_int_equal(fwcfg_publish_floppy(&fw, "a-name-long-enough-to-overflow-the-56-byte-name-field.img",
					      floppy, sizeof(floppy)), -1);
	assert_int_equal(fwcfg_publish_floppy(&fw, "small.img", floppy, 368640), 0);

	assert_int_equal(fwcfg_publish_machine(&fw, MiB(64), 1), 0);
	select_key(FW_CFG_RAM_SIZE);
	data_read(buf, 9);
	assert_int_equal(le(buf, 8), MiB(64));
	assert_int_equal(buf[8], 0);
	select_key(FW_CFG_NB_CPUS);
	data_read(buf, 2);
	assert_int_equal(le(buf, 2), 1);
	select_key(FW_CFG_MAX_CPUS);
	data_read(buf, 2);
	assert_int_equal(le(buf, 2), 1);
	select_key(FW_CFG_NUMA);
	data_read(buf, 8);
	assert_int_equal(le(buf, 8), 0);
	select_key(FW_CFG_BOOT_MENU);
	data_read(buf, 2);
	assert_int_equal(le(buf, 2), 0);
	select_key(FW_CFG_NOGRAPHIC);
	data_read(buf, 2);
	assert_int_equal(le(buf, 2), 1);
	assert_int_equal(fwcfg_publish_machine(&fw, MiB(64), 1), -1);

	fwcfg_init(&fw, &mem);
	assert_int_equal(fwcfg_publish_machine(&fw, MiB(64), 0), -1);
}

static void test_add_errors(void **state)
{
	static const uint8_t one = 1;
	char name[FW_CFG_MAX_FILE_PATH + 1];

	(void)state;
	assert_int_equal(fwcfg_add_item(&fw, FW_CFG_SIGNATURE, &one, 1), -1);
	assert_int_equal(fwcfg_add_item(&fw, FW_CFG_ID, &one, 1), -1);
	assert_int_equal(fwcfg_add_item(&fw, FW_CFG_FILE_DIR, &one, 1), -1);
	assert_int_equal(fwcfg_add_item(&fw, FW_CFG_FILE_FIRST, &one, 1), -1);
	assert_int_equal(fwcfg_add_item(&fw, FW_CFG_ARCH_LOCAL | 3, &one, 1), -1);
	assert_int_equal(fwcfg_add_item(&fw, FW_CFG_UUID, NULL, 1), -1);
	assert_int_equal(fwcfg_add_item(&fw, FW_CFG_UUID, &one, 1), 0);
	assert_int_equal(fwcfg_add_item(&fw, FW_CFG_UUID, &one, 1), -1);

	assert_int_equal(fwcfg_add_file(&fw, "", &one, 1), -1);
	assert_int_equal(fwcfg_add_file(&fw, "opt/test/hello", &one, 1), -1);
	assert_int_equal(fwcfg_add_file(&fw, "opt/x", NULL, 1), -1);
	memset(name, 'n', sizeof(name));
	name[FW_CFG_MAX_FILE_PATH] = '\0';
	assert_int_equal(fwcfg_add_file(&fw, name, &one, 1), -1);
	name[FW_CFG_MAX_FILE_PATH - 1] = '\0';
	assert_int_equal(fwcfg_add_file(&fw, name, &one, 1), 0); /* 55 characters */
	assert_int_equal(fwcfg_add_file(&fw, "opt/empty", "", 0), 0);

	for (unsigned i = fw.nfiles; i < FWCFG_MAX_FILES; i++) {
		char n[16] = "opt/fill/00";

		n[9] = (char)('0' + i / 10);
		n[10] = (char)('0' + i % 10);
		assert_int_equal(fwcfg_add_file(&fw, n, &one, 1), 0);
	}
	assert_int_equal(fwcfg_add_file(&fw, "opt/one-too-many", &one, 1), -1);
	select_key(FW_CFG_FILE_DIR);
	{
		uint8_t count[4];

		data_read(count, 4);
		assert_int_equal(be32(count), FWCFG_MAX_FILES);
	}
	/* The last key answers, the one after it does not. */
	select_key(FW_CFG_FILE_FIRST + FWCFG_MAX_FILES - 1);
	assert_int_equal(io_read(FW_CFG_PORT_DATA, 1), 'h'); /* opt/test/hello sorts last */
	select_key(FW_CFG_FILE_FIRST + FWCFG_MAX_FILES);
	assert_int_equal(io_read(FW_CFG_PORT_DATA, 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_ports, setup),
		cmocka_unit_test_setup(test_signature_and_id, setup),
		cmocka_unit_test_setup(test_unknown_keys_read_zero, setup),
		cmocka_unit_test_setup(test_file_dir_bytes, setup),
		cmocka_unit_test_setup(test_read_file_data_port, setup),
		cmocka_unit_test_setup(test_dma_like_seabios, setup),
		cmocka_unit_test_setup(test_dma_beyond_item_zero_fills, setup),
		cmocka_unit_test_setup(test_dma_skip_and_select, setup),
		cmocka_unit_test_setup(test_dma_write_is_error, setup),
		cmocka_unit_test_setup(test_dma_address_register, setup),
		cmocka_unit_test_setup(test_dma_descriptor_outside_ram, setup),
		cmocka_unit_test_setup(test_dma_buffer_outside_ram, setup),
		cmocka_unit_test_setup(test_e820, setup),
		cmocka_unit_test_setup(test_publish_helpers, setup),
		cmocka_unit_test_setup(test_add_errors, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
