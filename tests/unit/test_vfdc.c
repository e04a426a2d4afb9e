/*
 * 82077AA floppy controller: the exact register sequence SeaBIOS's
 * src/hw/floppy.c and src/hw/dma.c use to boot from drive A, then
 * multi-track reads, writes, formats and the error results the 82077AA
 * data sheet gives for hostile commands.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "gpa_map.h"
#include "iobus.h"
#include "vdma.h"
#include "vfdc.h"

#define RAM_SIZE 0x100000
#define RAM_END 0xf1000 /* guest RAM is [0, RAM_END) */
#define IMG_144 1474560
#define SPT 18
#define BUF 0x20000 /* DMA buffer for most tests */

#define FDC_DOR 0x3f2
#define FDC_MSR 0x3f4
#define FDC_FIFO 0x3f5
#define FDC_DIR 0x3f7

struct irq_rec {
	int level;
	unsigned raised;
};

static uint8_t ram[RAM_SIZE] __attribute__((aligned(4096)));
static uint8_t *image;
static struct gpa_map mem;
static struct vdma dma;
static struct vfdc fdc;
static struct irq_rec rec;

static void rec_set(void *opaque, unsigned irq, int level)
{
	struct irq_rec *r = opaque;

	assert_int_equal(irq, VFDC_IRQ);
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

static uint32_t lba(unsigned c, unsigned h, unsigned r)
{
	return (c * 2 + h) * SPT + r - 1;
}

/* Every byte of the image tells which sector it is in. */
static void fill_image(uint8_t *img, uint32_t size)
{
	for (uint32_t i = 0; i < size; i++)
		img[i] = (uint8_t)(i / 512 * 13 + i % 512);
	img[510] = 0x55;
	img[511] = 0xaa;
}

static void setup_common(bool insert)
{
	struct irq_line line = { rec_set, &rec, VFDC_IRQ };

	io_reset();
	memset(&mem, 0, sizeof(mem));
	memset(ram, 0xee, sizeof(ram));
	memset(&rec, 0, sizeof(rec));
	assert_int_equal(gpa_map_add(&mem, 0, RAM_END, (uintptr_t)ram, GPA_RWX, "ram"), 0);
	vdma_init(&dma, &mem);
	assert_int_equal(vdma_attach(&dma), 0);
	vfdc_init(&fdc, &line, &dma);
	assert_int_equal(vfdc_attach(&fdc), 0);
	image = malloc(IMG_144);
	assert_non_null(image);
	fill_image(image, IMG_144);
	if (insert)
		assert_int_equal(vfdc_insert(&fdc, image, IMG_144), 0);
}

static int setup(void **state)
{
	(void)state;
	setup_common(true);
	return 0;
}

static int setup_empty(void **state)
{
	(void)state;
	setup_common(false);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(image);
	return 0;
}

/* SeaBIOS floppy_pio(): each byte only with RQM set and DIO clear. */
static void fdc_send(const uint8_t *bytes, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(inb(FDC_MSR) & 0xc0, 0x80);
		outb(FDC_FIFO, bytes[i]);
	}
}

/* Results with RQM and DIO set; afterwards RQM set, DIO clear. */
static void fdc_receive(uint8_t *bytes, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(inb(FDC_MSR) & 0xd0, 0xd0);
		bytes[i] = inb(FDC_FIFO);
	}
	assert_int_equal(inb(FDC_MSR) & 0xc0, 0x80);
}

#define SEND(...)                                                   \
	do {                                                        \
		const uint8_t b_[] = { __VA_ARGS__ };               \
		fdc_send(b_, sizeof(b_));                           \
	} while (0)

static void expect_result(const uint8_t *want, unsigned n)
{
	uint8_t got[10];

	fdc_receive(got, n);
	assert_memory_equal(got, want, n);
}

#define EXPECT(...)                                                 \
	do {                                                        \
		const uint8_t w_[] = { __VA_ARGS__ };               \
		expect_result(w_, sizeof(w_));                      \
	} while (0)

/* An IRQ6 edge since the last call. */
static void expect_irq(unsigned *seen)
{
	assert_int_equal(rec.raised, *seen + 1);
	*seen = rec.raised;
}

