/*
 * MC146818A RTC/CMOS model: register-level sequences from the data sheet
 * (time formats, UIP timing, periodic/alarm/update interrupts, SET) and
 * the PC CMOS bytes SeaBIOS reads.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "host_support.h"
#include "iobus.h"
#include "vclock.h"
#include "vrtc.h"

#define T0 (1000 * NS_PER_SEC)   /* fake clock when the RTC is created */
#define FIRST_UPDATE (T0 + NS_PER_SEC / 2)
#define HOST_SECS 1709214330     /* 2024-02-29 13:45:30 UTC, a Thursday */
#define MS 1000000ull

#define REG_A 0x0a
#define REG_B 0x0b
#define REG_C 0x0c
#define REG_D 0x0d

struct irq_rec {
	int level;
	unsigned raised; /* 0 -> 1 transitions */
};

static struct vrtc rtc;
static struct irq_rec rec;
static int64_t host_secs;

static void rec_set(void *opaque, unsigned irq, int level)
{
	struct irq_rec *r = opaque;

	assert_int_equal(irq, VRTC_IRQ);
	if (level && !r->level)
		r->raised++;
	r->level = level;
}

static int64_t fake_host_time(void *opaque)
{
	return *(int64_t *)opaque;
}

static int setup(void **state)
{
	struct irq_line line = { rec_set, &rec, VRTC_IRQ };

	(void)state;
	io_reset();
	vtimer_reset_all();
	memset(&rec, 0, sizeof(rec));
	host_fake_now_ns = T0;
	host_secs = HOST_SECS;
	vrtc_init(&rtc, &line, fake_host_time, &host_secs);
	assert_int_equal(vrtc_attach(&rtc), 0);
	return 0;
}

static uint8_t cmos_read(uint8_t reg)
{
	io_write(VRTC_PORT_INDEX, 1, reg);
	return (uint8_t)io_read(VRTC_PORT_DATA, 1);
}

static void cmos_write(uint8_t reg, uint8_t val)
{
	io_write(VRTC_PORT_INDEX, 1, reg);
	io_write(VRTC_PORT_DATA, 1, val);
}

/* Move the fake clock and let due timers fire, as the run loop would. */
static void advance_to(uint64_t ns)
{
	host_fake_now_ns = ns;
	vtimer_run_expired(ns);
}

static void assert_time(uint8_t sec, uint8_t min, uint8_t hour, uint8_t dow,
			uint8_t date, uint8_t month, uint8_t year, uint8_t century)
{
	assert_int_equal(cmos_read(0x00), sec);
	assert_int_equal(cmos_read(0x02), min);
	assert_int_equal(cmos_read(0x04), hour);
	assert_int_equal(cmos_read(0x06), dow);
	assert_int_equal(cmos_read(0x07), date);
	assert_int_equal(cmos_read(0x08), month);
	assert_int_equal(cmos_read(0x09), year);
	assert_int_equal(cmos_read(0x32), century);
}

static void test_power_on_registers(void **state)
{
	(void)state;
	assert_int_equal(cmos_read(REG_A), 0x26);
	assert_int_equal(cmos_read(REG_B), 0x02);
	assert_int_equal(cmos_read(REG_C), 0x00);
	assert_int_equal(cmos_read(REG_D), 0x80);
	assert_int_equal(rec.level, 0);
	assert_true(vtimer_next_deadline() == VTIMER_NEVER);
}

static void test_bcd_time(void **state)
{
	(void)state;
	assert_time(0x30, 0x45, 0x13, 5, 0x29, 0x02, 0x24, 0x20);
}

static void test_binary_time(void **state)
{
	(void)state;
	cmos_write(REG_B, 0x06); /* DM = binary, 24 h */
	assert_time(30, 45, 13, 5, 29, 2, 24, 20);
}

