/*
 * PIIX3 IDE: register-level sequences the way SeaBIOS, Linux's ata_piix
 * and DOS drivers issue them.  IDENTIFY data, PIO in LBA28/CHS/LBA48 and
 * multiple mode, bus-master DMA through PRD tables in a fake guest RAM,
 * the ATAPI packet protocol and commands, resets and signatures, nIEN,
 * and every hostile case (addresses past the end, PRDs outside RAM,
 * runaway PRD tables, data port without DRQ) with checks that nothing
 * outside the target changed.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "gpa_map.h"
#include "ide.h"
#include "iobus.h"
#include "pci.h"

#define RAM_SIZE 0x200000
#define RAM_END 0x1f0000   /* guest RAM is [0, RAM_END) */
#define HD_SECTORS 8192    /* 4 MiB disk */
#define HD_SIZE (HD_SECTORS * 512)
#define CD_BLOCKS 300
#define CD_SIZE (CD_BLOCKS * 2048)
#define BM_BASE 0xc000
#define PRDT 0x1000
#define BUF 0x20000

/* Primary and secondary command blocks, device control. */
#define PRI 0x1f0
#define SEC 0x170
#define R_DATA 0
#define R_ERR 1
#define R_FEAT 1
#define R_NSECT 2
#define R_LBAL 3
#define R_LBAM 4
#define R_LBAH 5
#define R_DEV 6
#define R_STATUS 7
#define R_CMD 7
#define PRI_CTRL 0x3f6
#define SEC_CTRL 0x376

#define ST_BSY 0x80
#define ST_DRDY 0x40
#define ST_DSC 0x10
#define ST_DRQ 0x08
#define ST_ERR 0x01
#define ER_IDNF 0x10
#define ER_ABRT 0x04
#define DC_HOB 0x80
#define DC_SRST 0x04
#define DC_NIEN 0x02

#define BM_START 0x01
#define BM_WRITE 0x08 /* bus master writes memory: device reads */
#define BMS_ACTIVE 0x01
#define BMS_ERR 0x02
#define BMS_INT 0x04

struct irq_rec {
	int level;
	unsigned raised;
};

static uint8_t ram[RAM_SIZE] __attribute__((aligned(4096)));
static uint8_t *hd, *hd_copy, *cd;
static struct gpa_map mem;
static struct pci_bus bus;
static struct ide ide;
static struct irq_rec rec[2];

static void rec_set(void *opaque, unsigned irq, int level)
{
	struct irq_rec *r = opaque;

	assert_true(irq == 14 || irq == 15);
	assert_ptr_equal(r, &rec[irq - 14]);
	if (level && !r->level)
		r->raised++;
	r->level = level;
}

static void outb(uint16_t port, uint8_t val)
{
	io_write(port, 1, val);
}

static uint8_t inb(uint16_t port)
{
	return (uint8_t)io_read(port, 1);
}

static uint16_t inw(uint16_t port)
{
	return (uint16_t)io_read(port, 2);
}

static void outw(uint16_t port, uint16_t val)
{
	io_write(port, 2, val);
}

/* The byte at offset off of an image: differs between neighbouring
 * sectors and within a sector. */
static uint8_t pat(uint64_t off)
{
	return (uint8_t)((off >> 9) * 31 + off * 7 + (off >> 11) + 1);
}

static void cfg_write(unsigned reg, unsigned size, uint32_t val)
{
	io_write(PCI_CONFIG_ADDRESS, 4, 0x80000000u | PCI_DEVFN(1, 1) << 8 | (reg & 0xfc));
	io_write((uint16_t)(PCI_CONFIG_DATA + (reg & 3)), size, val);
}

static uint32_t cfg_read(unsigned reg, unsigned size)
{
	io_write(PCI_CONFIG_ADDRESS, 4, 0x80000000u | PCI_DEVFN(1, 1) << 8 | (reg & 0xfc));
	return io_read((uint16_t)(PCI_CONFIG_DATA + (reg & 3)), size);
}

static void setup_common(bool with_cd)
{
	struct irq_line l14 = { rec_set, &rec[0], 14 }, l15 = { rec_set, &rec[1], 15 };

	io_reset();
	memset(&mem, 0, sizeof(mem));
	memset(ram, 0xee, sizeof(ram));
	memset(rec, 0, sizeof(rec));
	assert_int_equal(gpa_map_add(&mem, 0, RAM_END, (uintptr_t)ram, GPA_RWX, "ram"), 0);
	pci_init(&bus, NULL, NULL);
	assert_int_equal(pci_attach(&bus), 0);
	hd = malloc(HD_SIZE);
	hd_copy = malloc(HD_SIZE);
	cd = malloc(CD_SIZE);
	assert_non_null(hd);
	assert_non_null(hd_copy);
	assert_non_null(cd);
	for (uint64_t i = 0; i < HD_SIZE; i++)
		hd[i] = pat(i);
	memcpy(hd_copy, hd, HD_SIZE);
	for (uint64_t i = 0; i < CD_SIZE; i++)
		cd[i] = (uint8_t)~pat(i);
	ide_init(&ide, &l14, &l15, &mem);
	assert_int_equal(ide_attach_disk(&ide, 0, hd, HD_SIZE, IDE_MEDIA_HD), 0);
	if (with_cd)
		assert_int_equal(ide_attach_disk(&ide, 2, cd, CD_SIZE, IDE_MEDIA_CD), 0);
	assert_int_equal(ide_attach(&ide, &bus), 0);
	/* what SeaBIOS's pci setup does: BAR4, I/O + bus master, IDETIM */
	cfg_write(0x20, 4, BM_BASE | 1);
	cfg_write(PCI_COMMAND, 2, PCI_COMMAND_IO | PCI_COMMAND_MASTER);
	cfg_write(0x40, 2, 0x8000);
	cfg_write(0x42, 2, 0x8000);
}

static int setup(void **state)
{
	(void)state;
	setup_common(true);
	return 0;
}

static int setup_hd_only(void **state)
{
	(void)state;
	setup_common(false);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(hd);
	free(hd_copy);
	free(cd);
	return 0;
}

/* --- Driver-side helpers ------------------------------------------------- */

/* ATA-6 LBA28 task file + command, device 0 of the primary channel. */
static void ata_lba28(uint8_t cmd, uint32_t lba, uint8_t count)
{
	outb(PRI + R_DEV, (uint8_t)(0xe0 | (lba >> 24 & 0xf)));
	outb(PRI + R_NSECT, count);
	outb(PRI + R_LBAL, (uint8_t)lba);
	outb(PRI + R_LBAM, (uint8_t)(lba >> 8));
	outb(PRI + R_LBAH, (uint8_t)(lba >> 16));
	outb(PRI + R_CMD, cmd);
}

/* Linux ata_tf_load() for LBA48: HOB bytes first, then the low ones. */
static void ata_lba48(uint8_t cmd, uint64_t lba, uint16_t count)
{
	outb(PRI + R_DEV, 0x40);
	outb(PRI + R_NSECT, (uint8_t)(count >> 8));
	outb(PRI + R_LBAL, (uint8_t)(lba >> 24));
	outb(PRI + R_LBAM, (uint8_t)(lba >> 32));
	outb(PRI + R_LBAH, (uint8_t)(lba >> 40));
	outb(PRI + R_NSECT, (uint8_t)count);
	outb(PRI + R_LBAL, (uint8_t)lba);
	outb(PRI + R_LBAM, (uint8_t)(lba >> 8));
	outb(PRI + R_LBAH, (uint8_t)(lba >> 16));
	outb(PRI + R_CMD, cmd);
}

static void read_words(uint16_t base, void *dst, unsigned bytes)
{
	uint8_t *p = dst;

	for (unsigned i = 0; i < bytes; i += 2) {
		uint16_t w = inw(base + R_DATA);

		p[i] = (uint8_t)w;
		p[i + 1] = (uint8_t)(w >> 8);
	}
}

static void write_words(uint16_t base, const void *src, unsigned bytes)
{
	const uint8_t *p = src;

	for (unsigned i = 0; i < bytes; i += 2)
		outw(base + R_DATA, (uint16_t)(p[i] | p[i + 1] << 8));
}

static uint16_t id_word(const uint8_t *id, unsigned w)
{
	return (uint16_t)(id[2 * w] | id[2 * w + 1] << 8);
}