/* SeaBIOS dma_floppy(). */
static void dma_program(uint32_t addr, uint32_t bytes, bool to_memory)
{
	uint16_t end = (uint16_t)(bytes - 1);

	outb(0x0a, 0x06);
	outb(0x0c, 0x00);
	outb(0x04, (uint8_t)addr);
	outb(0x04, (uint8_t)(addr >> 8));
	outb(0x0c, 0x00);
	outb(0x05, (uint8_t)end);
	outb(0x05, (uint8_t)(end >> 8));
	outb(0x0b, to_memory ? 0x46 : 0x4a);
	outb(0x81, (uint8_t)(addr >> 16));
	outb(0x0a, 0x02);
}

/* SeaBIOS floppy_enable_controller(), floppy_drive_recal() and
 * floppy_media_sense() for a 1.44M drive. */
static void seabios_bring_up(unsigned *irqs)
{
	outb(FDC_DOR, 0x00);
	outb(FDC_DOR, 0x0c);
	expect_irq(irqs);
	SEND(0x08);
	EXPECT(0xc0, 0x00);

	outb(FDC_DOR, 0x1c);
	SEND(0x07, 0x00);
	expect_irq(irqs);
	assert_int_equal(inb(FDC_MSR), 0x81); /* RQM, drive 0 busy */
	SEND(0x08);
	EXPECT(0x20, 0x00);
	assert_int_equal(inb(FDC_MSR), 0x80);

	outb(FDC_DIR, 0x00); /* 500 kb/s */
	SEND(0x4a, 0x00);
	expect_irq(irqs);
	EXPECT(0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02);
}

static void seek(unsigned *irqs, uint8_t head, uint8_t cyl)
{
	SEND(0x0f, (uint8_t)(head << 2), cyl);
	expect_irq(irqs);
	SEND(0x08);
	EXPECT((uint8_t)(0x20 | head << 2), cyl);
}

static void test_seabios_boot_sector(void **state)
{
	unsigned irqs = 0;

	(void)state;
	assert_int_equal(vfdc_cmos_type(&fdc), 4);
	assert_int_equal(inb(FDC_MSR), 0x00); /* held in reset at power-on */
	seabios_bring_up(&irqs);
	dma_program(0x7c00, 512, true);
	outb(FDC_DOR, 0x1c);
	SEND(0xe6, 0x00, 0, 0, 1, 2, 1, 0x1b, 0xff);
	expect_irq(&irqs);
	assert_int_equal(rec.level, 1);
	EXPECT(0x00, 0x00, 0x00, 0, 1, 1, 2); /* MT at EOT: next is head 1 */
	assert_int_equal(rec.level, 0); /* the first result byte cleared INT */
	assert_memory_equal(&ram[0x7c00], image, 512);
	assert_int_equal(ram[0x7c00 + 510], 0x55);
	assert_int_equal(ram[0x7c00 + 512], 0xee);
	assert_int_equal(inb(0x08) & 0x04, 0x04); /* DMA TC on channel 2 */
}

static void test_reset_polls_four_drives(void **state)
{
	unsigned irqs = 0;

	(void)state;
	outb(FDC_DOR, 0x0c);
	expect_irq(&irqs);
	for (uint8_t d = 0; d < 4; d++) {
		SEND(0x08);
		EXPECT((uint8_t)(0xc0 | d), 0x00);
	}
	SEND(0x08);
	EXPECT(0x80); /* nothing left: invalid */
	/* DSR bit 7 resets again, with a new polling interrupt. */
	outb(FDC_MSR, 0x80);
	expect_irq(&irqs);
	SEND(0x08);
	EXPECT(0xc0, 0x00);
}

static void test_dma_gate_masks_irq(void **state)
{
	(void)state;
	outb(FDC_DOR, 0x04); /* out of reset, DMA gate closed */
	assert_int_equal(rec.raised, 0);
	outb(FDC_DOR, 0x0c); /* INT was pending: IRQ6 follows the gate */
	assert_int_equal(rec.raised, 1);
	SEND(0x08);
	EXPECT(0xc0, 0x00);
	assert_int_equal(rec.level, 0);
}