static void test_12h_pm(void **state)
{
	(void)state;
	cmos_write(REG_B, 0x00); /* BCD, 12 h */
	assert_int_equal(cmos_read(0x04), 0x81);
	cmos_write(REG_B, 0x04); /* binary, 12 h */
	assert_int_equal(cmos_read(0x04), 0x81);

	/* Midnight is 12 AM, noon is 12 PM. */
	cmos_write(REG_B, 0x80); /* SET, BCD, 12 h */
	cmos_write(0x04, 0x12);
	cmos_write(REG_B, 0x00); /* run */
	assert_int_equal(cmos_read(0x04), 0x12);
	cmos_write(REG_B, 0x02); /* the same time in 24 h */
	assert_int_equal(cmos_read(0x04), 0x00);
	cmos_write(REG_B, 0x80);
	cmos_write(0x04, 0x92);
	cmos_write(REG_B, 0x00);
	assert_int_equal(cmos_read(0x04), 0x92);
	cmos_write(REG_B, 0x02);
	assert_int_equal(cmos_read(0x04), 0x12);
}

static void test_clock_advances_and_rolls_over(void **state)
{
	(void)state;
	advance_to(FIRST_UPDATE - 1);
	assert_int_equal(cmos_read(0x00), 0x30);
	advance_to(FIRST_UPDATE);
	assert_int_equal(cmos_read(0x00), 0x31);
	/* 13:45:31 + 36868 s = 23:59:59, then a leap day ends. */
	advance_to(FIRST_UPDATE + 36868 * NS_PER_SEC);
	assert_time(0x59, 0x59, 0x23, 5, 0x29, 0x02, 0x24, 0x20);
	advance_to(FIRST_UPDATE + 36869 * NS_PER_SEC);
	assert_time(0x00, 0x00, 0x00, 6, 0x01, 0x03, 0x24, 0x20);
}

static void test_uip_window(void **state)
{
	(void)state;
	advance_to(FIRST_UPDATE - 244142);
	assert_int_equal(cmos_read(REG_A), 0x26);
	advance_to(FIRST_UPDATE - 244141);
	assert_int_equal(cmos_read(REG_A), 0xa6);
	advance_to(FIRST_UPDATE - 1);
	assert_int_equal(cmos_read(REG_A), 0xa6);
	advance_to(FIRST_UPDATE);
	assert_int_equal(cmos_read(REG_A), 0x26);
	advance_to(FIRST_UPDATE + NS_PER_SEC - 1000);
	assert_int_equal(cmos_read(REG_A), 0xa6);
	cmos_write(REG_B, 0x82); /* SET inhibits the update and clears UIP */
	assert_int_equal(cmos_read(REG_A), 0x26);
}

/* Service IRQ8 as a guest handler would until the clock reaches end;
 * register C must have every bit of expect_c (UF comes and goes). */
static unsigned count_interrupts(uint64_t end, uint8_t expect_c)
{
	unsigned n = 0;

	while (vtimer_next_deadline() <= end) {
		advance_to(vtimer_next_deadline());
		assert_int_equal(rec.level, 1);
		assert_int_equal(cmos_read(REG_C) & (expect_c | 0x0f), expect_c);
		assert_int_equal(rec.level, 0);
		n++;
	}
	return n;
}

static void test_periodic_1024hz(void **state)
{
	(void)state;
	cmos_write(REG_B, 0x42); /* PIE */
	assert_int_equal(vtimer_next_deadline(), T0 + 976563); /* 1/1024 s */
	assert_int_equal(count_interrupts(T0 + NS_PER_SEC / 4, 0xc0), 256);
	assert_int_equal(rec.raised, 256);
}

static void test_periodic_rates_do_not_drift(void **state)
{
	(void)state;
	cmos_write(REG_A, 0x23); /* RS = 3: 8192 Hz, 122.07 us, not whole ns */
	cmos_write(REG_B, 0x42);
	assert_int_equal(count_interrupts(T0 + 3 * NS_PER_SEC, 0xc0), 3 * 8192);

	cmos_write(REG_A, 0x2f); /* RS = 15: 2 Hz */
	assert_int_equal(count_interrupts(T0 + 13 * NS_PER_SEC, 0xc0), 20);

	cmos_write(REG_A, 0x21); /* RS = 1: 256 Hz on a 32.768 kHz base */
	assert_int_equal(count_interrupts(T0 + 14 * NS_PER_SEC, 0xc0), 256);

	cmos_write(REG_A, 0x20); /* RS = 0: none */
	assert_true(vtimer_next_deadline() == VTIMER_NEVER);
}