static void identify(uint16_t base, uint8_t cmd, uint8_t *id)
{
	outb(base + R_CMD, cmd);
	assert_int_equal(inb(base + R_STATUS) & (ST_DRQ | ST_ERR | ST_BSY), ST_DRQ);
	read_words(base, id, 512);
	assert_int_equal(inb(base + R_STATUS) & ST_DRQ, 0);
}

/* Expect the status (read through Status, which acknowledges). */
static void expect_status(uint16_t base, uint8_t status)
{
	assert_int_equal(inb(base + R_STATUS), status);
}

static void expect_error(uint16_t base, uint8_t error)
{
	assert_int_equal(inb(base + R_STATUS), ST_DRDY | ST_DSC | ST_ERR);
	assert_int_equal(inb(base + R_ERR), error);
}

/* One PRD entry at gpa (PIIX3 2.7). */
static void prd(uint32_t gpa, uint32_t addr, uint32_t count, bool eot)
{
	uint8_t *e = &ram[gpa];

	e[0] = (uint8_t)addr;
	e[1] = (uint8_t)(addr >> 8);
	e[2] = (uint8_t)(addr >> 16);
	e[3] = (uint8_t)(addr >> 24);
	e[4] = (uint8_t)count;
	e[5] = (uint8_t)(count >> 8);
	e[6] = 0;
	e[7] = eot ? 0x80 : 0;
}

/* Linux ata_bmdma_setup(): table address, direction, clear INT/ERR. */
static void bm_setup(unsigned ch, uint32_t table, bool to_memory)
{
	uint16_t b = (uint16_t)(BM_BASE + 8 * ch);

	io_write(b + 4, 4, table);
	outb(b, to_memory ? BM_WRITE : 0);
	outb(b + 2, BMS_INT | BMS_ERR);
}

static void bm_start(unsigned ch, bool to_memory)
{
	outb((uint16_t)(BM_BASE + 8 * ch), (uint8_t)(BM_START | (to_memory ? BM_WRITE : 0)));
}

static uint8_t bm_status(unsigned ch)
{
	return inb((uint16_t)(BM_BASE + 8 * ch + 2));
}

/* ATAPI: PACKET with byte count limit, then the 12 command bytes. */
static void atapi_send_packet(const uint8_t *pkt, uint16_t limit, bool dma)
{
	outb(SEC + R_DEV, 0xa0);
	outb(SEC + R_FEAT, dma ? 1 : 0);
	outb(SEC + R_LBAM, (uint8_t)limit);
	outb(SEC + R_LBAH, (uint8_t)(limit >> 8));
	outb(SEC + R_CMD, 0xa0);
	assert_int_equal(inb(SEC_CTRL), ST_DRDY | ST_DRQ);
	assert_int_equal(inb(SEC + R_NSECT), 0x01); /* C/D: command */
	write_words(SEC, pkt, 12);
}

/* Read one DRQ block of a packet command's data; returns its size. */
static unsigned atapi_block(uint8_t *dst)
{
	unsigned n;

	assert_int_equal(inb(SEC + R_STATUS), ST_DRDY | ST_DRQ);
	assert_int_equal(inb(SEC + R_NSECT), 0x02); /* I/O: to host */
	n = inb(SEC + R_LBAM) | inb(SEC + R_LBAH) << 8;
	read_words(SEC, dst, (n + 1) & ~1u);
	return n;
}

static void atapi_expect_good(void)
{
	assert_int_equal(inb(SEC + R_STATUS), ST_DRDY);
	assert_int_equal(inb(SEC + R_NSECT), 0x03);
}

static void atapi_expect_check(uint8_t key)
{
	assert_int_equal(inb(SEC + R_STATUS), ST_DRDY | ST_ERR);
	assert_int_equal(inb(SEC + R_ERR), key << 4);
	assert_int_equal(inb(SEC + R_NSECT), 0x03);
}

/* A whole PIO packet command with data in; returns the bytes read. */
static unsigned atapi_pio(const uint8_t *pkt, uint16_t limit, uint8_t *dst)
{
	unsigned total = 0;

	atapi_send_packet(pkt, limit, false);
	while (inb(SEC_CTRL) & ST_DRQ)
		total += atapi_block(dst + total);
	return total;
}

/* --- Attach, probe, IDENTIFY --------------------------------------------- */

static void test_attach_rejects_bad_args(void **state)
{
	static uint8_t img[4096];

	(void)state;
	assert_int_equal(ide_attach_disk(&ide, 1, img, 0, IDE_MEDIA_HD), -1);
	assert_int_equal(ide_attach_disk(&ide, 1, img, 1000, IDE_MEDIA_HD), -1);
	assert_int_equal(ide_attach_disk(&ide, 1, img, 3072, IDE_MEDIA_CD), -1);
	assert_int_equal(ide_attach_disk(&ide, 4, img, 4096, IDE_MEDIA_HD), -1);
	assert_int_equal(ide_attach_disk(&ide, 0, img, 4096, IDE_MEDIA_HD), -1); /* taken */
	assert_int_equal(ide_attach_disk(&ide, 1, img, 4096, IDE_MEDIA_NONE), -1);
	assert_int_equal(ide_attach_disk(&ide, 1, NULL, 4096, IDE_MEDIA_HD), -1);
	assert_int_equal(ide_attach_disk(&ide, 1, img, 4096, IDE_MEDIA_HD), 0);
}

/* SeaBIOS ata_detect(): the 55h/AAh echo through sector count and LBA
 * low tells present devices from absent ones (which read 0). */
/* The live trace's words for an access come from the model. */
static void test_explain_for_the_trace(void **state)
{
	char buf[64];

	(void)state;
	io_explain(0x1f7, 1, false, 0xc8, buf, sizeof(buf));
	assert_string_equal(buf, "ch0 READ DMA");
	io_explain(0x177, 1, true, 0x58, buf, sizeof(buf));
	assert_string_equal(buf, "ch1 status DRDY DRQ");
	io_explain(0x3f6, 1, false, 0x06, buf, sizeof(buf));
	assert_string_equal(buf, "ch0 device control SRST nIEN");
}

static void test_probe_present_and_absent(void **state)
{
	(void)state;
	outb(PRI + R_DEV, 0xa0);
	outb(PRI + R_NSECT, 0x55);
	outb(PRI + R_LBAL, 0xaa);
	assert_int_equal(inb(PRI + R_NSECT), 0x55);
	assert_int_equal(inb(PRI + R_LBAL), 0xaa);
	assert_int_equal(inb(PRI + R_DEV), 0xa0);
	assert_int_equal(inb(PRI + R_STATUS), ST_DRDY | ST_DSC);

	outb(PRI + R_DEV, 0xb0); /* absent device 1 */
	outb(PRI + R_NSECT, 0x55);
	outb(PRI + R_LBAL, 0xaa);
	assert_int_equal(inb(PRI + R_NSECT), 0);
	assert_int_equal(inb(PRI + R_LBAL), 0);
	assert_int_equal(inb(PRI + R_DEV), 0xb0);
	assert_int_equal(inb(PRI + R_STATUS), 0);
	assert_int_equal(inb(PRI_CTRL), 0);
	/* device 0 latched the same writes */
	outb(PRI + R_DEV, 0xa0);
	assert_int_equal(inb(PRI + R_NSECT), 0x55);
}

static void test_empty_channel_reads_zero(void **state)
{
	(void)state;
	for (unsigned dev = 0; dev < 2; dev++) {
		outb(SEC + R_DEV, (uint8_t)(0xa0 | dev << 4));
		outb(SEC + R_NSECT, 0x55);
		assert_int_equal(inb(SEC + R_NSECT), 0);
		assert_int_equal(inb(SEC + R_STATUS), 0);
		assert_int_equal(inb(SEC_CTRL), 0);
		outb(SEC + R_CMD, 0xec);
		assert_int_equal(inb(SEC + R_STATUS), 0);
		assert_int_equal(inw(SEC + R_DATA), 0xffff);
	}
	assert_int_equal(rec[1].raised, 0);
}

static void test_command_to_absent_slave_ignored(void **state)
{
	(void)state;
	outb(PRI + R_DEV, 0xb0);
	outb(PRI + R_CMD, 0xec);
	assert_int_equal(rec[0].raised, 0);
	assert_int_equal(inb(PRI + R_STATUS), 0);
	assert_int_equal(inw(PRI + R_DATA), 0xffff);
	outb(PRI + R_DEV, 0xa0);
	assert_int_equal(inb(PRI + R_STATUS), ST_DRDY | ST_DSC); /* master untouched */
}