static void test_multitrack_read_to_head_1(void **state)
{
	unsigned irqs = 0;

	(void)state;
	seabios_bring_up(&irqs);
	seek(&irqs, 0, 3);
	dma_program(BUF, 4 * 512, true);
	SEND(0xe6, 0x00, 3, 0, 17, 2, 18, 0x1b, 0xff); /* MT: 17, 18, then head 1 */
	expect_irq(&irqs);
	EXPECT(0x04, 0x00, 0x00, 3, 1, 3, 2);
	assert_memory_equal(&ram[BUF], image + 512 * lba(3, 0, 17), 2 * 512);
	assert_memory_equal(&ram[BUF + 1024], image + 512 * lba(3, 1, 1), 2 * 512);
	assert_int_equal(ram[BUF + 2048], 0xee);
}

static void test_read_to_end_of_cylinder(void **state)
{
	unsigned irqs = 0;

	(void)state;
	seabios_bring_up(&irqs);
	/* TC exactly on EOT of head 1 under MT: normal, next is C+1, H 0. */
	dma_program(BUF, 512, true);
	SEND(0xe6, 0x04, 0, 1, 18, 2, 18, 0x1b, 0xff);
	expect_irq(&irqs);
	EXPECT(0x04, 0x00, 0x00, 1, 0, 1, 2);
	/* Without MT the DMA wants more than the track has: ST1 EN. */
	dma_program(BUF, 2 * 512, true);
	SEND(0x46, 0x00, 0, 0, 18, 2, 18, 0x1b, 0xff);
	expect_irq(&irqs);
	EXPECT(0x40, 0x80, 0x00, 1, 0, 1, 2);
	assert_memory_equal(&ram[BUF], image + 512 * lba(0, 0, 18), 512);
}

static void test_write_changes_image(void **state)
{
	unsigned irqs = 0;

	(void)state;
	seabios_bring_up(&irqs);
	seek(&irqs, 1, 5);
	for (unsigned i = 0; i < 1024; i++)
		ram[BUF + i] = (uint8_t)(0xa5 ^ i);
	dma_program(BUF, 1024, false);
	SEND(0xc5, 0x04, 5, 1, 3, 2, 4, 0x1b, 0xff);
	expect_irq(&irqs);
	EXPECT(0x04, 0x00, 0x00, 6, 0, 1, 2); /* EOT on head 1 under MT */
	assert_memory_equal(image + 512 * lba(5, 1, 3), &ram[BUF], 1024);
	assert_int_equal(image[512 * lba(5, 1, 5)], (uint8_t)(lba(5, 1, 5) * 13));

	/* Read it back. */
	dma_program(BUF + 0x1000, 1024, true);
	SEND(0x66, 0x04, 5, 1, 3, 2, 18, 0x1b, 0xff);
	expect_irq(&irqs);
	EXPECT(0x04, 0x00, 0x00, 5, 1, 5, 2);
	assert_memory_equal(&ram[BUF + 0x1000], &ram[BUF], 1024);
}

static void test_hostile_sector_addresses(void **state)
{
	unsigned irqs = 0;
	uint8_t copy[512];

	(void)state;
	seabios_bring_up(&irqs);
	memcpy(copy, image + 512 * lba(0, 0, 1), 512);
	dma_program(BUF, 512, true);
	SEND(0xe6, 0x00, 0, 0, 19, 2, 19, 0x1b, 0xff); /* past the last sector */
	expect_irq(&irqs);
	EXPECT(0x40, 0x04, 0x00, 0, 0, 19, 2);
	SEND(0xe6, 0x00, 0, 0, 0, 2, 1, 0x1b, 0xff); /* sector 0 */
	expect_irq(&irqs);
	EXPECT(0x40, 0x04, 0x00, 0, 0, 0, 2);
	SEND(0xe6, 0x00, 0, 0, 1, 3, 1, 0x1b, 0xff); /* N = 3 */
	expect_irq(&irqs);
	EXPECT(0x40, 0x04, 0x00, 0, 0, 1, 3);
	SEND(0xe6, 0x00, 7, 0, 1, 2, 1, 0x1b, 0xff); /* C is not where the head is */
	expect_irq(&irqs);
	EXPECT(0x40, 0x04, 0x10, 7, 0, 1, 2);
	SEND(0xe6, 0x00, 0, 1, 1, 2, 1, 0x1b, 0xff); /* H does not match HDS */
	expect_irq(&irqs);
	EXPECT(0x40, 0x04, 0x00, 0, 1, 1, 2);
	SEND(0xa6, 0x00, 0, 0, 1, 2, 1, 0x1b, 0xff); /* FM on an MFM disk */
	expect_irq(&irqs);
	EXPECT(0x40, 0x01, 0x00, 0, 0, 1, 2);
	seek(&irqs, 0, 200); /* beyond the medium */
	SEND(0xe6, 0x00, 200, 0, 1, 2, 1, 0x1b, 0xff);
	expect_irq(&irqs);
	EXPECT(0x40, 0x01, 0x00, 200, 0, 1, 2);
	SEND(0x4a, 0x00);
	expect_irq(&irqs);
	EXPECT(0x40, 0x01, 0x00, 200, 0, 1, 2);
	assert_int_equal(ram[BUF], 0xee);
	assert_memory_equal(image, copy, 512);
}