static void test_irq_held_until_reg_c_read(void **state)
{
	(void)state;
	cmos_write(REG_B, 0x42);
	advance_to(T0 + 10 * MS);
	assert_int_equal(rec.level, 1);
	assert_true(vtimer_next_deadline() == VTIMER_NEVER); /* no exits meanwhile */
	advance_to(T0 + 20 * MS);
	assert_int_equal(rec.raised, 1);
	assert_int_equal(cmos_read(REG_C), 0xc0);
	assert_int_equal(rec.level, 0);
	assert_int_equal(cmos_read(REG_C), 0x00); /* read clears */
	assert_true(vtimer_next_deadline() > T0 + 20 * MS);
}

static void test_flags_set_without_enables(void **state)
{
	(void)state;
	advance_to(T0 + 10 * MS);
	assert_int_equal(cmos_read(REG_C), 0x40); /* PF, no IRQF */
	advance_to(FIRST_UPDATE);
	assert_int_equal(cmos_read(REG_C), 0x50); /* PF and UF */
	assert_int_equal(rec.raised, 0);
	assert_true(vtimer_next_deadline() == VTIMER_NEVER);

	/* Enabling PIE while PF is set raises the line at once. */
	advance_to(FIRST_UPDATE + 10 * MS);
	cmos_write(REG_B, 0x42);
	assert_int_equal(rec.level, 1);
	assert_int_equal(cmos_read(REG_C), 0xc0);
}

static void test_update_ended_interrupt(void **state)
{
	(void)state;
	cmos_write(REG_A, 0x20); /* no periodic flags, to see UF alone */
	cmos_write(REG_B, 0x12); /* UIE */
	assert_int_equal(vtimer_next_deadline(), FIRST_UPDATE);
	advance_to(FIRST_UPDATE);
	assert_int_equal(rec.level, 1);
	assert_int_equal(cmos_read(0x00), 0x31);
	assert_int_equal(cmos_read(REG_C), 0x90);
	assert_int_equal(count_interrupts(FIRST_UPDATE + 10 * NS_PER_SEC, 0x90), 10);
}

static void test_alarm_interrupt(void **state)
{
	(void)state;
	cmos_write(REG_A, 0x20);
	cmos_write(0x01, 0x33); /* alarm 13:45:33 */
	cmos_write(0x03, 0x45);
	cmos_write(0x05, 0x13);
	cmos_write(REG_B, 0x22); /* AIE */
	assert_int_equal(vtimer_next_deadline(), FIRST_UPDATE + 2 * NS_PER_SEC);
	advance_to(FIRST_UPDATE + 2 * NS_PER_SEC - 1);
	assert_int_equal(rec.level, 0);
	advance_to(FIRST_UPDATE + 2 * NS_PER_SEC);
	assert_int_equal(rec.level, 1);
	assert_int_equal(cmos_read(REG_C), 0xb0); /* IRQF, AF, UF */
	assert_int_equal(vtimer_next_deadline(), FIRST_UPDATE + (2 + 86400) * NS_PER_SEC);
}

static void test_alarm_dont_care(void **state)
{
	(void)state;
	cmos_write(REG_A, 0x20);
	cmos_write(0x01, 0x00); /* hh = don't care, 00:00 -> 14:00:00 */
	cmos_write(0x03, 0x00);
	cmos_write(0x05, 0xc0);
	cmos_write(REG_B, 0x22);
	assert_int_equal(vtimer_next_deadline(), FIRST_UPDATE + 869 * NS_PER_SEC);

	cmos_write(0x01, 0xff); /* all don't care: every second */
	cmos_write(0x03, 0xff);
	cmos_write(0x05, 0xff);
	assert_int_equal(count_interrupts(FIRST_UPDATE + 4 * NS_PER_SEC, 0xb0), 5);

	cmos_write(0x03, 0x7f); /* a minute that never comes */
	assert_true(vtimer_next_deadline() == VTIMER_NEVER);
}

static void test_alarm_12h(void **state)
{
	(void)state;
	cmos_write(REG_A, 0x20);
	cmos_write(REG_B, 0x00); /* 12 h BCD */
	cmos_write(0x01, 0x32);
	cmos_write(0x03, 0x45);
	cmos_write(0x05, 0x81); /* 1 PM */
	cmos_write(REG_B, 0x20);
	assert_int_equal(vtimer_next_deadline(), FIRST_UPDATE + NS_PER_SEC);
}

