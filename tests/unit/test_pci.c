/*
 * PCI configuration mechanism #1 with the i440FX and PIIX3: a bus scan
 * done the way SeaBIOS does it, byte/word accesses through 0xCFC-0xCFF,
 * the enable bit and absent functions, read-only and reserved bits, the
 * PAM sequences of SeaBIOS's make_bios_writable/readonly, SMRAM locking,
 * PIRQ routing, and BAR sizing on a fake function added from outside.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "iobus.h"
#include "pci.h"

#define MAX_EVENTS 32

struct pam_event {
	uint64_t gpa, size;
	bool readable, writable;
};

struct pirq_event {
	unsigned pirq;
	int irq;
};

struct recorder {
	struct pam_event pam[MAX_EVENTS];
	unsigned npam;
	struct pirq_event pirq[MAX_EVENTS];
	unsigned npirq;
};

static struct pci_bus bus;
static struct recorder rec;

static void rec_pam(void *opaque, uint64_t gpa, uint64_t size, bool readable, bool writable)
{
	struct recorder *r = opaque;

	assert_true(r->npam < MAX_EVENTS);
	r->pam[r->npam++] = (struct pam_event){ gpa, size, readable, writable };
}

static void rec_pirq(void *opaque, unsigned pirq, int irq)
{
	struct recorder *r = opaque;

	assert_true(r->npirq < MAX_EVENTS);
	r->pirq[r->npirq++] = (struct pirq_event){ pirq, irq };
}

static const struct pci_chipset_ops chipset = { rec_pam, rec_pirq };

static int setup(void **state)
{
	(void)state;
	io_reset();
	memset(&rec, 0, sizeof(rec));
	pci_init(&bus, &chipset, &rec);
	assert_int_equal(pci_attach(&bus), 0);
	return 0;
}

/* SeaBIOS src/hw/pci.c: ioconfig_cmd() and pci_config_read/write{b,w,l}. */
static uint32_t cfg_addr(unsigned bdf, unsigned reg)
{
	return 0x80000000u | bdf << 8 | (reg & 0xfc);
}

static uint32_t cfg_read(unsigned bdf, unsigned reg, unsigned size)
{
	io_write(PCI_CONFIG_ADDRESS, 4, cfg_addr(bdf, reg));
	return io_read((uint16_t)(PCI_CONFIG_DATA + (reg & (4 - size))), size);
}

static void cfg_write(unsigned bdf, unsigned reg, unsigned size, uint32_t val)
{
	io_write(PCI_CONFIG_ADDRESS, 4, cfg_addr(bdf, reg));
	io_write((uint16_t)(PCI_CONFIG_DATA + (reg & (4 - size))), size, val);
}

#define BDF(dev, fn) ((dev) << 3 | (fn))

/* SeaBIOS pci_next(): skip functions 1-7 unless function 0 is multi-function. */
static int scan_next(int bdf)
{
	if ((bdf & 7) == 0 && !(cfg_read((unsigned)bdf, PCI_HEADER_TYPE, 1) & 0x80))
		bdf += 8;
	else
		bdf += 1;
	while (bdf < 256) {
		uint32_t v = cfg_read((unsigned)bdf, PCI_VENDOR_ID, 2);

		if (v != 0x0000 && v != 0xffff)
			return bdf;
		bdf += (bdf & 7) == 0 ? 8 : 1;
	}
	return -1;
}

static unsigned scan_bus0(int *found, unsigned max)
{
	unsigned n = 0;
	int bdf = 0;

	if (cfg_read(0, PCI_VENDOR_ID, 2) != 0xffff)
		found[n++] = 0;
	while ((bdf = scan_next(bdf)) >= 0 && n < max)
		found[n++] = bdf;
	return n;
}

/* --- A function added from outside, as the IDE model will be -------------- */

struct fake {
	unsigned writes;
	unsigned offset, size;
	uint32_t old;
	uint32_t live; /* what config_read returns for register 0x40 */
};

static uint32_t fake_config_read(void *opaque, struct pci_function *f, unsigned offset,
				 unsigned size)
{
	struct fake *fk = opaque;

	if (offset == 0x40 && size == 4)
		return fk->live;
	return pci_config_get(f, offset, size);
}