static void test_wrong_data_rate(void **state)
{
	unsigned irqs = 0;

	(void)state;
	seabios_bring_up(&irqs);
	outb(FDC_DIR, 0x02); /* 250 kb/s: a 1.44M disk is not readable */
	SEND(0x4a, 0x00);
	expect_irq(&irqs);
	EXPECT(0x40, 0x01, 0x00, 0, 0, 1, 2);
	outb(FDC_MSR, 0x00); /* DSR sets the rate too */
	SEND(0x4a, 0x00);
	expect_irq(&irqs);
	EXPECT(0x00, 0x00, 0x00, 0, 0, 1, 2);
}

static void test_dma_that_stops_early(void **state)
{
	unsigned irqs = 0;

	(void)state;
	seabios_bring_up(&irqs);
	dma_program(BUF, 512, true);
	outb(0x0a, 0x06); /* channel 2 masked */
	SEND(0xe6, 0x00, 0, 0, 1, 2, 1, 0x1b, 0xff);
	expect_irq(&irqs);
	EXPECT(0x40, 0x10, 0x00, 0, 0, 1, 2);
	assert_int_equal(ram[BUF], 0xee);

	dma_program(RAM_END - 256, 512, true); /* half the buffer is not RAM */
	SEND(0xe6, 0x00, 0, 0, 1, 2, 1, 0x1b, 0xff);
	expect_irq(&irqs);
	EXPECT(0x40, 0x10, 0x00, 0, 0, 1, 2);
	assert_memory_equal(&ram[RAM_END - 256], image, 256);

	/* A write whose DMA stalls leaves the sector alone. */
	dma_program(RAM_END - 256, 512, false);
	SEND(0xc5, 0x00, 0, 0, 2, 2, 2, 0x1b, 0xff);
	expect_irq(&irqs);
	EXPECT(0x40, 0x10, 0x00, 0, 0, 2, 2);
	assert_int_equal(image[512], (uint8_t)13);

	/* Non-DMA mode: nothing serves the data. */
	SEND(0x03, 0xaf, 0x03);
	dma_program(BUF, 512, true);
	SEND(0xe6, 0x00, 0, 0, 1, 2, 1, 0x1b, 0xff);
	expect_irq(&irqs);
	EXPECT(0x40, 0x10, 0x00, 0, 0, 1, 2);
}

static void test_write_cut_short_by_tc(void **state)
{
	unsigned irqs = 0;

	(void)state;
	seabios_bring_up(&irqs);
	memset(&ram[BUF], 0x77, 100);
	dma_program(BUF, 100, false);
	SEND(0xc5, 0x00, 0, 0, 4, 2, 18, 0x1b, 0xff);
	expect_irq(&irqs);
	EXPECT(0x00, 0x00, 0x00, 0, 0, 5, 2);
	assert_int_equal(image[512 * 3 + 99], 0x77);
	assert_int_equal(image[512 * 3 + 100], 0x00); /* zero-filled */
	assert_int_equal(image[512 * 3 + 511], 0x00);
	assert_int_equal(image[512 * 4], (uint8_t)(4 * 13));
}