static void test_set_time_and_y2k(void **state)
{
	(void)state;
	cmos_write(REG_B, 0x92); /* SET with UIE: SET clears UIE */
	assert_int_equal(cmos_read(REG_B), 0x82);
	cmos_write(0x00, 0x58);
	cmos_write(0x02, 0x59);
	cmos_write(0x04, 0x23);
	cmos_write(0x06, 0x06); /* Friday */
	cmos_write(0x07, 0x31);
	cmos_write(0x08, 0x12);
	cmos_write(0x09, 0x99);
	cmos_write(0x32, 0x19);
	advance_to(T0 + 3 * NS_PER_SEC + 200 * MS); /* frozen while SET */
	assert_time(0x58, 0x59, 0x23, 6, 0x31, 0x12, 0x99, 0x19);
	cmos_write(REG_B, 0x02);
	/* The divider kept its phase: next update at T0 + 3.5 s. */
	advance_to(T0 + 3 * NS_PER_SEC + 500 * MS - 1);
	assert_int_equal(cmos_read(0x00), 0x58);
	advance_to(T0 + 3 * NS_PER_SEC + 500 * MS);
	assert_int_equal(cmos_read(0x00), 0x59);
	advance_to(T0 + 4 * NS_PER_SEC + 500 * MS);
	assert_time(0x00, 0x00, 0x00, 7, 0x01, 0x01, 0x00, 0x20);
}

static void test_write_while_running(void **state)
{
	(void)state;
	cmos_write(0x06, 0x01); /* the guest says Sunday; the chip believes it */
	assert_int_equal(cmos_read(0x06), 1);
	cmos_write(0x02, 0x10); /* minutes, with the clock running */
	assert_int_equal(cmos_read(0x02), 0x10);
	assert_int_equal(cmos_read(0x00), 0x30);
	assert_int_equal(cmos_read(0x04), 0x13);
	advance_to(FIRST_UPDATE + 36869 * NS_PER_SEC + 35 * 60 * NS_PER_SEC);
	assert_int_equal(cmos_read(0x04), 0x00); /* past midnight */
	assert_int_equal(cmos_read(0x06), 2);
}

static void test_divider_reset(void **state)
{
	(void)state;
	advance_to(T0 + 200 * MS);
	cmos_write(REG_A, 0x76); /* DV = 111: hold the divider */
	advance_to(T0 + 3 * NS_PER_SEC);
	assert_int_equal(cmos_read(0x00), 0x30);
	assert_int_equal(cmos_read(REG_C), 0x40); /* PF from before the hold only */
	assert_int_equal(cmos_read(REG_C), 0x00);
	advance_to(T0 + 3 * NS_PER_SEC + 200 * MS);
	cmos_write(REG_A, 0x26); /* release: first update 500 ms later */
	cmos_write(REG_B, 0x42); /* periodic ticks restart from the release */
	assert_int_equal(vtimer_next_deadline(), T0 + 3 * NS_PER_SEC + 200 * MS + 976563);
	cmos_write(REG_B, 0x02);
	advance_to(T0 + 3 * NS_PER_SEC + 700 * MS - 1);
	assert_int_equal(cmos_read(0x00), 0x30);
	advance_to(T0 + 3 * NS_PER_SEC + 700 * MS);
	assert_int_equal(cmos_read(0x00), 0x31);
}

static void test_memory_64m(void **state)
{
	(void)state;
	vrtc_set_memory(&rtc, 64ull << 20);
	assert_int_equal(cmos_read(0x15), 0x80); /* 640 KiB */
	assert_int_equal(cmos_read(0x16), 0x02);
	assert_int_equal(cmos_read(0x17), 0x00); /* 63 MiB = 0xFC00 KiB */
	assert_int_equal(cmos_read(0x18), 0xfc);
	assert_int_equal(cmos_read(0x30), 0x00);
	assert_int_equal(cmos_read(0x31), 0xfc);
	assert_int_equal(cmos_read(0x34), 0x00); /* 48 MiB = 0x300 x 64 KiB */
	assert_int_equal(cmos_read(0x35), 0x03);
	assert_int_equal(cmos_read(0x5b), 0);
	assert_int_equal(cmos_read(0x5c), 0);
	assert_int_equal(cmos_read(0x5d), 0);
	assert_int_equal(cmos_read(0x14), 0x02); /* FPU, VGA, no floppy */
	/* 0x02 + 0x80 + 0x02 + 0xfc */
	assert_int_equal(cmos_read(0x2e), 0x01);
	assert_int_equal(cmos_read(0x2f), 0x80);
}