static void fake_config_write(void *opaque, struct pci_function *f, unsigned offset,
			      unsigned size, uint32_t old)
{
	struct fake *fk = opaque;

	(void)f;
	fk->writes++;
	fk->offset = offset;
	fk->size = size;
	fk->old = old;
}

static const struct pci_function_ops fake_ide_ops = {
	.name = "fake-ide",
	.vendor_id = PCI_VENDOR_ID_INTEL,
	.device_id = PCI_DEVICE_ID_INTEL_82371SB_1,
	.class_code = 0x010180,
	.header_type = PCI_HEADER_TYPE_NORMAL,
	.config_read = fake_config_read,
	.config_write = fake_config_write,
};

/* --- Tests ---------------------------------------------------------------- */

static void test_attach_claims_ports(void **state)
{
	(void)state;
	assert_string_equal(io_owner(0xcf8), "pci");
	for (uint16_t p = 0xcfc; p <= 0xcff; p++)
		assert_string_equal(io_owner(p), "pci");
	assert_null(io_owner(0xcf9)); /* PIIX3 reset control: someone else's */
	assert_null(io_owner(0xcfb));
	assert_int_equal(pci_attach(&bus), -1);
}

static void test_scan_like_seabios(void **state)
{
	int found[16];
	unsigned n;

	(void)state;
	/* pci_probe_host(): the latch reads back. */
	io_write(PCI_CONFIG_ADDRESS, 4, 0x80000000u);
	assert_int_equal(io_read(PCI_CONFIG_ADDRESS, 4), 0x80000000u);

	n = scan_bus0(found, 16);
	assert_int_equal(n, 2);
	assert_int_equal(found[0], BDF(0, 0));
	assert_int_equal(found[1], BDF(1, 0));

	/* pci_probe_devices(): IDs, class, prog-if, revision, header type. */
	assert_int_equal(cfg_read(BDF(0, 0), PCI_VENDOR_ID, 4), 0x12378086);
	assert_int_equal(cfg_read(BDF(0, 0), PCI_CLASS_DEVICE, 2), 0x0600);
	assert_int_equal(cfg_read(BDF(0, 0), PCI_CLASS_PROG, 1), 0x00);
	assert_int_equal(cfg_read(BDF(0, 0), PCI_REVISION_ID, 1), 0x02);
	assert_int_equal(cfg_read(BDF(0, 0), PCI_HEADER_TYPE, 1), 0x00);
	/* qemu_detect(): QEMU's subsystem IDs on the northbridge. */
	assert_int_equal(cfg_read(BDF(0, 0), PCI_SUBSYSTEM_VENDOR_ID, 2), 0x1af4);
	assert_int_equal(cfg_read(BDF(0, 0), PCI_SUBSYSTEM_ID, 2), 0x1100);

	assert_int_equal(cfg_read(BDF(1, 0), PCI_VENDOR_ID, 4), 0x70008086);
	assert_int_equal(cfg_read(BDF(1, 0), PCI_REVISION_ID, 4), 0x06010000);
	assert_int_equal(cfg_read(BDF(1, 0), PCI_HEADER_TYPE, 1), 0x80);
	assert_int_equal(cfg_read(BDF(1, 0), PCI_COMMAND, 4), 0x02000007);

	/* The i440FX is single-function: its function 1 does not answer. */
	assert_int_equal(cfg_read(BDF(0, 1), PCI_VENDOR_ID, 4), 0xffffffffu);
}

static void test_scan_finds_added_function(void **state)
{
	struct fake fk = { 0 };
	int found[16];

	(void)state;
	assert_non_null(pci_add_function(&bus, 1, 1, &fake_ide_ops, &fk));
	assert_int_equal(scan_bus0(found, 16), 3);
	assert_int_equal(found[2], BDF(1, 1));
	assert_int_equal(cfg_read(BDF(1, 1), PCI_VENDOR_ID, 4), 0x70108086);
	assert_int_equal(cfg_read(BDF(1, 1), PCI_REVISION_ID, 4), 0x01018000);
}