static void test_identify_device(void **state)
{
	uint8_t id[512], sum = 0;
	char model[41];

	(void)state;
	identify(PRI, 0xec, id);
	assert_int_equal(rec[0].raised, 1);
	assert_int_equal(id_word(id, 0), 0x0040);
	assert_int_equal(id_word(id, 1), HD_SECTORS / (16 * 63));
	assert_int_equal(id_word(id, 3), 16);
	assert_int_equal(id_word(id, 6), 63);
	for (unsigned i = 0; i < 40; i++)
		model[i] = (char)id[54 + (i ^ 1)];
	model[40] = 0;
	assert_string_equal(model, "lamina ATA disk                         ");
	assert_int_equal(id[20], 'A'); /* serial "LAMINA-IDE-0": 'L' 'A' swapped */
	assert_int_equal(id[21], 'L');
	assert_int_equal(id_word(id, 47), 0x8010);
	assert_int_equal(id_word(id, 49) & 0x0300, 0x0300); /* LBA, DMA */
	assert_int_equal(id_word(id, 53) & 7, 7);
	assert_int_equal(id_word(id, 54), HD_SECTORS / (16 * 63));
	assert_int_equal(id_word(id, 55), 16);
	assert_int_equal(id_word(id, 56), 63);
	assert_int_equal(id_word(id, 57) | id_word(id, 58) << 16, (HD_SECTORS / 1008) * 1008);
	assert_int_equal(id_word(id, 59), 0);
	assert_int_equal(id_word(id, 60) | id_word(id, 61) << 16, HD_SECTORS);
	assert_int_equal(id_word(id, 63), 0x0407); /* MWDMA 0-2, 2 selected */
	assert_int_equal(id_word(id, 64), 0x0003);
	assert_true(id_word(id, 80) & (1 << 6)); /* ATA/ATAPI-6 */
	assert_int_equal(id_word(id, 83) & 0xc400, 0x4400); /* 48-bit */
	assert_int_equal(id_word(id, 86) & 0x0400, 0x0400);
	assert_int_equal(id_word(id, 88), 0x003f);
	assert_int_equal(id_word(id, 100), HD_SECTORS);
	assert_int_equal(id_word(id, 101) | id_word(id, 102) | id_word(id, 103), 0);
	assert_int_equal(id[510], 0xa5);
	for (unsigned i = 0; i < 512; i++)
		sum = (uint8_t)(sum + id[i]);
	assert_int_equal(sum, 0);
	/* a PIO data-in command ends without another interrupt */
	assert_int_equal(rec[0].raised, 1);
	assert_int_equal(inw(PRI + R_DATA), 0xffff); /* no DRQ any more */
}

/* A disk too big for CHS (and for LBA28) as a sparse mapping: only the
 * pages a test touches exist. */
static void test_identify_big_disk_caps(void **state)
{
	uint64_t sectors = 0x10000000ull + 64, size = sectors * 512;
	uint8_t *big = mmap(NULL, size, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	uint8_t id[512], sec[512];

	(void)state;
	if (big == MAP_FAILED)
		skip();
	big[(sectors - 2) * 512] = 0x5a;
	assert_int_equal(ide_attach_disk(&ide, 1, big, size, IDE_MEDIA_HD), 0);
	outb(PRI + R_DEV, 0xb0);
	identify(PRI, 0xec, id);
	assert_int_equal(id_word(id, 1), 16383);
	assert_int_equal(id_word(id, 60) | id_word(id, 61) << 16, 0x0fffffff);
	assert_int_equal(id_word(id, 100) | (uint32_t)id_word(id, 101) << 16, (uint32_t)sectors);
	assert_int_equal(id_word(id, 102), 0);
	/* LBA48 reaches beyond 2^28 */
	outb(PRI + R_DEV, 0x50);
	outb(PRI + R_NSECT, 0);
	outb(PRI + R_LBAL, 0x10);
	outb(PRI + R_LBAM, 0);
	outb(PRI + R_LBAH, 0);
	outb(PRI + R_NSECT, 1);
	outb(PRI + R_LBAL, (uint8_t)(sectors - 2));
	outb(PRI + R_LBAM, 0);
	outb(PRI + R_LBAH, 0);
	outb(PRI + R_CMD, 0x24);
	assert_int_equal(inb(PRI + R_STATUS), ST_DRDY | ST_DSC | ST_DRQ);
	read_words(PRI, sec, 512);
	assert_int_equal(sec[0], 0x5a);
	munmap(big, size);
}

/* --- PIO ----------------------------------------------------------------- */

static void test_pio_read_lba28(void **state)
{
	uint8_t buf[3 * 512];

	(void)state;
	ata_lba28(0x20, 100, 3);
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(rec[0].raised, i + 1); /* one interrupt per block */
		assert_int_equal(rec[0].level, 1);
		assert_int_equal(inb(PRI + R_STATUS), ST_DRDY | ST_DSC | ST_DRQ);
		assert_int_equal(rec[0].level, 0);
		read_words(PRI, buf + 512 * i, 512);
	}
	assert_memory_equal(buf, hd + 100 * 512, sizeof(buf));
	expect_status(PRI, ST_DRDY | ST_DSC);
	assert_int_equal(rec[0].raised, 3);
	/* the task file holds the last sector read */
	assert_int_equal(inb(PRI + R_LBAL), 102);
	assert_int_equal(inb(PRI + R_NSECT), 0);
}

static void test_pio_read_chs(void **state)
{
	uint8_t buf[512];
	uint32_t lba = (1 * 16 + 2) * 63 + 3 - 1;

	(void)state;
	outb(PRI + R_DEV, 0xa2); /* CHS, head 2 */
	outb(PRI + R_NSECT, 1);
	outb(PRI + R_LBAL, 3);   /* sector 3 */
	outb(PRI + R_LBAM, 1);   /* cylinder 1 */
	outb(PRI + R_LBAH, 0);
	outb(PRI + R_CMD, 0x20);
	assert_int_equal(inb(PRI + R_STATUS), ST_DRDY | ST_DSC | ST_DRQ);
	read_words(PRI, buf, 512);
	assert_memory_equal(buf, hd + lba * 512, 512);
}

static void test_pio_read_lba48_and_hob(void **state)
{
	uint8_t buf[2 * 512];

	(void)state;
	ata_lba48(0x24, 0x1234, 2);
	/* HOB reads the previous contents of the 48-bit registers */
	outb(PRI_CTRL, DC_HOB);
	assert_int_equal(inb(PRI + R_NSECT), 0);
	assert_int_equal(inb(PRI + R_LBAL), 0);
	outb(PRI_CTRL, 0);
	read_words(PRI, buf, 512);
	read_words(PRI, buf + 512, 512);
	assert_memory_equal(buf, hd + 0x1234 * 512, sizeof(buf));
	assert_int_equal(inb(PRI + R_LBAL), 0x35);
	assert_int_equal(inb(PRI + R_LBAM), 0x12);

	outb(PRI + R_LBAL, 0x11);
	outb(PRI + R_LBAL, 0x22);
	outb(PRI_CTRL, DC_HOB);
	assert_int_equal(inb(PRI + R_LBAL), 0x11);
	outb(PRI + R_LBAM, 0x33); /* a command block write clears HOB */
	assert_int_equal(inb(PRI + R_LBAL), 0x22);
}

static void test_sector_count_zero(void **state)
{
	uint8_t buf[512];

	(void)state;
	ata_lba28(0x20, 0, 0); /* 256 sectors */
	for (unsigned i = 0; i < 256; i++) {
		assert_int_equal(inb(PRI + R_STATUS) & ST_DRQ, ST_DRQ);
		read_words(PRI, buf, 512);
		assert_memory_equal(buf, hd + i * 512, 512);
	}
	expect_status(PRI, ST_DRDY | ST_DSC);
	assert_int_equal(rec[0].raised, 256);
	/* LBA48 count 0 = 65536 sectors: more than this 8192-sector disk */
	ata_lba48(0x24, 0, 0);
	expect_error(PRI, ER_IDNF);
}

