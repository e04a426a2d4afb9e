/*
 * 8237A DMA pair: channel programming as SeaBIOS's floppy code does it,
 * then the addressing rules of the 8237A data sheet (64 KiB wrap with a
 * page register that does not carry, decrement, terminal count,
 * auto-initialize, masks) and transfers that leave guest RAM.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "gpa_map.h"
#include "iobus.h"
#include "vdma.h"

#define RAM_SIZE 0x38000 /* guest RAM is [0, 0x38000) */
#define ROM_GPA 0x50000

static uint8_t ram[RAM_SIZE] __attribute__((aligned(4096)));
static uint8_t rom[4096] __attribute__((aligned(4096)));
static struct gpa_map mem;
static struct vdma dma;
static uint8_t src[1024];

static int setup(void **state)
{
	(void)state;
	io_reset();
	memset(&mem, 0, sizeof(mem));
	memset(ram, 0xee, sizeof(ram));
	memset(rom, 0xcc, sizeof(rom));
	for (unsigned i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(i * 7 + 1);
	assert_int_equal(gpa_map_add(&mem, 0, RAM_SIZE, (uintptr_t)ram, GPA_RWX, "ram"), 0);
	assert_int_equal(gpa_map_add(&mem, ROM_GPA, sizeof(rom), (uintptr_t)rom, GPA_RX, "rom"), 0);
	vdma_init(&dma, &mem);
	assert_int_equal(vdma_attach(&dma), 0);
	return 0;
}

static void outb(uint16_t port, uint8_t val)
{
	io_write(port, 1, val);
}

static uint8_t inb(uint16_t port)
{
	return (uint8_t)io_read(port, 1);
}

/* SeaBIOS src/hw/dma.c dma_floppy(): mask channel 2, address, count,
 * mode, page, unmask. */
static void program_ch2(uint32_t addr, uint16_t count, uint8_t mode)
{
	outb(0x0a, 0x06);
	outb(0x0c, 0x00);
	outb(0x04, (uint8_t)addr);
	outb(0x04, (uint8_t)(addr >> 8));
	outb(0x0c, 0x00);
	outb(0x05, (uint8_t)count);
	outb(0x05, (uint8_t)(count >> 8));
	outb(0x0b, mode);
	outb(0x81, (uint8_t)(addr >> 16));
	outb(0x0a, 0x02);
}

static uint16_t read_pair(uint16_t port, uint16_t ff_port)
{
	uint16_t lo, hi;

	outb(ff_port, 0);
	lo = inb(port);
	hi = inb(port);
	return (uint16_t)(hi << 8 | lo);
}

static void test_seabios_floppy_read(void **state)
{
	(void)state;
	program_ch2(0x17c00, 511, 0x46);
	assert_int_equal(inb(0x81), 0x01);
	assert_int_equal(vdma_transfer(&dma, 2, src, 600, true), 512);
	assert_memory_equal(&ram[0x17c00], src, 512);
	assert_int_equal(ram[0x17c00 + 512], 0xee);
	assert_int_equal(ram[0x17bff], 0xee);
	assert_true(vdma_eop(&dma, 2));
	assert_int_equal(read_pair(0x04, 0x0c), 0x7e00);
	assert_int_equal(read_pair(0x05, 0x0c), 0xffff);
	assert_int_equal(inb(0x08) & 0x0f, 0x04); /* TC on channel 2 */
	assert_int_equal(inb(0x08) & 0x0f, 0x00); /* cleared by the read */
	/* Without auto-initialize, TC masked the channel. */
	assert_int_equal(vdma_transfer(&dma, 2, src, 16, true), 0);
	assert_false(vdma_eop(&dma, 2));
}

static void test_seabios_floppy_write(void **state)
{
	uint8_t buf[1024];

	(void)state;
	memcpy(&ram[0x9000], src, 1024);
	program_ch2(0x9000, 1023, 0x4a);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(vdma_transfer(&dma, 2, buf, 512, false), 512);
	assert_false(vdma_eop(&dma, 2)); /* half the count is left */
	assert_int_equal(vdma_transfer(&dma, 2, buf + 512, 512, false), 512);
	assert_true(vdma_eop(&dma, 2));
	assert_memory_equal(buf, src, 1024);
	assert_int_equal(ram[0x9000], src[0]); /* memory was only read */
}

static void test_direction_mismatch_touches_no_memory(void **state)
{
	uint8_t buf[8];

	(void)state;
	program_ch2(0x2000, 7, 0x4a); /* memory -> device */
	assert_int_equal(vdma_transfer(&dma, 2, src, 8, true), 8);
	assert_int_equal(ram[0x2000], 0xee);
	program_ch2(0x2000, 7, 0x42); /* verify */
	memset(buf, 0, sizeof(buf));
	assert_int_equal(vdma_transfer(&dma, 2, buf, 8, false), 8);
	assert_int_equal(buf[0], 0xff);
	assert_true(vdma_eop(&dma, 2));
}

static void test_page_wrap_does_not_carry(void **state)
{
	(void)state;
	program_ch2(0x1fff0, 31, 0x46);
	assert_int_equal(vdma_transfer(&dma, 2, src, 32, true), 32);
	assert_memory_equal(&ram[0x1fff0], src, 16);
	assert_memory_equal(&ram[0x10000], src + 16, 16);
	assert_int_equal(ram[0x20000], 0xee);
	assert_int_equal(read_pair(0x04, 0x0c), 0x0010);
	assert_int_equal(inb(0x81), 0x01);
}

static void test_decrement_across_a_page(void **state)
{
	(void)state;
	program_ch2(0x1003, 7, 0x66); /* write, decrement */
	assert_int_equal(vdma_transfer(&dma, 2, src, 8, true), 8);
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(ram[0x1003 - i], src[i]);
	assert_int_equal(ram[0x1004], 0xee);
	assert_int_equal(ram[0x0ffb], 0xee);
	assert_int_equal(read_pair(0x04, 0x0c), 0x0ffb);
}

static void test_decrement_wraps_in_page(void **state)
{
	(void)state;
	program_ch2(0x10001, 3, 0x66);
	assert_int_equal(vdma_transfer(&dma, 2, src, 4, true), 4);
	assert_int_equal(ram[0x10001], src[0]);
	assert_int_equal(ram[0x10000], src[1]);
	assert_int_equal(ram[0x1ffff], src[2]);
	assert_int_equal(ram[0x1fffe], src[3]);
}

static void test_autoinit_reloads(void **state)
{
	(void)state;
	program_ch2(0x3000, 3, 0x56); /* write, auto-initialize */
	assert_int_equal(vdma_transfer(&dma, 2, src, 10, true), 4);
	assert_true(vdma_eop(&dma, 2));
	assert_int_equal(read_pair(0x04, 0x0c), 0x3000);
	assert_int_equal(read_pair(0x05, 0x0c), 3);
	assert_int_equal(inb(0x08) & 0x0f, 0x04);
	assert_int_equal(vdma_transfer(&dma, 2, src + 4, 4, true), 4); /* still unmasked */
	assert_memory_equal(&ram[0x3000], src + 4, 4);
	assert_int_equal(ram[0x3004], 0xee);
}

static void test_masks_and_disable(void **state)
{
	(void)state;
	program_ch2(0x4000, 15, 0x46);
	outb(0x0a, 0x06); /* single mask set */
	assert_int_equal(vdma_transfer(&dma, 2, src, 16, true), 0);
	outb(0x0e, 0x00); /* clear all masks */
	outb(0x08, 0x04); /* controller disable */
	assert_int_equal(vdma_transfer(&dma, 2, src, 16, true), 0);
	outb(0x08, 0x00);
	outb(0x0f, 0x04); /* all-mask register: only channel 2 masked */
	assert_int_equal(vdma_transfer(&dma, 2, src, 16, true), 0);
	outb(0x0f, 0x00);
	assert_int_equal(vdma_transfer(&dma, 2, src, 16, true), 16);
	assert_int_equal(ram[0x4000], src[0]);
	assert_int_equal(vdma_transfer(&dma, 9, src, 16, true), 0);
}

static void test_transfer_stops_at_end_of_ram(void **state)
{
	(void)state;
	program_ch2(0x37f00, 0x1ff, 0x46);
	assert_int_equal(vdma_transfer(&dma, 2, src, 512, true), 256);
	assert_false(vdma_eop(&dma, 2));
	assert_memory_equal(&ram[0x37f00], src, 256);
	assert_int_equal(read_pair(0x04, 0x0c), 0x8000);
	assert_int_equal(read_pair(0x05, 0x0c), 0xff);

	program_ch2(ROM_GPA, 15, 0x46); /* ROM is not writable */
	assert_int_equal(vdma_transfer(&dma, 2, src, 16, true), 0);
	assert_int_equal(rom[0], 0xcc);
	program_ch2(ROM_GPA, 15, 0x4a); /* but readable */
	{
		uint8_t buf[16];

		assert_int_equal(vdma_transfer(&dma, 2, buf, 16, false), 16);
		assert_int_equal(buf[0], 0xcc);
	}
}

static void test_16bit_channel(void **state)
{
	(void)state;
	outb(0xd4, 0x05); /* mask channel 5 */
	outb(0xd8, 0x00);
	outb(0xc4, 0x00); /* word address 0x0800 -> byte 0x1000 */
	outb(0xc4, 0x08);
	outb(0xd8, 0x00);
	outb(0xc6, 0x03); /* 4 words */
	outb(0xc6, 0x00);
	outb(0xd6, 0x45); /* channel 5, write, single */
	outb(0x8b, 0x03); /* page bit 0 is not used on DMA2 */
	outb(0xd4, 0x01);
	assert_int_equal(vdma_transfer(&dma, 5, src, 9, true), 8);
	assert_memory_equal(&ram[0x21000], src, 8);
	assert_int_equal(ram[0x21008], 0xee);
	assert_true(vdma_eop(&dma, 5));
	assert_int_equal(inb(0xd0) & 0x0f, 0x02);
	assert_int_equal(inb(0xc1), 0xff); /* odd ports are not decoded */
	/* Channel 4 cascades DMA1 and never transfers. */
	outb(0xd6, 0xc0);
	outb(0xd4, 0x00);
	assert_int_equal(vdma_transfer(&dma, 4, src, 8, true), 0);
}

static void test_master_clear_and_request(void **state)
{
	(void)state;
	program_ch2(0x5000, 0, 0x46);
	outb(0x09, 0x06); /* software request, channel 2 */
	assert_int_equal(inb(0x08), 0x40);
	outb(0x04, 0x12); /* a low byte: the flip-flop now points high */
	outb(0x0d, 0x00); /* master clear */
	assert_int_equal(inb(0x08), 0x00);
	assert_int_equal(vdma_transfer(&dma, 2, src, 1, true), 0); /* masked */
	outb(0x0a, 0x02);
	outb(0x04, 0x34); /* low byte again */
	outb(0x04, 0x12);
	assert_int_equal(read_pair(0x04, 0x0c), 0x1234);
	assert_int_equal(inb(0x0d), 0x00); /* temporary register */
	assert_int_equal(vdma_transfer(&dma, 2, src, 1, true), 1);
	assert_int_equal(ram[0x01234], src[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_seabios_floppy_read, setup),
		cmocka_unit_test_setup(test_seabios_floppy_write, setup),
		cmocka_unit_test_setup(test_direction_mismatch_touches_no_memory, setup),
		cmocka_unit_test_setup(test_page_wrap_does_not_carry, setup),
		cmocka_unit_test_setup(test_decrement_across_a_page, setup),
		cmocka_unit_test_setup(test_decrement_wraps_in_page, setup),
		cmocka_unit_test_setup(test_autoinit_reloads, setup),
		cmocka_unit_test_setup(test_masks_and_disable, setup),
		cmocka_unit_test_setup(test_transfer_stops_at_end_of_ram, setup),
		cmocka_unit_test_setup(test_16bit_channel, setup),
		cmocka_unit_test_setup(test_master_clear_and_request, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