static void test_format_track(void **state)
{
	unsigned irqs = 0;

	(void)state;
	seabios_bring_up(&irqs);
	seek(&irqs, 1, 2);
	for (unsigned i = 0; i < SPT; i++) {
		ram[BUF + 4 * i] = 2;
		ram[BUF + 4 * i + 1] = 1;
		ram[BUF + 4 * i + 2] = (uint8_t)(SPT - i); /* interleave is fine */
		ram[BUF + 4 * i + 3] = 2;
	}
	dma_program(BUF, 4 * SPT, false);
	SEND(0x4d, 0x04, 2, SPT, 0x6c, 0xf6);
	expect_irq(&irqs);
	EXPECT(0x04, 0x00, 0x00, 2, 1, 1, 2);
	for (unsigned r = 1; r <= SPT; r++)
		assert_int_equal(image[512 * lba(2, 1, r) + 100], 0xf6);
	assert_int_equal(image[512 * lba(2, 1, 1) - 1], (uint8_t)(lba(2, 0, 18) * 13 + 511));
	assert_int_equal(image[512 * lba(3, 0, 1)], (uint8_t)(lba(3, 0, 1) * 13));

	/* A layout the image cannot hold is refused as not writable. */
	SEND(0x4d, 0x04, 2, 9, 0x6c, 0x00);
	expect_irq(&irqs);
	EXPECT(0x44, 0x02, 0x00, 2, 1, 1, 2);
	ram[BUF + 2] = 40; /* sector 40 does not fit in 18 */
	dma_program(BUF, 4 * SPT, false);
	SEND(0x4d, 0x04, 2, SPT, 0x6c, 0x00);
	expect_irq(&irqs);
	EXPECT(0x44, 0x02, 0x00, 2, 1, 1, 2);
	assert_int_equal(image[512 * lba(2, 1, 1)], 0xf6);
}

static void test_version_invalid_and_registers(void **state)
{
	unsigned irqs = 0;
	uint8_t dump[10];

	(void)state;
	seabios_bring_up(&irqs);
	SEND(0x10);
	EXPECT(0x90);
	SEND(0x1f);
	EXPECT(0x80);
	SEND(0x8f); /* relative seek is not provided */
	EXPECT(0x80);
	SEND(0x50); /* VERSION with an option bit */
	EXPECT(0x80);
	SEND(0x03, 0xaf, 0x02);
	SEND(0x13, 0x00, 0x57, 0x05);
	SEND(0x12, 0x87); /* OW, drive 0 perpendicular, WGATE */
	SEND(0x94);
	EXPECT(0x10);
	seek(&irqs, 0, 9);
	SEND(0x0e);
	fdc_receive(dump, 10);
	assert_int_equal(dump[0], 9);
	assert_int_equal(dump[4], 0xaf);
	assert_int_equal(dump[5], 0x02);
	assert_int_equal(dump[6], 0); /* no READ/WRITE yet */
	assert_int_equal(dump[7], 0x87);
	assert_int_equal(dump[8], 0x57);
	assert_int_equal(dump[9], 0x05);
	/* A reset keeps locked FIFO settings and the perpendicular drives. */
	outb(FDC_DOR, 0x18);
	outb(FDC_DOR, 0x1c);
	expect_irq(&irqs);
	SEND(0x0e);
	fdc_receive(dump, 10);
	assert_int_equal(dump[7], 0x84);
	assert_int_equal(dump[8], 0x07); /* EIS and POLL are not locked */
	assert_int_equal(dump[9], 0x05);
	SEND(0x14);
	EXPECT(0x00);
	/* SENSE DRIVE STATUS: track 0 only after a recalibrate. */
	SEND(0x04, 0x04);
	EXPECT(0x2c);
	SEND(0x07, 0x00);
	expect_irq(&irqs);
	SEND(0x04, 0x00);
	EXPECT(0x38);
	assert_int_equal(inb(0x3f0), 0xff);
	assert_int_equal(inb(0x3f1), 0xff);
	assert_int_equal(inb(FDC_DOR), 0x1c);
	assert_int_equal(io_owner(0x3f6), NULL);
}

static void test_recalibrate_missing_drive(void **state)
{
	unsigned irqs = 0;

	(void)state;
	seabios_bring_up(&irqs);
	SEND(0x07, 0x01);
	expect_irq(&irqs);
	assert_int_equal(inb(FDC_MSR), 0x82);
	SEND(0x08);
	EXPECT(0x71, 0x00);
}