static void test_config_address_latch(void **state)
{
	(void)state;
	/* Reserved bits 30-24 and 1-0 read back as 0. */
	io_write(PCI_CONFIG_ADDRESS, 4, 0xffffffffu);
	assert_int_equal(io_read(PCI_CONFIG_ADDRESS, 4), 0x80fffffcu);
	/* Byte and word accesses to 0xCF8 are not CONFADD. */
	io_write(PCI_CONFIG_ADDRESS, 4, 0x80000800u);
	io_write(PCI_CONFIG_ADDRESS, 1, 0x00);
	io_write(PCI_CONFIG_ADDRESS, 2, 0x0000);
	assert_int_equal(io_read(PCI_CONFIG_ADDRESS, 4), 0x80000800u);
	assert_int_equal(io_read(PCI_CONFIG_ADDRESS, 1), 0xff);
	assert_int_equal(io_read(PCI_CONFIG_ADDRESS, 2), 0xffff);
}

static void test_sub_dword_accesses(void **state)
{
	(void)state;
	io_write(PCI_CONFIG_ADDRESS, 4, cfg_addr(BDF(0, 0), PCI_VENDOR_ID));
	assert_int_equal(io_read(0xcfc, 1), 0x86);
	assert_int_equal(io_read(0xcfd, 1), 0x80);
	assert_int_equal(io_read(0xcfe, 1), 0x37);
	assert_int_equal(io_read(0xcff, 1), 0x12);
	assert_int_equal(io_read(0xcfc, 2), 0x8086);
	assert_int_equal(io_read(0xcfd, 2), 0x3780); /* unaligned, inside the dword */
	assert_int_equal(io_read(0xcfe, 2), 0x1237);
	/* Accesses running past 0xCFF reach no config register. */
	assert_int_equal(io_read(0xcff, 2), 0xffff);
	assert_int_equal(io_read(0xcfe, 4), 0xffffffffu);
	io_write(0xcff, 2, 0x0000);
	assert_int_equal(io_read(0xcfc, 4), 0x12378086);

	/* Byte write at 0xCFD lands in the latency timer (0x0D) only. */
	io_write(PCI_CONFIG_ADDRESS, 4, cfg_addr(BDF(0, 0), PCI_CACHE_LINE_SIZE));
	io_write(0xcfd, 1, 0x40);
	assert_int_equal(io_read(0xcfc, 4), 0x00004000);
	/* Word write at 0xCFE hits header type (read-only) and BIST (0). */
	io_write(0xcfe, 2, 0xffff);
	assert_int_equal(io_read(0xcfc, 4), 0x00004000);
	assert_int_equal(cfg_read(BDF(0, 0), PCI_LATENCY_TIMER, 1), 0x40);
}

static void test_disabled_and_absent(void **state)
{
	(void)state;
	/* Bit 31 clear: no configuration cycle at all. */
	io_write(PCI_CONFIG_ADDRESS, 4, 0x00000000u | PCI_LATENCY_TIMER);
	assert_int_equal(io_read(0xcfc, 4), 0xffffffffu);
	assert_int_equal(io_read(0xcfd, 1), 0xff);
	io_write(0xcfd, 1, 0x80);
	assert_int_equal(cfg_read(BDF(0, 0), PCI_LATENCY_TIMER, 1), 0x00);

	/* Absent device, absent function, other buses: all ones, writes lost. */
	assert_int_equal(cfg_read(BDF(2, 0), PCI_VENDOR_ID, 4), 0xffffffffu);
	assert_int_equal(cfg_read(BDF(31, 7), PCI_VENDOR_ID, 2), 0xffff);
	assert_int_equal(cfg_read(BDF(1, 2), PCI_VENDOR_ID, 1), 0xff);
	io_write(PCI_CONFIG_ADDRESS, 4, 0x80010000u); /* bus 1, 00.0 */
	assert_int_equal(io_read(0xcfc, 4), 0xffffffffu);
	io_write(0xcfc, 4, 0);
	assert_int_equal(cfg_read(BDF(0, 0), PCI_VENDOR_ID, 4), 0x12378086);
	cfg_write(BDF(2, 0), PCI_COMMAND, 2, 0xffff);
	assert_int_equal(cfg_read(BDF(2, 0), PCI_COMMAND, 2), 0xffff);
}