static void test_memory_3g(void **state)
{
	(void)state;
	vrtc_set_memory(&rtc, 3ull << 30);
	assert_int_equal(cmos_read(0x17), 0xff); /* capped */
	assert_int_equal(cmos_read(0x18), 0xff);
	assert_int_equal(cmos_read(0x30), 0xff);
	assert_int_equal(cmos_read(0x31), 0xff);
	assert_int_equal(cmos_read(0x34), 0x00); /* 3 GiB - 16 MiB = 0xBF00 */
	assert_int_equal(cmos_read(0x35), 0xbf);
	assert_int_equal(cmos_read(0x5b), 0);
	assert_int_equal(cmos_read(0x5c), 0);
	assert_int_equal(cmos_read(0x5d), 0);
	assert_int_equal(cmos_read(0x2e), 0x02); /* 0x02 + 0x80 + 0x02 + 0xff + 0xff */
	assert_int_equal(cmos_read(0x2f), 0x82);
}

static void test_memory_6g(void **state)
{
	(void)state;
	vrtc_set_memory(&rtc, 6ull << 30);
	assert_int_equal(cmos_read(0x34), 0x00); /* up to 0xE0000000: 0xDF00 */
	assert_int_equal(cmos_read(0x35), 0xdf);
	assert_int_equal(cmos_read(0x5b), 0x00); /* 2.5 GiB above 4 GiB = 0xA000 */
	assert_int_equal(cmos_read(0x5c), 0xa0);
	assert_int_equal(cmos_read(0x5d), 0x00);
	assert_int_equal(cmos_read(0x2e), 0x02);
	assert_int_equal(cmos_read(0x2f), 0x82);

	vrtc_set_memory(&rtc, 2ull << 40); /* 2 TiB: 24-bit field saturates */
	assert_int_equal(cmos_read(0x5b), 0xff);
	assert_int_equal(cmos_read(0x5c), 0xff);
	assert_int_equal(cmos_read(0x5d), 0xff);

	vrtc_set_memory(&rtc, 512 << 10); /* less than 1 MiB */
	assert_int_equal(cmos_read(0x17), 0);
	assert_int_equal(cmos_read(0x18), 0);
	assert_int_equal(cmos_read(0x34), 0);
	assert_int_equal(cmos_read(0x35), 0);
}

static void test_boot_order(void **state)
{
	(void)state;
	vrtc_set_boot_order(&rtc, VRTC_BOOT_CDROM, VRTC_BOOT_HDD, VRTC_BOOT_FLOPPY);
	assert_int_equal(cmos_read(0x3d), 0x23);
	assert_int_equal(cmos_read(0x38), 0x10);
}

static void test_index_port_and_nmi_mask(void **state)
{
	(void)state;
	io_write(VRTC_PORT_INDEX, 1, 0x80 | REG_A);
	assert_true(vrtc_nmi_masked(&rtc));
	assert_int_equal(io_read(VRTC_PORT_DATA, 1), 0x26);
	io_write(VRTC_PORT_INDEX, 1, REG_A);
	assert_false(vrtc_nmi_masked(&rtc));
	assert_int_equal(io_read(VRTC_PORT_INDEX, 1), 0xff); /* write-only */

	/* A word write is an index cycle then a data cycle. */
	io_write(VRTC_PORT_INDEX, 2, 0x7740);
	assert_int_equal(cmos_read(0x40), 0x77);
	io_write(VRTC_PORT_INDEX, 1, 0x40);
	assert_int_equal(io_read(VRTC_PORT_INDEX, 2), 0x77ff);
	assert_int_equal(io_read(VRTC_PORT_DATA, 4), 0xffffff77);
}