static void test_pio_write_lba28(void **state)
{
	uint8_t data[2 * 512];

	(void)state;
	for (unsigned i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 5 + 3);
	ata_lba28(0x30, 500, 2);
	assert_int_equal(rec[0].raised, 0); /* no interrupt before the first block */
	assert_int_equal(inb(PRI_CTRL), ST_DRDY | ST_DSC | ST_DRQ);
	write_words(PRI, data, 512);
	assert_int_equal(rec[0].raised, 1);
	assert_int_equal(inb(PRI + R_STATUS), ST_DRDY | ST_DSC | ST_DRQ);
	write_words(PRI, data + 512, 512);
	assert_int_equal(rec[0].raised, 2);
	expect_status(PRI, ST_DRDY | ST_DSC);
	assert_memory_equal(hd + 500 * 512, data, sizeof(data));
	assert_memory_equal(hd, hd_copy, 500 * 512);
	assert_memory_equal(hd + 502 * 512, hd_copy + 502 * 512, HD_SIZE - 502 * 512);
}

static void test_multiple_mode(void **state)
{
	uint8_t buf[10 * 512], id[512];

	(void)state;
	outb(PRI + R_NSECT, 4);
	outb(PRI + R_CMD, 0xc6); /* SET MULTIPLE MODE */
	expect_status(PRI, ST_DRDY | ST_DSC);
	identify(PRI, 0xec, id);
	assert_int_equal(id_word(id, 59), 0x0104);
	rec[0].raised = 0;
	ata_lba28(0xc4, 40, 10); /* READ MULTIPLE: blocks of 4, 4, 2 */
	for (unsigned i = 0, off = 0; i < 3; i++) {
		unsigned n = i < 2 ? 4 : 2;

		assert_int_equal(inb(PRI + R_STATUS), ST_DRDY | ST_DSC | ST_DRQ);
		read_words(PRI, buf + off, n * 512);
		off += n * 512;
	}
	assert_int_equal(rec[0].raised, 3);
	expect_status(PRI, ST_DRDY | ST_DSC);
	assert_memory_equal(buf, hd + 40 * 512, sizeof(buf));

	/* WRITE MULTIPLE EXT: 6 sectors in blocks of 4 and 2 */
	memset(buf, 0x3c, 6 * 512);
	ata_lba48(0x39, 7000, 6);
	write_words(PRI, buf, 4 * 512);
	assert_int_equal(inb(PRI + R_STATUS), ST_DRDY | ST_DSC | ST_DRQ);
	write_words(PRI, buf + 4 * 512, 2 * 512);
	expect_status(PRI, ST_DRDY | ST_DSC);
	assert_memory_equal(hd + 7000 * 512, buf, 6 * 512);
	assert_memory_equal(hd + 7006 * 512, hd_copy + 7006 * 512, 512);
}

static void test_multiple_mode_errors(void **state)
{
	(void)state;
	ata_lba28(0xc4, 0, 1); /* multiple mode off */
	expect_error(PRI, ER_ABRT);
	outb(PRI + R_NSECT, 3);
	outb(PRI + R_CMD, 0xc6);
	expect_error(PRI, ER_ABRT);
	outb(PRI + R_NSECT, 32);
	outb(PRI + R_CMD, 0xc6);
	expect_error(PRI, ER_ABRT);
	ata_lba28(0xc5, 0, 1);
	expect_error(PRI, ER_ABRT);
	assert_memory_equal(hd, hd_copy, HD_SIZE);
}

static void test_32bit_data_port(void **state)
{
	uint8_t id16[512];
	uint32_t dw[128];

	(void)state;
	identify(PRI, 0xec, id16);
	outb(PRI + R_CMD, 0xec);
	for (unsigned i = 0; i < 128; i++)
		dw[i] = io_read(PRI + R_DATA, 4);
	assert_memory_equal(dw, id16, 512);
	expect_status(PRI, ST_DRDY | ST_DSC);
	/* 32-bit writes too */
	ata_lba28(0x30, 9, 1);
	for (unsigned i = 0; i < 128; i++)
		io_write(PRI + R_DATA, 4, 0x01020304u * i);
	expect_status(PRI, ST_DRDY | ST_DSC);
	assert_int_equal(hd[9 * 512 + 4], 0x04);
	assert_int_equal(hd[9 * 512 + 7], 0x01);
}

/* --- Errors -------------------------------------------------------------- */

static void test_read_past_end_idnf(void **state)
{
	(void)state;
	ata_lba28(0x20, HD_SECTORS - 1, 2);
	expect_error(PRI, ER_IDNF);
	assert_int_equal(rec[0].raised, 1);
	assert_int_equal(inw(PRI + R_DATA), 0xffff);
	ata_lba28(0x20, HD_SECTORS, 1);
	expect_error(PRI, ER_IDNF);
	ata_lba48(0x24, 0x0000ffffffffffffull, 1);
	expect_error(PRI, ER_IDNF);
	ata_lba28(0x20, HD_SECTORS - 1, 1); /* the last sector itself is fine */
	assert_int_equal(inb(PRI + R_STATUS), ST_DRDY | ST_DSC | ST_DRQ);
}

static void test_write_past_end_idnf(void **state)
{
	(void)state;
	ata_lba28(0x30, HD_SECTORS - 2, 3);
	expect_error(PRI, ER_IDNF);
	for (unsigned i = 0; i < 256; i++)
		outw(PRI + R_DATA, 0xdead);
	ata_lba48(0x34, HD_SECTORS, 1);
	expect_error(PRI, ER_IDNF);
	assert_memory_equal(hd, hd_copy, HD_SIZE);
}

static void test_chs_out_of_geometry_idnf(void **state)
{
	(void)state;
	outb(PRI + R_DEV, 0xa0);
	outb(PRI + R_NSECT, 1);
	outb(PRI + R_LBAL, 0); /* sector 0 does not exist */
	outb(PRI + R_LBAM, 0);
	outb(PRI + R_LBAH, 0);
	outb(PRI + R_CMD, 0x20);
	expect_error(PRI, ER_IDNF);
	outb(PRI + R_LBAL, 64); /* beyond 63 sectors per track */
	outb(PRI + R_CMD, 0x20);
	expect_error(PRI, ER_IDNF);
	outb(PRI + R_LBAL, 1);
	outb(PRI + R_LBAM, 200); /* beyond the cylinders */
	outb(PRI + R_CMD, 0x20);
	expect_error(PRI, ER_IDNF);
}

static void test_unknown_commands_abort(void **state)
{
	static const uint8_t cmds[] = { 0x00, 0xff, 0xa0, 0xa1, 0x08, 0xb0, 0xf8 };

	(void)state;
	for (unsigned i = 0; i < sizeof(cmds); i++) {
		outb(PRI + R_CMD, cmds[i]);
		expect_error(PRI, ER_ABRT);
		assert_int_equal(rec[0].raised, i + 1);
	}
}

static void test_data_port_without_drq(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 1000; i++) {
		assert_int_equal(inw(PRI + R_DATA), 0xffff);
		outw(PRI + R_DATA, 0x1234);
		io_write(PRI + R_DATA, 4, 0x12345678);
	}
	assert_memory_equal(hd, hd_copy, HD_SIZE);
	expect_status(PRI, ST_DRDY | ST_DSC);
}

/* --- Interrupts and resets ----------------------------------------------- */

static void test_status_and_alt_status(void **state)
{
	(void)state;
	outb(PRI + R_CMD, 0xe7); /* FLUSH CACHE */
	assert_int_equal(rec[0].level, 1);
	assert_int_equal(inb(PRI_CTRL), ST_DRDY | ST_DSC);
	assert_int_equal(rec[0].level, 1); /* alt status leaves it pending */
	assert_int_equal(inb(PRI + R_STATUS), ST_DRDY | ST_DSC);
	assert_int_equal(rec[0].level, 0);
	outb(PRI + R_CMD, 0xe7);
	assert_int_equal(rec[0].level, 1);
	outb(PRI + R_CMD, 0xe7); /* a new command lowers it, then raises again */
	assert_int_equal(rec[0].raised, 3);
}