static void test_read_only_and_masked(void **state)
{
	(void)state;
	for (unsigned reg = 0; reg < PCI_CONFIG_SPACE_SIZE; reg += 4)
		if (reg != I440FX_PAM0 - 1 && reg != I440FX_PAM0 + 3 && reg != I440FX_SMRAM - 2)
			cfg_write(BDF(0, 0), reg, 4, 0xffffffffu);
	assert_int_equal(cfg_read(BDF(0, 0), PCI_VENDOR_ID, 4), 0x12378086);
	assert_int_equal(cfg_read(BDF(0, 0), PCI_REVISION_ID, 4), 0x06000002);
	assert_int_equal(cfg_read(BDF(0, 0), PCI_COMMAND, 4), 0x00000147);
	assert_int_equal(cfg_read(BDF(0, 0), PCI_CACHE_LINE_SIZE, 4), 0x0000ff00);
	assert_int_equal(cfg_read(BDF(0, 0), PCI_SUBSYSTEM_VENDOR_ID, 4), 0x11001af4);
	assert_int_equal(cfg_read(BDF(0, 0), PCI_INTERRUPT_LINE, 4), 0x000000ff);
	/* No BARs and no expansion ROM: sizing reads 0. */
	for (unsigned bar = 0; bar < PCI_NUM_BARS; bar++)
		assert_int_equal(cfg_read(BDF(0, 0), PCI_BASE_ADDRESS_0 + 4 * bar, 4), 0);
	assert_int_equal(cfg_read(BDF(0, 0), PCI_ROM_ADDRESS, 4), 0);
	assert_int_equal(rec.npam, 0);
}

static void expect_pam(unsigned i, uint64_t gpa, uint64_t size, bool r, bool w)
{
	assert_true(i < rec.npam);
	assert_int_equal(rec.pam[i].gpa, gpa);
	assert_int_equal(rec.pam[i].size, size);
	assert_int_equal(rec.pam[i].readable, r);
	assert_int_equal(rec.pam[i].writable, w);
}

/* SeaBIOS src/fw/shadow.c, __make_bios_writable_intel(): dword
 * read-modify-write of 0x58 and 0x5C with PAM0 = 0x30, PAM1-6 = 0x33. */
static void test_pam_make_bios_writable(void **state)
{
	uint8_t pam[8];
	uint32_t lo, hi;

	(void)state;
	lo = cfg_read(BDF(0, 0), 0x58, 4);
	hi = cfg_read(BDF(0, 0), 0x5c, 4);
	assert_int_equal(lo, 0);
	assert_int_equal(hi, 0);
	memcpy(pam, &lo, 4);
	memcpy(pam + 4, &hi, 4);
	assert_false(pam[1] & 0x10); /* ram_present: no, run from the ROM */
	for (unsigned i = 0; i < 6; i++)
		pam[2 + i] = 0x33;
	pam[1] = 0x30;
	memcpy(&lo, pam, 4);
	memcpy(&hi, pam + 4, 4);
	cfg_write(BDF(0, 0), 0x58, 4, lo);
	assert_int_equal(rec.npam, 5);
	cfg_write(BDF(0, 0), 0x5c, 4, hi);
	assert_int_equal(rec.npam, 13);

	expect_pam(0, 0xf0000, 0x10000, true, true);
	for (unsigned i = 0; i < 12; i++)
		expect_pam(1 + i, 0xc0000 + i * 0x4000, 0x4000, true, true);
	assert_int_equal(cfg_read(BDF(0, 0), 0x58, 4), 0x33333000);
	assert_int_equal(cfg_read(BDF(0, 0), 0x5c, 4), 0x33333333);

	/* Writing the same values again changes nothing. */
	cfg_write(BDF(0, 0), 0x58, 4, lo);
	cfg_write(BDF(0, 0), 0x5c, 4, hi);
	assert_int_equal(rec.npam, 13);
}

/* make_bios_readonly_intel() with option ROMs up to 0xC8000: 0xC0000-
 * 0xC7FFF read-only (0x11), 0xC8000-0xCBFFF read-only and 0xCC000 still
 * writable (0x31), the rest untouched, and PAM0 = 0x10. */
static void test_pam_make_bios_readonly(void **state)
{
	(void)state;
	cfg_write(BDF(0, 0), 0x58, 4, 0x33333000);
	cfg_write(BDF(0, 0), 0x5c, 4, 0x33333333);
	rec.npam = 0;

	cfg_write(BDF(0, 0), 0x58, 4, 0x31111000);
	assert_int_equal(rec.npam, 4);
	expect_pam(0, 0xf0000, 0x10000, true, false);
	expect_pam(1, 0xc0000, 0x4000, true, false);
	expect_pam(2, 0xc4000, 0x4000, true, false);
	expect_pam(3, 0xc8000, 0x4000, true, false);
}