static void test_read_only_bits(void **state)
{
	(void)state;
	cmos_write(REG_D, 0x00);
	assert_int_equal(cmos_read(REG_D), 0x80);
	cmos_write(REG_C, 0xff);
	assert_int_equal(cmos_read(REG_C), 0x00);
	cmos_write(REG_A, 0xa6); /* UIP is read-only */
	assert_int_equal(cmos_read(REG_A), 0x26);
	cmos_write(0x7f, 0x5a);
	assert_int_equal(cmos_read(0x7f), 0x5a);
}

static void test_hostile_values(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 256; i++)
		cmos_write((uint8_t)i, 0xff);
	advance_to(T0 + 5 * NS_PER_SEC);
	for (unsigned i = 0; i < 256; i++)
		(void)cmos_read((uint8_t)i);
	/* Garbage BCD clamps to 9999-12-31 23:59:59; then the year wraps. */
	cmos_write(REG_A, 0x20);
	cmos_write(REG_B, 0x02);
	assert_int_equal(cmos_read(0x00), 0x59);
	assert_int_equal(cmos_read(0x04), 0x23);
	assert_int_equal(cmos_read(0x07), 0x31);
	assert_int_equal(cmos_read(0x32), 0x99);
	advance_to(T0 + 5 * NS_PER_SEC + 500 * MS);
	/* The day of week is its own counter: no check on it here. */
	assert_int_equal(cmos_read(0x00), 0x00);
	assert_int_equal(cmos_read(0x02), 0x00);
	assert_int_equal(cmos_read(0x04), 0x00);
	assert_int_equal(cmos_read(0x07), 0x01);
	assert_int_equal(cmos_read(0x08), 0x01);
	assert_int_equal(cmos_read(0x09), 0x00);
	assert_int_equal(cmos_read(0x32), 0x00);
}

/* Drive A: in CMOS 0x10 and the equipment byte, checksum kept right. */
static void test_floppy_bytes(void **state)
{
	unsigned sum = 0;

	(void)state;
	vrtc_set_floppy(&rtc, 4);
	assert_int_equal(cmos_read(0x10), 0x40);
	assert_int_equal(cmos_read(0x14) & 0x01, 0x01);
	for (uint8_t r = 0x10; r <= 0x2d; r++)
		sum += cmos_read(r);
	assert_int_equal((cmos_read(0x2e) << 8) | cmos_read(0x2f), sum & 0xffff);
	vrtc_set_floppy(&rtc, 0);
	assert_int_equal(cmos_read(0x10), 0x00);
	assert_int_equal(cmos_read(0x14) & 0x01, 0x00);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_power_on_registers, setup),
		cmocka_unit_test_setup(test_bcd_time, setup),
		cmocka_unit_test_setup(test_binary_time, setup),
		cmocka_unit_test_setup(test_12h_pm, setup),
		cmocka_unit_test_setup(test_clock_advances_and_rolls_over, setup),
		cmocka_unit_test_setup(test_uip_window, setup),
		cmocka_unit_test_setup(test_periodic_1024hz, setup),
		cmocka_unit_test_setup(test_periodic_rates_do_not_drift, setup),
		cmocka_unit_test_setup(test_irq_held_until_reg_c_read, setup),
		cmocka_unit_test_setup(test_flags_set_without_enables, setup),
		cmocka_unit_test_setup(test_update_ended_interrupt, setup),
		cmocka_unit_test_setup(test_alarm_interrupt, setup),
		cmocka_unit_test_setup(test_alarm_dont_care, setup),
		cmocka_unit_test_setup(test_alarm_12h, setup),
		cmocka_unit_test_setup(test_set_time_and_y2k, setup),
		cmocka_unit_test_setup(test_write_while_running, setup),
		cmocka_unit_test_setup(test_divider_reset, setup),
		cmocka_unit_test_setup(test_memory_64m, setup),
		cmocka_unit_test_setup(test_memory_3g, setup),
		cmocka_unit_test_setup(test_memory_6g, setup),
		cmocka_unit_test_setup(test_boot_order, setup),
		cmocka_unit_test_setup(test_index_port_and_nmi_mask, setup),
		cmocka_unit_test_setup(test_read_only_bits, setup),
		cmocka_unit_test_setup(test_hostile_values, setup),
		cmocka_unit_test_setup(test_floppy_bytes, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