static void test_nien_masks_irq(void **state)
{
	(void)state;
	outb(PRI_CTRL, DC_NIEN);
	outb(PRI + R_CMD, 0xe7);
	assert_int_equal(rec[0].raised, 0);
	assert_int_equal(rec[0].level, 0);
	outb(PRI_CTRL, 0); /* still pending: the line rises now */
	assert_int_equal(rec[0].level, 1);
	outb(PRI_CTRL, DC_NIEN);
	assert_int_equal(rec[0].level, 0);
	inb(PRI + R_STATUS);
	outb(PRI_CTRL, 0);
	assert_int_equal(rec[0].level, 0);
	assert_int_equal(rec[1].raised, 0);
}

static void test_srst_signatures(void **state)
{
	uint8_t id[512];

	(void)state;
	ata_lba28(0x20, 5, 1); /* a transfer in progress is abandoned */
	outb(PRI_CTRL, DC_SRST | DC_NIEN);
	assert_int_equal(inb(PRI_CTRL), ST_BSY);
	outb(PRI + R_CMD, 0xec); /* ignored during reset */
	outb(PRI_CTRL, DC_NIEN);
	assert_int_equal(inb(PRI + R_STATUS), ST_DRDY | ST_DSC);
	assert_int_equal(inb(PRI + R_ERR), 0x01);
	assert_int_equal(inb(PRI + R_NSECT), 0x01);
	assert_int_equal(inb(PRI + R_LBAL), 0x01);
	assert_int_equal(inb(PRI + R_LBAM), 0x00);
	assert_int_equal(inb(PRI + R_LBAH), 0x00);
	assert_int_equal(inw(PRI + R_DATA), 0xffff);

	outb(SEC_CTRL, DC_SRST);
	outb(SEC_CTRL, 0);
	assert_int_equal(inb(SEC + R_STATUS), 0); /* ATAPI: DRDY clear */
	assert_int_equal(inb(SEC + R_ERR), 0x01);
	assert_int_equal(inb(SEC + R_NSECT), 0x01);
	assert_int_equal(inb(SEC + R_LBAL), 0x01);
	assert_int_equal(inb(SEC + R_LBAM), 0x14);
	assert_int_equal(inb(SEC + R_LBAH), 0xeb);
	/* IDENTIFY DEVICE to the CD: aborted, signature again */
	outb(SEC + R_LBAM, 0);
	outb(SEC + R_CMD, 0xec);
	assert_int_equal(inb(SEC + R_STATUS), ST_DRDY | ST_ERR);
	assert_int_equal(inb(SEC + R_ERR), ER_ABRT);
	assert_int_equal(inb(SEC + R_LBAM), 0x14);
	assert_int_equal(inb(SEC + R_LBAH), 0xeb);
	identify(SEC, 0xa1, id);
	assert_int_equal(id_word(id, 0), 0x85c0);
}

static void test_execute_device_diagnostic(void **state)
{
	(void)state;
	outb(PRI + R_LBAM, 0x77);
	outb(PRI + R_CMD, 0x90);
	assert_int_equal(rec[0].raised, 1);
	assert_int_equal(inb(PRI + R_STATUS), ST_DRDY | ST_DSC);
	assert_int_equal(inb(PRI + R_ERR), 0x01);
	assert_int_equal(inb(PRI + R_LBAM), 0);
	outb(SEC + R_CMD, 0x90);
	assert_int_equal(rec[1].raised, 1);
	assert_int_equal(inb(SEC + R_LBAH), 0xeb);
}

/* --- Settings ------------------------------------------------------------ */

static void test_initialize_device_parameters(void **state)
{
	uint8_t id[512], buf[512];
	uint32_t lba = (3 * 8 + 5) * 32 + 7 - 1;

	(void)state;
	outb(PRI + R_NSECT, 32);
	outb(PRI + R_DEV, 0xa7); /* 8 heads */
	outb(PRI + R_CMD, 0x91);
	expect_status(PRI, ST_DRDY | ST_DSC);
	identify(PRI, 0xec, id);
	assert_int_equal(id_word(id, 54), HD_SECTORS / (8 * 32));
	assert_int_equal(id_word(id, 55), 8);
	assert_int_equal(id_word(id, 56), 32);
	assert_int_equal(id_word(id, 1), HD_SECTORS / 1008); /* default unchanged */
	outb(PRI + R_DEV, 0xa5);
	outb(PRI + R_NSECT, 1);
	outb(PRI + R_LBAL, 7);
	outb(PRI + R_LBAM, 3);
	outb(PRI + R_LBAH, 0);
	outb(PRI + R_CMD, 0x20);
	read_words(PRI, buf, 512);
	assert_memory_equal(buf, hd + lba * 512, 512);
	/* 0 sectors per track cannot work */
	outb(PRI + R_NSECT, 0);
	outb(PRI + R_CMD, 0x91);
	expect_error(PRI, ER_ABRT);
}

static void test_set_features(void **state)
{
	uint8_t id[512];

	(void)state;
	outb(PRI + R_FEAT, 0x03);
	outb(PRI + R_NSECT, 0x42); /* UDMA 2 */
	outb(PRI + R_CMD, 0xef);
	expect_status(PRI, ST_DRDY | ST_DSC);
	identify(PRI, 0xec, id);
	assert_int_equal(id_word(id, 88), 0x043f);
	assert_int_equal(id_word(id, 63), 0x0007);
	outb(PRI + R_FEAT, 0x03);
	outb(PRI + R_NSECT, 0x21); /* MWDMA 1 */
	outb(PRI + R_CMD, 0xef);
	expect_status(PRI, ST_DRDY | ST_DSC);
	identify(PRI, 0xec, id);
	assert_int_equal(id_word(id, 63), 0x0207);
	assert_int_equal(id_word(id, 88), 0x003f);
	assert_int_equal(id_word(id, 85) & 0x20, 0x20);
	outb(PRI + R_FEAT, 0x82); /* write cache off */
	outb(PRI + R_CMD, 0xef);
	expect_status(PRI, ST_DRDY | ST_DSC);
	identify(PRI, 0xec, id);
	assert_int_equal(id_word(id, 85) & 0x20, 0);
	outb(PRI + R_FEAT, 0x03);
	outb(PRI + R_NSECT, 0x47); /* UDMA 7: not supported */
	outb(PRI + R_CMD, 0xef);
	expect_error(PRI, ER_ABRT);
	outb(PRI + R_FEAT, 0x99);
	outb(PRI + R_CMD, 0xef);
	expect_error(PRI, ER_ABRT);
}

static void test_power_seek_verify(void **state)
{
	(void)state;
	outb(PRI + R_CMD, 0xe0); /* STANDBY IMMEDIATE */
	expect_status(PRI, ST_DRDY | ST_DSC);
	outb(PRI + R_CMD, 0xe5);
	expect_status(PRI, ST_DRDY | ST_DSC);
	assert_int_equal(inb(PRI + R_NSECT), 0x00);
	outb(PRI + R_CMD, 0xe1); /* IDLE IMMEDIATE */
	outb(PRI + R_CMD, 0xe5);
	assert_int_equal(inb(PRI + R_NSECT), 0xff);
	outb(PRI + R_CMD, 0xe2);
	outb(PRI + R_CMD, 0xe3);
	outb(PRI + R_CMD, 0xea); /* FLUSH CACHE EXT */
	outb(PRI + R_CMD, 0x10); /* RECALIBRATE */
	expect_status(PRI, ST_DRDY | ST_DSC);
	ata_lba28(0x70, 1000, 1); /* SEEK */
	expect_status(PRI, ST_DRDY | ST_DSC);
	ata_lba28(0x70, HD_SECTORS, 1);
	expect_error(PRI, ER_IDNF);
	ata_lba28(0x40, 10, 20); /* READ VERIFY: no data phase */
	expect_status(PRI, ST_DRDY | ST_DSC);
	assert_int_equal(inw(PRI + R_DATA), 0xffff);
	ata_lba48(0x42, HD_SECTORS - 4, 5);
	expect_error(PRI, ER_IDNF);
}

/* --- Bus-master DMA ------------------------------------------------------ */