static void test_pam_reserved_bits_and_modes(void **state)
{
	(void)state;
	cfg_write(BDF(0, 0), I440FX_PAM0, 1, 0xff);
	assert_int_equal(cfg_read(BDF(0, 0), I440FX_PAM0, 1), 0x30);
	assert_int_equal(rec.npam, 1);
	expect_pam(0, 0xf0000, 0x10000, true, true);

	/* Only bits 1-0 of each nibble exist. */
	cfg_write(BDF(0, 0), I440FX_PAM0 + 1, 1, 0xcc);
	assert_int_equal(cfg_read(BDF(0, 0), I440FX_PAM0 + 1, 1), 0x00);
	assert_int_equal(rec.npam, 1);

	/* Write-only low segment, read-only high segment of PAM6. */
	cfg_write(BDF(0, 0), I440FX_PAM6, 1, 0x12);
	assert_int_equal(rec.npam, 3);
	expect_pam(1, 0xe8000, 0x4000, false, true);
	expect_pam(2, 0xec000, 0x4000, true, false);

	/* Back to the bus: both flags clear (word write to PAM5-PAM6). */
	cfg_write(BDF(0, 0), I440FX_PAM6 - 1, 2, 0x0000);
	assert_int_equal(rec.npam, 5);
	expect_pam(3, 0xe8000, 0x4000, false, false);
	expect_pam(4, 0xec000, 0x4000, false, false);
}

static void test_smram(void **state)
{
	(void)state;
	assert_int_equal(cfg_read(BDF(0, 0), I440FX_SMRAM, 1), 0x02);
	cfg_write(BDF(0, 0), I440FX_SMRAM, 1, 0x48); /* D_OPEN | G_SMRAME */
	assert_int_equal(cfg_read(BDF(0, 0), I440FX_SMRAM, 1), 0x4a);
	cfg_write(BDF(0, 0), I440FX_SMRAM, 1, 0x87); /* reserved, C_BASE_SEG */
	assert_int_equal(cfg_read(BDF(0, 0), I440FX_SMRAM, 1), 0x02);

	/* D_LCK clears D_OPEN; both then stay put until reset. */
	cfg_write(BDF(0, 0), I440FX_SMRAM, 1, 0x58);
	assert_int_equal(cfg_read(BDF(0, 0), I440FX_SMRAM, 1), 0x1a);
	cfg_write(BDF(0, 0), I440FX_SMRAM, 1, 0x40);
	assert_int_equal(cfg_read(BDF(0, 0), I440FX_SMRAM, 1), 0x12);
	cfg_write(BDF(0, 0), I440FX_SMRAM, 1, 0x28); /* D_CLS, G_SMRAME still R/W */
	assert_int_equal(cfg_read(BDF(0, 0), I440FX_SMRAM, 1), 0x3a);

	pci_init(&bus, &chipset, &rec);
	assert_int_equal(cfg_read(BDF(0, 0), I440FX_SMRAM, 1), 0x02);
	assert_int_equal(rec.npam, 0);
}

/* SeaBIOS piix_isa_bridge_setup(): PIRQA-D -> IRQ 10, 10, 11, 11. */
static void test_piix3_pirq(void **state)
{
	static const int irqs[4] = { 10, 10, 11, 11 };

	(void)state;
	assert_int_equal(cfg_read(BDF(1, 0), PIIX3_PIRQRC, 4), 0x80808080u);
	for (unsigned i = 0; i < 4; i++)
		cfg_write(BDF(1, 0), PIIX3_PIRQRC + i, 1, (uint32_t)irqs[i]);
	assert_int_equal(rec.npirq, 4);
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(rec.pirq[i].pirq, i);
		assert_int_equal(rec.pirq[i].irq, irqs[i]);
	}
	assert_int_equal(cfg_read(BDF(1, 0), PIIX3_PIRQRC, 4), 0x0b0b0a0au);

	/* One dword: A unchanged, B disabled, C reserved IRQ 13, D reserved
	 * bits dropped -> IRQ 5. */
	cfg_write(BDF(1, 0), PIIX3_PIRQRC, 4, 0x750d8a0au);
	assert_int_equal(cfg_read(BDF(1, 0), PIIX3_PIRQRC, 4), 0x050d8a0au);
	assert_int_equal(rec.npirq, 7);
	assert_int_equal(rec.pirq[4].pirq, 1);
	assert_int_equal(rec.pirq[4].irq, -1);
	assert_int_equal(rec.pirq[5].pirq, 2);
	assert_int_equal(rec.pirq[5].irq, -1);
	assert_int_equal(rec.pirq[6].pirq, 3);
	assert_int_equal(rec.pirq[6].irq, 5);

	/* Other PIIX3 registers have no callback and are read-only. */
	cfg_write(BDF(1, 0), 0x4c, 4, 0xffffffffu);
	assert_int_equal(cfg_read(BDF(1, 0), 0x4c, 4), 0);
	assert_int_equal(rec.npirq, 7);
}