static void test_disk_change_line(void **state)
{
	unsigned irqs = 0;

	(void)state;
	seabios_bring_up(&irqs);
	assert_int_equal(inb(FDC_DIR), 0x80);
	outb(FDC_DOR, 0x0c); /* motor off: the drive is not selected */
	assert_int_equal(inb(FDC_DIR), 0x00);
	outb(FDC_DOR, 0x1c);
	SEND(0x07, 0x00); /* already on track 0: no step */
	expect_irq(&irqs);
	SEND(0x08);
	EXPECT(0x20, 0x00);
	assert_int_equal(inb(FDC_DIR), 0x80);
	seek(&irqs, 0, 1);
	assert_int_equal(inb(FDC_DIR), 0x00);
}

static void test_no_disk(void **state)
{
	unsigned irqs = 0;

	(void)state;
	assert_int_equal(vfdc_cmos_type(&fdc), 0);
	outb(FDC_DOR, 0x0c);
	expect_irq(&irqs);
	SEND(0x08);
	EXPECT(0xc0, 0x00);
	outb(FDC_DOR, 0x1c);
	assert_int_equal(inb(FDC_DIR), 0x80);
	SEND(0x07, 0x00);
	expect_irq(&irqs);
	SEND(0x08);
	EXPECT(0x20, 0x00);
	SEND(0x4a, 0x00);
	expect_irq(&irqs);
	EXPECT(0x48, 0x00, 0x00, 0, 0, 1, 2);
	dma_program(BUF, 512, true);
	SEND(0xe6, 0x00, 0, 0, 1, 2, 1, 0x1b, 0xff);
	expect_irq(&irqs);
	EXPECT(0x48, 0x00, 0x00, 0, 0, 1, 2);
	assert_int_equal(ram[BUF], 0xee);
}

static void test_insert_sizes(void **state)
{
	static const struct {
		uint32_t size;
		uint8_t type;
	} sizes[] = {
		{ 163840, 1 },  { 184320, 1 },  { 327680, 1 },  { 368640, 1 },
		{ 737280, 3 },  { 1228800, 2 }, { 1474560, 4 }, { 2949120, 5 },
	};

	(void)state;
	assert_int_equal(vfdc_insert(&fdc, image, 1474560 - 512), -1);
	assert_int_equal(vfdc_insert(&fdc, image, 0), -1);
	assert_int_equal(vfdc_cmos_type(&fdc), 0);
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		assert_int_equal(vfdc_insert(&fdc, image, sizes[i].size), 0);
		assert_int_equal(vfdc_cmos_type(&fdc), sizes[i].type);
	}
}

static void test_single_sided_160k(void **state)
{
	unsigned irqs = 0;

	(void)state;
	assert_int_equal(vfdc_insert(&fdc, image, 163840), 0);
	outb(FDC_DOR, 0x1c);
	expect_irq(&irqs);
	SEND(0x08);
	EXPECT(0xc0, 0x00);
	outb(FDC_DIR, 0x01); /* 300 kb/s, SeaBIOS's rate for a 360K drive */
	dma_program(BUF, 3 * 512, true);
	SEND(0xe6, 0x00, 0, 0, 7, 2, 8, 0x1b, 0xff); /* MT runs onto a missing side */
	expect_irq(&irqs);
	EXPECT(0x44, 0x01, 0x00, 0, 1, 1, 2);
	assert_memory_equal(&ram[BUF], image + 6 * 512, 1024);
	seek(&irqs, 0, 39);
	dma_program(BUF, 512, true);
	SEND(0x66, 0x00, 39, 0, 8, 2, 8, 0x1b, 0xff); /* the very last sector */
	expect_irq(&irqs);
	EXPECT(0x00, 0x00, 0x00, 40, 0, 1, 2);
	assert_memory_equal(&ram[BUF], image + 163840 - 512, 512);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_seabios_boot_sector, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_polls_four_drives, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dma_gate_masks_irq, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multitrack_read_to_head_1, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_to_end_of_cylinder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_changes_image, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_sector_addresses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_data_rate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dma_that_stops_early, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_cut_short_by_tc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_format_track, setup, teardown),
		cmocka_unit_test_setup_teardown(test_version_invalid_and_registers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recalibrate_missing_drive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disk_change_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_disk, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_insert_sizes, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_single_sided_160k, setup_empty, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