static void test_dma_read_multi_prd(void **state)
{
	(void)state;
	prd(PRDT, BUF, 1024, false);
	prd(PRDT + 8, BUF + 0x4000, 512, false);
	prd(PRDT + 16, BUF + 0x8000, 2048, true);
	bm_setup(0, PRDT, true);
	ata_lba28(0xc8, 200, 7); /* READ DMA */
	assert_int_equal(inb(PRI_CTRL), ST_DRDY | ST_DSC | ST_DRQ);
	assert_int_equal(rec[0].raised, 0);
	bm_start(0, true);
	assert_int_equal(rec[0].raised, 1);
	assert_int_equal(bm_status(0), BMS_INT);
	outb(BM_BASE, BM_WRITE); /* Linux ata_bmdma_stop() */
	expect_status(PRI, ST_DRDY | ST_DSC);
	assert_memory_equal(&ram[BUF], hd + 200 * 512, 1024);
	assert_memory_equal(&ram[BUF + 0x4000], hd + 202 * 512, 512);
	assert_memory_equal(&ram[BUF + 0x8000], hd + 203 * 512, 2048);
	assert_int_equal(ram[BUF + 1024], 0xee);
	assert_int_equal(ram[BUF + 0x4000 + 512], 0xee);
	assert_int_equal(ram[BUF + 0x8000 + 2048], 0xee);
	assert_int_equal(ram[BUF - 1], 0xee);
	assert_int_equal(inb(PRI + R_LBAL), 206);
	outb(BM_BASE + 2, BMS_INT); /* write 1 to clear */
	assert_int_equal(bm_status(0), 0);
}

static void test_dma_start_before_command_and_write(void **state)
{
	(void)state;
	memset(&ram[BUF], 0x71, 4096);
	prd(PRDT, BUF, 4096, true);
	bm_setup(0, PRDT, false);
	bm_start(0, false);
	assert_int_equal(bm_status(0), BMS_ACTIVE);
	ata_lba48(0x35, 3000, 8); /* WRITE DMA EXT */
	assert_int_equal(bm_status(0), BMS_INT);
	assert_int_equal(rec[0].raised, 1);
	expect_status(PRI, ST_DRDY | ST_DSC);
	for (unsigned i = 0; i < 4096; i++)
		assert_int_equal(hd[3000 * 512 + i], 0x71);
	assert_memory_equal(hd, hd_copy, 3000 * 512);
	assert_memory_equal(hd + 3008 * 512, hd_copy + 3008 * 512, HD_SIZE - 3008 * 512);
}

static void test_dma_prd_count_zero_is_64k(void **state)
{
	(void)state;
	prd(PRDT, BUF, 0, true);
	bm_setup(0, PRDT, true);
	ata_lba28(0xc8, 1000, 128);
	bm_start(0, true);
	assert_int_equal(bm_status(0), BMS_INT);
	assert_memory_equal(&ram[BUF], hd + 1000 * 512, 0x10000);
	assert_int_equal(ram[BUF + 0x10000], 0xee);
}

/* PIIX3 2.7: a table larger than the transfer leaves Active set with
 * the interrupt; the driver stops the engine. */
static void test_dma_prd_larger_than_transfer(void **state)
{
	(void)state;
	prd(PRDT, BUF, 8192, true);
	bm_setup(0, PRDT, true);
	ata_lba28(0xc8, 10, 2);
	bm_start(0, true);
	assert_int_equal(bm_status(0), BMS_INT | BMS_ACTIVE);
	assert_memory_equal(&ram[BUF], hd + 10 * 512, 1024);
	assert_int_equal(ram[BUF + 1024], 0xee);
	outb(BM_BASE, 0);
	assert_int_equal(bm_status(0), BMS_INT);
}

/* A table shorter than the transfer: Active and Interrupt both 0, no
 * IRQ; the covered part arrived, the device reports the abort. */
static void test_dma_prd_shorter_than_transfer(void **state)
{
	(void)state;
	prd(PRDT, BUF, 1024, true);
	bm_setup(0, PRDT, true);
	ata_lba28(0xc8, 10, 4);
	bm_start(0, true);
	assert_int_equal(bm_status(0), 0);
	assert_int_equal(rec[0].raised, 0);
	assert_memory_equal(&ram[BUF], hd + 10 * 512, 1024);
	assert_int_equal(ram[BUF + 1024], 0xee);
	assert_int_equal(inb(PRI_CTRL), ST_DRDY | ST_DSC | ST_ERR);
	assert_int_equal(inb(PRI + R_ERR), ER_ABRT);
}

/* A region outside guest RAM: BM error, nothing moved (not even the
 * valid first region), the command ends in ABRT with an interrupt. */
static void test_dma_prd_outside_ram(void **state)
{
	(void)state;
	prd(PRDT, BUF, 512, false);
	prd(PRDT + 8, RAM_END - 512, 1024, true); /* runs off the end of RAM */
	bm_setup(0, PRDT, true);
	ata_lba28(0xc8, 10, 3);
	bm_start(0, true);
	assert_int_equal(bm_status(0), BMS_ERR | BMS_INT);
	assert_int_equal(rec[0].raised, 1);
	expect_error(PRI, ER_ABRT);
	for (unsigned i = 0; i < RAM_END; i++)
		if (i < PRDT || i >= PRDT + 16)
			assert_int_equal(ram[i], 0xee);

	/* DMA write from outside RAM: the image stays as it was */
	prd(PRDT, 0xfff00000u, 512, true);
	bm_setup(0, PRDT, false);
	ata_lba28(0xca, 10, 1);
	bm_start(0, false);
	assert_int_equal(bm_status(0) & BMS_ERR, BMS_ERR);
	assert_memory_equal(hd, hd_copy, HD_SIZE);

	/* the PRD table itself outside RAM */
	bm_setup(0, 0x80000000u, true);
	ata_lba28(0xc8, 10, 1);
	bm_start(0, true);
	assert_int_equal(bm_status(0), BMS_ERR | BMS_INT);
}

/* No EOT: the walk stops where the table would leave its 64 KiB page. */
static void test_dma_prd_table_unterminated(void **state)
{
	uint32_t table = 0x30000 - 64; /* 8 entries before the boundary */

	(void)state;
	for (unsigned i = 0; i < 16; i++)
		prd(table + 8 * i, BUF, 2, false); /* the next page too: no EOT */
	bm_setup(0, table, true);
	ata_lba28(0xc8, 0, 1); /* 512 bytes need 256 entries */
	bm_start(0, true);
	assert_int_equal(bm_status(0), BMS_ERR | BMS_INT);
	expect_error(PRI, ER_ABRT);
	assert_int_equal(ram[BUF], 0xee);
	assert_int_equal(ram[BUF + 1], 0xee);
}

static void test_bm_registers(void **state)
{
	(void)state;
	io_write(BM_BASE + 4, 4, 0x12345677);
	assert_int_equal(io_read(BM_BASE + 4, 4), 0x12345674); /* dword aligned */
	outb(BM_BASE + 2, 0x60);                              /* DMA capable bits */
	assert_int_equal(bm_status(0), 0x60);
	outb(BM_BASE + 2, 0x07); /* Active is read-only, INT/ERR were 0 */
	assert_int_equal(bm_status(0), 0x00);
	outb(BM_BASE, 0xff);
	assert_int_equal(inb(BM_BASE), BM_START | BM_WRITE);
	assert_int_equal(bm_status(0), BMS_ACTIVE);
	outb(BM_BASE, 0);
	assert_int_equal(bm_status(0), 0);
	assert_int_equal(inb(BM_BASE + 1), 0);
	assert_int_equal(inb(BM_BASE + 3), 0);
	/* the secondary channel at +8 is separate */
	io_write(BM_BASE + 12, 4, 0xabcd0);
	assert_int_equal(io_read(BM_BASE + 12, 4), 0xabcd0);
	assert_int_equal(io_read(BM_BASE + 4, 4), 0x12345674);
}

static void test_pci_function(void **state)
{
	(void)state;
	assert_int_equal(cfg_read(0, 4), 0x70108086);
	assert_int_equal(cfg_read(0x08, 4) >> 8, 0x010180);
	assert_int_equal(cfg_read(PCI_INTERRUPT_PIN, 1), 0);
	assert_int_equal(cfg_read(0x40, 2), 0x8000);
	cfg_write(0x40, 2, 0xffff);
	assert_int_equal(cfg_read(0x40, 2), 0xf3ff);
	/* BAR4 sizing: 16 bytes of I/O */
	cfg_write(0x20, 4, 0xffffffff);
	assert_int_equal(cfg_read(0x20, 4), 0xfffffff1);
	assert_int_equal(inb(BM_BASE + 2), 0xff); /* the window left 0xC000 */
	cfg_write(0x20, 4, 0xd000);
	assert_int_equal(cfg_read(0x20, 4), 0xd001);
	outb(0xd002, 0x20);
	assert_int_equal(inb(0xd002), 0x20);
	assert_int_equal(inb(BM_BASE + 2), 0xff);
	cfg_write(PCI_COMMAND, 2, 0); /* I/O decode off */
	assert_int_equal(inb(0xd002), 0xff);
	cfg_write(PCI_COMMAND, 2, PCI_COMMAND_IO);
	assert_int_equal(inb(0xd002), 0x20);
	/* legacy ports are always there */
	assert_int_equal(inb(PRI + R_STATUS), ST_DRDY | ST_DSC);
}