/* SeaBIOS pci_bios_get_bar(): save, write ~0, read, restore. */
static uint32_t bar_size(unsigned bdf, unsigned bar)
{
	unsigned reg = PCI_BASE_ADDRESS_0 + 4 * bar;
	uint32_t old = cfg_read(bdf, reg, 4), val, mask;

	mask = old & PCI_BASE_ADDRESS_SPACE_IO ? ~0x3u : ~0xfu;
	cfg_write(bdf, reg, 4, ~0u);
	val = cfg_read(bdf, reg, 4);
	cfg_write(bdf, reg, 4, old);
	assert_int_equal(cfg_read(bdf, reg, 4), old);
	return ~(val & mask) + 1;
}

static void test_bar_sizing(void **state)
{
	struct fake fk = { .live = 0xdeadbeef };
	struct pci_function *f;

	(void)state;
	f = pci_add_function(&bus, 1, 1, &fake_ide_ops, &fk);
	assert_non_null(f);
	assert_int_equal(pci_set_bar(f, 4, 16, PCI_BASE_ADDRESS_SPACE_IO), 0);
	assert_int_equal(pci_set_bar(f, 0, 4096, PCI_BASE_ADDRESS_SPACE_MEMORY), 0);
	assert_int_equal(pci_set_bar(f, 5, 0x100000, PCI_BASE_ADDRESS_SPACE_MEMORY |
				     PCI_BASE_ADDRESS_MEM_PREFETCH), 0);

	assert_int_equal(cfg_read(BDF(1, 1), PCI_BASE_ADDRESS_0 + 16, 4), 0x00000001);
	cfg_write(BDF(1, 1), PCI_BASE_ADDRESS_0 + 16, 4, ~0u);
	assert_int_equal(cfg_read(BDF(1, 1), PCI_BASE_ADDRESS_0 + 16, 4), 0xfffffff1u);
	cfg_write(BDF(1, 1), PCI_BASE_ADDRESS_0, 4, ~0u);
	assert_int_equal(cfg_read(BDF(1, 1), PCI_BASE_ADDRESS_0, 4), 0xfffff000u);
	cfg_write(BDF(1, 1), PCI_BASE_ADDRESS_0 + 20, 4, ~0u);
	assert_int_equal(cfg_read(BDF(1, 1), PCI_BASE_ADDRESS_0 + 20, 4), 0xfff00008u);
	cfg_write(BDF(1, 1), PCI_BASE_ADDRESS_0 + 16, 4, 0);
	cfg_write(BDF(1, 1), PCI_BASE_ADDRESS_0, 4, 0);
	cfg_write(BDF(1, 1), PCI_BASE_ADDRESS_0 + 20, 4, 0);

	assert_int_equal(bar_size(BDF(1, 1), 4), 16);
	assert_int_equal(bar_size(BDF(1, 1), 0), 4096);
	assert_int_equal(bar_size(BDF(1, 1), 5), 0x100000);
	assert_int_equal(bar_size(BDF(1, 1), 1), 0); /* no BAR */

	/* Programming: low bits stay the type, the device sees the address. */
	cfg_write(BDF(1, 1), PCI_BASE_ADDRESS_0 + 16, 4, 0xc00f);
	assert_int_equal(cfg_read(BDF(1, 1), PCI_BASE_ADDRESS_0 + 16, 4), 0xc001);
	assert_int_equal(pci_bar_address(f, 4), 0xc000);
	cfg_write(BDF(1, 1), PCI_BASE_ADDRESS_0, 4, 0xfebf1234);
	assert_int_equal(pci_bar_address(f, 0), 0xfebf1000u);
	assert_int_equal(pci_bar_address(f, 6), 0);

	/* Bad BAR declarations. */
	assert_int_equal(pci_set_bar(f, 6, 16, PCI_BASE_ADDRESS_SPACE_IO), -1);
	assert_int_equal(pci_set_bar(f, 2, 24, PCI_BASE_ADDRESS_SPACE_IO), -1);
	assert_int_equal(pci_set_bar(f, 2, 2, PCI_BASE_ADDRESS_SPACE_IO), -1);
	assert_int_equal(pci_set_bar(f, 2, 8, PCI_BASE_ADDRESS_SPACE_MEMORY), -1);
	assert_int_equal(pci_set_bar(f, 2, 0, PCI_BASE_ADDRESS_SPACE_MEMORY), -1);
	assert_int_equal(pci_set_bar(f, 2, 4096, 0x04 /* 64-bit */), -1);
}