/* --- ATAPI --------------------------------------------------------------- */

static const uint8_t pkt_inquiry[12] = { 0x12, 0, 0, 0, 36 };
static const uint8_t pkt_capacity[12] = { 0x25 };
static const uint8_t pkt_sense[12] = { 0x03, 0, 0, 0, 18 };

static void test_atapi_identify_packet(void **state)
{
	uint8_t id[512];
	char model[41];

	(void)state;
	outb(SEC + R_DEV, 0xa0);
	identify(SEC, 0xa1, id);
	assert_int_equal(id_word(id, 0), 0x85c0);
	assert_int_equal(id_word(id, 49) & 0x0300, 0x0300);
	for (unsigned i = 0; i < 40; i++)
		model[i] = (char)id[54 + (i ^ 1)];
	model[40] = 0;
	assert_memory_equal(model, "lamina ATAPI CD-ROM ", 20);
	assert_int_equal(rec[1].raised, 1);
	assert_int_equal(inb(SEC + R_STATUS), ST_DRDY);
}

static void test_atapi_inquiry(void **state)
{
	uint8_t buf[64];

	(void)state;
	atapi_send_packet(pkt_inquiry, 0xfffe, false);
	assert_int_equal(rec[1].raised, 1);
	assert_int_equal(atapi_block(buf), 36);
	assert_int_equal(rec[1].raised, 2);
	atapi_expect_good();
	assert_int_equal(buf[0], 0x05);
	assert_int_equal(buf[1], 0x80);
	assert_memory_equal(buf + 8, "LAMINA  ATAPI CD-ROM    1.0 ", 28);

	/* allocation length 5: an odd byte count, the last word half full */
	static const uint8_t short_inq[12] = { 0x12, 0, 0, 0, 5 };
	memset(buf, 0xaa, sizeof(buf));
	atapi_send_packet(short_inq, 0xfffe, false);
	assert_int_equal(atapi_block(buf), 5);
	assert_int_equal(buf[4], 31);
	assert_int_equal(buf[5], 0);
	atapi_expect_good();
}

static void test_atapi_read_capacity(void **state)
{
	uint8_t buf[8];

	(void)state;
	assert_int_equal(atapi_pio(pkt_capacity, 0xfffe, buf), 8);
	atapi_expect_good();
	assert_int_equal(buf[2] << 8 | buf[3], CD_BLOCKS - 1);
	assert_int_equal(buf[6] << 8 | buf[7], 2048);
}

/* SeaBIOS cdb_read(): READ(10) with byte count limit 2048. */
static void test_atapi_read10_pio(void **state)
{
	static const uint8_t pkt[12] = { 0x28, 0, 0, 0, 0, 17, 0, 0, 3 };
	uint8_t *buf = malloc(3 * 2048);
	unsigned irqs = rec[1].raised;

	(void)state;
	atapi_send_packet(pkt, 2048, false);
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(rec[1].raised, irqs + 1 + i);
		assert_int_equal(atapi_block(buf + 2048 * i), 2048);
	}
	atapi_expect_good();
	assert_int_equal(rec[1].raised, irqs + 4);
	assert_memory_equal(buf, cd + 17 * 2048, 3 * 2048);
	free(buf);
}

/* Byte count limits: odd ones are made even, ones above a block are cut
 * to whole blocks, small ones split the data. */
static void test_atapi_byte_count_limits(void **state)
{
	static const uint8_t pkt12[12] = { 0xa8, 0, 0, 0, 0, 5, 0, 0, 0, 2 };
	uint8_t *buf = malloc(2 * 2048);
	unsigned n;

	(void)state;
	atapi_send_packet(pkt12, 0x0fff, false); /* READ(12), limit 4095 */
	assert_int_equal(atapi_block(buf), 2048);
	assert_int_equal(atapi_block(buf + 2048), 2048);
	atapi_expect_good();
	assert_memory_equal(buf, cd + 5 * 2048, 2 * 2048);

	atapi_send_packet(pkt12, 1001, false); /* 1000-byte blocks */
	n = 0;
	while (inb(SEC_CTRL) & ST_DRQ) {
		unsigned got = atapi_block(buf + n);

		assert_true(got == 1000 || got == 96);
		n += got;
	}
	assert_int_equal(n, 4096);
	atapi_expect_good();
	assert_memory_equal(buf, cd + 5 * 2048, 2 * 2048);
	free(buf);
}

static void test_atapi_illegal_opcode_and_request_sense(void **state)
{
	static const uint8_t bad[12] = { 0xff };
	uint8_t sense[18];

	(void)state;
	atapi_send_packet(bad, 0xfffe, false);
	atapi_expect_check(0x05);
	assert_int_equal(atapi_pio(pkt_sense, 0xfffe, sense), 18);
	atapi_expect_good();
	assert_int_equal(sense[0], 0x70);
	assert_int_equal(sense[2], 0x05);
	assert_int_equal(sense[7], 10);
	assert_int_equal(sense[12], 0x20);
	assert_int_equal(sense[13], 0x00);
	/* the sense was consumed */
	assert_int_equal(atapi_pio(pkt_sense, 0xfffe, sense), 18);
	assert_int_equal(sense[2], 0);
	assert_int_equal(sense[12], 0);
}

static void test_atapi_read_past_end(void **state)
{
	static const uint8_t pkt[12] = { 0x28, 0, 0, 0, (CD_BLOCKS - 1) >> 8, (CD_BLOCKS - 1) & 0xff,
					 0, 0, 2 };
	static const uint8_t huge[12] = { 0xa8, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff };
	uint8_t sense[18];

	(void)state;
	atapi_send_packet(pkt, 0xfffe, false);
	atapi_expect_check(0x05);
	assert_int_equal(inw(SEC + R_DATA), 0xffff);
	atapi_pio(pkt_sense, 0xfffe, sense);
	assert_int_equal(sense[12], 0x21);
	atapi_send_packet(huge, 0xfffe, false);
	atapi_expect_check(0x05);
}

static void test_atapi_read_toc(void **state)
{
	static const uint8_t toc_lba[12] = { 0x43, 0, 0, 0, 0, 0, 0, 0, 100 };
	static const uint8_t toc_msf[12] = { 0x43, 0x02, 0, 0, 0, 0, 0, 0, 100 };
	static const uint8_t toc_sess[12] = { 0x43, 0, 1, 0, 0, 0, 0, 0, 12 };
	static const uint8_t toc_bad[12] = { 0x43, 0, 0, 0, 0, 0, 5, 0, 100 };
	uint8_t b[64];
	unsigned lo = CD_BLOCKS + 150;

	(void)state;
	assert_int_equal(atapi_pio(toc_lba, 0xfffe, b), 20);
	atapi_expect_good();
	assert_int_equal(b[0] << 8 | b[1], 18);
	assert_int_equal(b[2], 1);
	assert_int_equal(b[3], 1);
	assert_int_equal(b[5], 0x14);
	assert_int_equal(b[6], 1);
	assert_int_equal(b[8] | b[9] | b[10] | b[11], 0);
	assert_int_equal(b[14], 0xaa);
	assert_int_equal(b[18] << 8 | b[19], CD_BLOCKS);

	assert_int_equal(atapi_pio(toc_msf, 0xfffe, b), 20);
	assert_int_equal(b[9], 0);
	assert_int_equal(b[10], 2); /* track 1 at 00:02:00 */
	assert_int_equal(b[11], 0);
	assert_int_equal(b[17], lo / 4500);
	assert_int_equal(b[18], lo / 75 % 60);
	assert_int_equal(b[19], lo % 75);

	assert_int_equal(atapi_pio(toc_sess, 0xfffe, b), 12);
	assert_int_equal(b[0] << 8 | b[1], 10);
	atapi_send_packet(toc_bad, 0xfffe, false);
	atapi_expect_check(0x05);
}