static void test_function_hooks(void **state)
{
	struct fake fk = { .live = 0xdeadbeef };
	struct pci_function *f;

	(void)state;
	f = pci_add_function(&bus, 1, 1, &fake_ide_ops, &fk);
	assert_non_null(f);
	pci_set_writable(f, 0x40, 4, 0x0000ffff);
	pci_config_set(f, 0x44, 4, 0x12345678);

	cfg_write(BDF(1, 1), 0x44, 2, 0xffff);
	assert_int_equal(fk.writes, 1);
	assert_int_equal(fk.offset, 0x44);
	assert_int_equal(fk.size, 2);
	assert_int_equal(fk.old, 0x5678);
	assert_int_equal(cfg_read(BDF(1, 1), 0x44, 4), 0x12345678); /* read-only */

	cfg_write(BDF(1, 1), 0x42, 2, 0xabcd);
	assert_int_equal(fk.offset, 0x42);
	assert_int_equal(pci_config_get(f, 0x40, 4), 0x00000000); /* masked out */
	cfg_write(BDF(1, 1), 0x40, 4, 0xabcd1234);
	assert_int_equal(fk.old, 0);
	assert_int_equal(pci_config_get(f, 0x40, 4), 0x00001234);

	/* config_read supplies a live value for its register only. */
	assert_int_equal(cfg_read(BDF(1, 1), 0x40, 4), 0xdeadbeef);
	assert_int_equal(cfg_read(BDF(1, 1), 0x40, 2), 0x1234);
	assert_int_equal(cfg_read(BDF(1, 1), PCI_VENDOR_ID, 4), 0x70108086);
}

static void test_add_function_errors(void **state)
{
	struct fake fk = { 0 };

	(void)state;
	assert_null(pci_add_function(&bus, 32, 0, &fake_ide_ops, &fk));
	assert_null(pci_add_function(&bus, 3, 8, &fake_ide_ops, &fk));
	assert_null(pci_add_function(&bus, 0, 0, &fake_ide_ops, &fk));
	assert_null(pci_add_function(&bus, 3, 0, NULL, &fk));
	for (unsigned dev = 2; dev < 2 + PCI_BUS_MAX_FUNCTIONS - 2; dev++)
		assert_non_null(pci_add_function(&bus, dev, 0, &fake_ide_ops, &fk));
	assert_null(pci_add_function(&bus, 31, 0, &fake_ide_ops, &fk));
	assert_int_equal(cfg_read(BDF(7, 0), PCI_DEVICE_ID, 2), 0x7010);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_attach_claims_ports, setup),
		cmocka_unit_test_setup(test_scan_like_seabios, setup),
		cmocka_unit_test_setup(test_scan_finds_added_function, setup),
		cmocka_unit_test_setup(test_config_address_latch, setup),
		cmocka_unit_test_setup(test_sub_dword_accesses, setup),
		cmocka_unit_test_setup(test_disabled_and_absent, setup),
		cmocka_unit_test_setup(test_read_only_and_masked, setup),
		cmocka_unit_test_setup(test_pam_make_bios_writable, setup),
		cmocka_unit_test_setup(test_pam_make_bios_readonly, setup),
		cmocka_unit_test_setup(test_pam_reserved_bits_and_modes, setup),
		cmocka_unit_test_setup(test_smram, setup),
		cmocka_unit_test_setup(test_piix3_pirq, setup),
		cmocka_unit_test_setup(test_bar_sizing, setup),
		cmocka_unit_test_setup(test_function_hooks, setup),
		cmocka_unit_test_setup(test_add_function_errors, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