static void test_atapi_mode_sense(void **state)
{
	static const uint8_t caps[12] = { 0x5a, 0, 0x2a, 0, 0, 0, 0, 0, 128 };
	static const uint8_t all[12] = { 0x5a, 0, 0x3f, 0, 0, 0, 0, 0, 128 };
	static const uint8_t saved[12] = { 0x5a, 0, 0xea, 0, 0, 0, 0, 0, 128 };
	static const uint8_t bad[12] = { 0x5a, 0, 0x05, 0, 0, 0, 0, 0, 128 };
	uint8_t b[128];

	(void)state;
	assert_int_equal(atapi_pio(caps, 0xfffe, b), 28);
	atapi_expect_good();
	assert_int_equal(b[0] << 8 | b[1], 26);
	assert_int_equal(b[8], 0x2a);
	assert_int_equal(b[9], 18);
	assert_int_equal(atapi_pio(all, 0xfffe, b), 40);
	assert_int_equal(b[8], 0x01);
	assert_int_equal(b[20], 0x2a);
	atapi_send_packet(saved, 0xfffe, false);
	atapi_expect_check(0x05);
	atapi_send_packet(bad, 0xfffe, false);
	atapi_expect_check(0x05);
}

static void test_atapi_misc_commands(void **state)
{
	static const uint8_t tur[12] = { 0x00 };
	static const uint8_t prevent[12] = { 0x1e, 0, 0, 0, 1 };
	static const uint8_t start[12] = { 0x1b, 0, 0, 0, 1 };
	static const uint8_t conf[12] = { 0x46, 0, 0, 0, 0, 0, 0, 1, 0 };
	static const uint8_t conf_one[12] = { 0x46, 2, 0, 0x10, 0, 0, 0, 1, 0 };
	static const uint8_t gesn[12] = { 0x4a, 1, 0, 0, 0x10, 0, 0, 0, 8 };
	static const uint8_t gesn_async[12] = { 0x4a, 0, 0, 0, 0x10, 0, 0, 0, 8 };
	static const uint8_t mech[12] = { 0xbd, 0, 0, 0, 0, 0, 0, 0, 0, 8 };
	uint8_t b[256];
	unsigned n;

	(void)state;
	atapi_send_packet(tur, 0, false);
	atapi_expect_good();
	atapi_send_packet(prevent, 0, false);
	atapi_expect_good();
	atapi_send_packet(start, 0, false);
	atapi_expect_good();
	n = atapi_pio(conf, 0xfffe, b);
	atapi_expect_good();
	assert_int_equal(b[6] << 8 | b[7], 0x0008);     /* current profile CD-ROM */
	assert_int_equal((b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]) + 4u, n);
	assert_int_equal(b[8] << 8 | b[9], 0x0000);     /* profile list first */
	assert_int_equal(atapi_pio(conf_one, 0xfffe, b), 8 + 12);
	assert_int_equal(b[8] << 8 | b[9], 0x0010);
	assert_int_equal(atapi_pio(gesn, 0xfffe, b), 8);
	assert_int_equal(b[2], 0x04);
	assert_int_equal(b[5], 0x02); /* medium present */
	atapi_send_packet(gesn_async, 0xfffe, false);
	atapi_expect_check(0x05);
	assert_int_equal(atapi_pio(mech, 0xfffe, b), 8);
	atapi_expect_good();
}

static void test_atapi_dma_read(void **state)
{
	static const uint8_t pkt[12] = { 0x28, 0, 0, 0, 0, 40, 0, 0, 2 };
	static const uint8_t sense96[12] = { 0x03, 0, 0, 0, 96 };

	(void)state;
	prd(PRDT, BUF, 2048, false);
	prd(PRDT + 8, BUF + 0x10000, 2048, true);
	bm_setup(1, PRDT, true);
	atapi_send_packet(pkt, 0xfffe, true);
	assert_int_equal(inb(SEC_CTRL), ST_DRDY | ST_DRQ);
	bm_start(1, true);
	assert_int_equal(bm_status(1), BMS_INT);
	atapi_expect_good();
	assert_memory_equal(&ram[BUF], cd + 40 * 2048, 2048);
	assert_memory_equal(&ram[BUF + 0x10000], cd + 41 * 2048, 2048);
	assert_int_equal(ram[BUF + 2048], 0xee);
	assert_int_equal(bm_status(0), 0); /* the primary channel saw nothing */

	/* REQUEST SENSE by DMA, as libata does for 16-byte multiples:
	 * 18 bytes of sense into a larger PRD */
	outb(BM_BASE + 8, 0);
	prd(PRDT, BUF + 0x30000, 96, true);
	bm_setup(1, PRDT, true);
	atapi_send_packet(sense96, 0xfffe, true);
	bm_start(1, true);
	assert_int_equal(bm_status(1), BMS_INT | BMS_ACTIVE);
	atapi_expect_good();
	assert_int_equal(ram[BUF + 0x30000], 0x70);
	assert_int_equal(ram[BUF + 0x30000 + 18], 0xee);
}

static void test_atapi_packet_needs_full_packet(void **state)
{
	uint8_t b[64];

	(void)state;
	outb(SEC + R_DEV, 0xa0);
	outb(SEC + R_LBAM, 0xfe);
	outb(SEC + R_LBAH, 0xff);
	outb(SEC + R_CMD, 0xa0);
	write_words(SEC, pkt_inquiry, 10); /* 5 of 6 words */
	assert_int_equal(inb(SEC_CTRL), ST_DRDY | ST_DRQ);
	assert_int_equal(inb(SEC + R_NSECT), 0x01);
	assert_int_equal(inw(SEC + R_DATA), 0xffff); /* wrong direction */
	outw(SEC + R_DATA, 0);
	assert_int_equal(atapi_block(b), 36);
	atapi_expect_good();
	/* overlapped PACKET is not supported */
	outb(SEC + R_FEAT, 0x02);
	outb(SEC + R_CMD, 0xa0);
	assert_int_equal(inb(SEC + R_STATUS), ST_DRDY | ST_ERR);
	assert_int_equal(inb(SEC + R_ERR), ER_ABRT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_attach_rejects_bad_args),
		T(test_probe_present_and_absent),
		T(test_explain_for_the_trace),
		cmocka_unit_test_setup_teardown(test_empty_channel_reads_zero, setup_hd_only,
						teardown),
		T(test_command_to_absent_slave_ignored),
		T(test_identify_device),
		T(test_identify_big_disk_caps),
		T(test_pio_read_lba28),
		T(test_pio_read_chs),
		T(test_pio_read_lba48_and_hob),
		T(test_sector_count_zero),
		T(test_pio_write_lba28),
		T(test_multiple_mode),
		T(test_multiple_mode_errors),
		T(test_32bit_data_port),
		T(test_read_past_end_idnf),
		T(test_write_past_end_idnf),
		T(test_chs_out_of_geometry_idnf),
		T(test_unknown_commands_abort),
		T(test_data_port_without_drq),
		T(test_status_and_alt_status),
		T(test_nien_masks_irq),
		T(test_srst_signatures),
		T(test_execute_device_diagnostic),
		T(test_initialize_device_parameters),
		T(test_set_features),
		T(test_power_seek_verify),
		T(test_dma_read_multi_prd),
		T(test_dma_start_before_command_and_write),
		T(test_dma_prd_count_zero_is_64k),
		T(test_dma_prd_larger_than_transfer),
		T(test_dma_prd_shorter_than_transfer),
		T(test_dma_prd_outside_ram),
		T(test_dma_prd_table_unterminated),
		T(test_bm_registers),
		T(test_pci_function),
		T(test_atapi_identify_packet),
		T(test_atapi_inquiry),
		T(test_atapi_read_capacity),
		T(test_atapi_read10_pio),
		T(test_atapi_byte_count_limits),
		T(test_atapi_illegal_opcode_and_request_sense),
		T(test_atapi_read_past_end),
		T(test_atapi_read_toc),
		T(test_atapi_mode_sense),
		T(test_atapi_misc_commands),
		T(test_atapi_dma_read),
		T(test_atapi_packet_needs_full_packet),
#undef T
	};

	return cmocka_run_group_tests_name("ide", tests, NULL, NULL);
}
