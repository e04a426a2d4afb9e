/*
 * The virtual 8254 PIT and port 61h, driven through their ports as the
 * Intel 82C54 datasheet (231244) and Linux program them, against the
 * fake monitor clock.  Expected times are computed here independently
 * with 128-bit arithmetic.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "host_support.h"
#include "iobus.h"
#include "vatpit.h"

#define HZ 1193182ull
#define T0_NS (3 * NS_PER_SEC + 777) /* not on a tick boundary */
#define MAX_RISES 4096

static struct vatpit pit;
static int irq_level;
static unsigned rises;
static uint64_t rise_ns[MAX_RISES];

/* IRQ0 as the PIC sees it: record every rising edge and its time. */
static void irq0_set(void *opaque, unsigned irq, int level)
{
	(void)opaque;
	assert_int_equal(irq, 0);
	if (level && !irq_level) {
		if (rises < MAX_RISES)
			rise_ns[rises] = host_fake_now_ns;
		rises++;
	}
	irq_level = level;
}

static const struct irq_line irq0 = { irq0_set, NULL, 0 };

/* Start of CLK tick k, and the tick at time ns. */
static uint64_t tick_ns(uint64_t k)
{
	return (uint64_t)(((unsigned __int128)k * NS_PER_SEC + HZ - 1) / HZ);
}

static uint64_t tick_at(uint64_t ns)
{
	return (uint64_t)((unsigned __int128)ns * HZ / NS_PER_SEC);
}

static uint64_t now_tick(void)
{
	return tick_at(host_fake_now_ns);
}

/* Move the clock to ns, running each due timer at its own deadline. */
static void run_until(uint64_t ns)
{
	while (vtimer_next_deadline() <= ns) {
		host_fake_now_ns = vtimer_next_deadline();
		vtimer_run_expired(host_fake_now_ns);
	}
	host_fake_now_ns = ns;
}

static void run_to_tick(uint64_t k)
{
	run_until(tick_ns(k));
}

static void outb(uint16_t port, uint8_t val)
{
	if (port == VATPIT_PORT_NMI_SC)
		vatpit_port61_write(&pit, port, 1, val);
	else
		vatpit_io_write(&pit, port, 1, val);
}

static uint8_t inb(uint16_t port)
{
	if (port == VATPIT_PORT_NMI_SC)
		return (uint8_t)vatpit_port61_read(&pit, port, 1);
	return (uint8_t)vatpit_io_read(&pit, port, 1);
}

static uint16_t read16(uint16_t port)
{
	uint8_t lo = inb(port);

	return (uint16_t)(lo | inb(port) << 8);
}

static void write16(uint16_t port, uint16_t val)
{
	outb(port, (uint8_t)val);
	outb(port, (uint8_t)(val >> 8));
}

/* Read-back of counter i's status byte. */
static uint8_t status(unsigned i)
{
	outb(0x43, (uint8_t)(0xe0 | 2u << i));
	return inb((uint16_t)(0x40 + i));
}

static int setup(void **state)
{
	(void)state;
	vtimer_reset_all();
	io_reset();
	host_fake_now_ns = T0_NS;
	irq_level = 0;
	rises = 0;
	vatpit_init(&pit, &irq0);
	return 0;
}

/* Linux's periodic tick: mode 2, LATCH = (1193182 + 50) / 100.  Every
 * edge comes at the exact CLK the datasheet gives, for 10 s. */
static void test_mode2_100hz_no_drift(void **state)
{
	const uint64_t n = (HZ + 50) / 100;
	uint64_t load, end;
	unsigned expect = 0;

	(void)state;
	outb(0x43, 0x34);
	write16(0x40, (uint16_t)n);
	load = now_tick() + 1;
	end = host_fake_now_ns + 10 * NS_PER_SEC;
	run_until(end);
	while (tick_ns(load + (expect + 1) * n) <= end)
		expect++;
	assert_int_equal(rises, expect);
	assert_in_range(rises, 999, 1001);
	for (unsigned k = 0; k < rises; k++)
		assert_int_equal(rise_ns[k], tick_ns(load + (k + 1) * n));
}

/* Mode 3 at 100 Hz with a coarse run loop (every 1 ms): still one edge
 * per period, none lost or doubled. */
static void test_mode3_100hz_coarse_loop(void **state)
{
	uint64_t start = host_fake_now_ns;

	(void)state;
	outb(0x43, 0x36);
	write16(0x40, 11932);
	for (unsigned ms = 1; ms <= 10000; ms++) {
		host_fake_now_ns = start + ms * 1000000ull;
		vtimer_run_expired(host_fake_now_ns);
	}
	assert_in_range(rises, 999, 1001);
	assert_int_equal(rises, (tick_at(start + 10 * NS_PER_SEC) - tick_at(start) - 1) / 11932);
}

/* Mode 2 counts N..1, OUT low for the CLK at 1, reload ("Mode 2"). */
static void test_mode2_count_and_out(void **state)
{
	uint64_t w;

	(void)state;
	outb(0x43, 0x34);
	write16(0x40, 100);
	w = now_tick();
	run_to_tick(w + 1);
	assert_int_equal(read16(0x40), 100);
	run_to_tick(w + 31);
	assert_int_equal(read16(0x40), 70);
	run_to_tick(w + 99);
	assert_int_equal(read16(0x40), 2);
	assert_int_equal(status(0) & 0x80, 0x80);
	run_to_tick(w + 100);
	assert_int_equal(read16(0x40), 1);
	assert_int_equal(status(0) & 0x80, 0x00);
	assert_int_equal(rises, 0);
	run_to_tick(w + 101);
	assert_int_equal(read16(0x40), 100);
	assert_int_equal(status(0) & 0x80, 0x80);
	assert_int_equal(rises, 1);
	assert_int_equal(rise_ns[0], tick_ns(w + 101));
}

/* Mode 3 square wave, even and odd counts ("Mode 3 is implemented as
 * follows"). */
static void test_mode3_counts(void **state)
{
	static const uint16_t even[] = { 10, 8, 6, 4, 2, 10, 8, 6, 4, 2, 10 };
	static const uint16_t odd[] = { 5, 4, 2, 5, 2, 5, 4, 2 };
	static const uint8_t odd_out[] = { 1, 1, 1, 0, 0, 1, 1, 1 };
	uint64_t w;

	(void)state;
	outb(0x43, 0x36);
	write16(0x40, 10);
	w = now_tick();
	for (unsigned k = 0; k < 11; k++) {
		run_to_tick(w + 1 + k);
		outb(0x43, 0xc2); /* read-back: count and status of counter 0 */
		assert_int_equal(inb(0x40) & 0x80, k % 10 < 5 ? 0x80 : 0);
		assert_int_equal(read16(0x40), even[k]);
	}
	assert_int_equal(rises, 1);

	outb(0x43, 0x36);
	write16(0x40, 5);
	w = now_tick();
	for (unsigned k = 0; k < 8; k++) {
		run_to_tick(w + 1 + k);
		outb(0x43, 0xc2);
		assert_int_equal(inb(0x40) >> 7, odd_out[k]);
		assert_int_equal(read16(0x40), odd[k]);
	}
}

/* Counter latch command ("Counter Latch Command"). */
static void test_counter_latch(void **state)
{
	uint64_t w;

	(void)state;
	outb(0x43, 0x34);
	write16(0x40, 1000);
	w = now_tick();
	run_to_tick(w + 101);
	outb(0x43, 0x00);
	run_to_tick(w + 151);
	outb(0x43, 0x00); /* ignored: the first latch is not read yet */
	assert_int_equal(inb(0x40), 900 & 0xff);
	run_to_tick(w + 171);
	assert_int_equal(inb(0x40), 900 >> 8);
	assert_int_equal(read16(0x40), 830); /* released: counting again */
}

/* Read-back status: OUT, null count, mode as written (Figures 11, 12). */
static void test_read_back_status(void **state)
{
	uint64_t w;

	(void)state;
	outb(0x43, 0x30);
	assert_int_equal(status(0), 0x70); /* OUT low, null count, 30h */
	write16(0x40, 16);
	w = now_tick();
	assert_int_equal(status(0), 0x70); /* CR not in the CE yet */
	run_to_tick(w + 1);
	assert_int_equal(status(0), 0x30);
	run_to_tick(w + 16);
	assert_int_equal(status(0), 0x30);
	run_to_tick(w + 17);
	assert_int_equal(status(0), 0xb0);
	assert_int_equal(rises, 1);

	/* Status and count latched together: status first. */
	outb(0x43, 0xc2);
	outb(0x43, 0xc2); /* ignored */
	run_to_tick(w + 30);
	assert_int_equal(inb(0x40), 0xb0);
	assert_int_equal(read16(0x40), 0);
	assert_int_equal(read16(0x40), 0xfff3); /* rolled over */

	/* Several counters at once; counter 1 in mode 6 reads back as 6. */
	outb(0x43, 0x7c);
	write16(0x41, 50);
	outb(0x43, 0xb6);
	outb(0x43, 0xce);
	assert_int_equal(inb(0x40), 0xb0);
	assert_int_equal(inb(0x41), 0xfc);
	assert_int_equal(inb(0x42), 0xf6); /* OUT high, null count, 36h */
	assert_int_equal(read16(0x40), 0xfff3);
}

/* M2 is a don't-care in modes 2 and 3: mode 6 runs as 2 and mode 7 as
 * 3, while the status byte shows the bits as written. */
static void test_modes_6_and_7(void **state)
{
	uint64_t w;

	(void)state;
	outb(0x43, 0x3e); /* counter 0, LSB/MSB, mode 7 */
	write16(0x40, 100);
	w = now_tick();
	run_to_tick(w + 1 + 49);
	assert_int_equal(status(0), 0xbe);
	run_to_tick(w + 1 + 50);
	assert_int_equal(status(0), 0x3e); /* low half of the square wave */
	run_to_tick(w + 1 + 300);
	assert_int_equal(rises, 3);

	outb(0x43, 0x3c); /* mode 6 */
	write16(0x40, 100);
	w = now_tick();
	run_to_tick(w + 100);
	assert_int_equal(status(0), 0x3c); /* the CLK where the count is 1 */
	run_to_tick(w + 101);
	assert_int_equal(rises, 4);
}

/* The LSB/MSB flip-flops, interleaved reads and writes, one-byte modes
 * ("Write Operations", "Read Operations"). */
static void test_access_modes(void **state)
{
	(void)state;
	outb(0x61, 0x00); /* GATE2 low: counter 2 holds still */
	outb(0x43, 0xb4);
	write16(0x42, 0x1234);
	run_to_tick(now_tick() + 5);
	assert_int_equal(inb(0x42), 0x34);
	outb(0x42, 0x78);
	assert_int_equal(inb(0x42), 0x12);
	outb(0x42, 0x56);
	assert_int_equal(read16(0x42), 0x1234); /* not loaded before a trigger */
	outb(0x61, 0x01);
	run_to_tick(now_tick() + 1);
	assert_int_equal(read16(0x42), 0x5678);

	outb(0x43, 0x90); /* LSB only, mode 0 */
	outb(0x42, 0x55);
	run_to_tick(now_tick() + 1);
	assert_int_equal(inb(0x42), 0x55);
	assert_int_equal(inb(0x42), 0x55);
	outb(0x43, 0xa0); /* MSB only */
	outb(0x42, 0x12);
	run_to_tick(now_tick() + 2);
	assert_int_equal(inb(0x42), 0x11); /* 1200h - 1 = 11FFh */
}

/* BCD counting: four decades, 0 = 10000. */
static void test_bcd(void **state)
{
	uint64_t w;

	(void)state;
	outb(0x43, 0x35);
	write16(0x40, 0x1000);
	w = now_tick();
	run_to_tick(w + 2);
	assert_int_equal(read16(0x40), 0x0999);
	run_to_tick(w + 1 + 1000);
	assert_int_equal(read16(0x40), 0x1000);
	assert_int_equal(rises, 1);

	outb(0x43, 0x35);
	write16(0x40, 0x0000);
	w = now_tick();
	run_to_tick(w + 1 + 3);
	assert_int_equal(read16(0x40), 0x9997);
	rises = 0;
	run_to_tick(w + 1 + 30000);
	assert_int_equal(rises, 3);
	assert_int_equal(rise_ns[2], tick_ns(w + 1 + 30000));

	/* Not BCD digits: the count stays in range. */
	outb(0x43, 0x31);
	write16(0x40, 0xffff);
	run_to_tick(now_tick() + 1);
	assert_int_equal(read16(0x40), 0x6665);
}

/* Linux's TSC calibration: GATE2 on, speaker off, counter 2 mode 0,
 * count FFFFh, then MSB reads and OUT2 polled in port 61h bit 5. */
static void test_linux_calibration(void **state)
{
	uint64_t w, tc;

	(void)state;
	outb(0x61, (uint8_t)((inb(0x61) & ~0x02) | 0x01));
	outb(0x43, 0xb0);
	outb(0x42, 0xff);
	outb(0x42, 0xff);
	w = now_tick();
	tc = w + 1 + 0xffff;
	assert_int_equal(inb(0x61) & 0x20, 0);
	run_to_tick(w + 1);
	assert_int_equal(inb(0x42), 0xff);
	assert_int_equal(inb(0x42), 0xff);
	run_to_tick(w + 1 + 256);
	assert_int_equal(inb(0x42), 0xff);
	assert_int_equal(inb(0x42), 0xfe);
	run_to_tick(w + 1 + 0x8000);
	assert_int_equal(read16(0x42), 0x7fff);
	run_until(tick_ns(tc) - 1);
	assert_int_equal(inb(0x61) & 0x20, 0);
	assert_int_equal(read16(0x42), 1);
	run_until(tick_ns(tc));
	assert_int_equal(inb(0x61) & 0x21, 0x21);
	assert_int_equal(read16(0x42), 0);
	run_to_tick(tc + 3 * 65536);
	assert_int_equal(inb(0x61) & 0x20, 0x20); /* stays high after TC */
	assert_int_equal(rises, 0);               /* counter 2 has no IRQ */
}

/* GATE low stops a mode 0 count; the edge moves by the time it was low. */
static void test_gate_pauses_mode0(void **state)
{
	uint64_t w;

	(void)state;
	outb(0x61, 0x01);
	outb(0x43, 0xb0);
	write16(0x42, 1000);
	w = now_tick();
	run_to_tick(w + 1 + 400);
	outb(0x61, 0x00);
	run_to_tick(w + 1 + 900);
	assert_int_equal(read16(0x42), 600);
	outb(0x61, 0x01);
	run_to_tick(w + 1 + 900 + 599);
	assert_int_equal(read16(0x42), 1);
	assert_int_equal(inb(0x61) & 0x20, 0);
	run_to_tick(w + 1 + 900 + 600);
	assert_int_equal(inb(0x61) & 0x20, 0x20);
}

/* Modes 2 and 3: GATE low holds OUT high and stops; a rising edge
 * reloads on the next CLK. */
static void test_gate_modes_2_3(void **state)
{
	uint64_t g;

	(void)state;
	outb(0x61, 0x01);
	outb(0x43, 0xb4);
	write16(0x42, 50);
	run_to_tick(now_tick() + 50); /* the CLK where the count is 1 */
	assert_int_equal(inb(0x61) & 0x20, 0x00);
	outb(0x61, 0x00);
	assert_int_equal(inb(0x61) & 0x20, 0x20);
	run_to_tick(now_tick() + 500);
	assert_int_equal(read16(0x42), 1);
	outb(0x61, 0x01);
	g = now_tick();
	run_to_tick(g + 1);
	assert_int_equal(read16(0x42), 50);
	run_to_tick(g + 50);
	assert_int_equal(inb(0x61) & 0x20, 0x00);

	outb(0x43, 0xb6);
	write16(0x42, 40);
	run_to_tick(now_tick() + 25);
	assert_int_equal(inb(0x61) & 0x20, 0x00);
	outb(0x61, 0x00);
	assert_int_equal(inb(0x61) & 0x20, 0x20);
}

/* Mode 1 one-shot and mode 5 strobe, triggered and retriggered by
 * GATE2's rising edge ("Mode 1", "Mode 5"). */
static void test_gate_triggers(void **state)
{
	uint64_t g;

	(void)state;
	outb(0x61, 0x00);
	outb(0x43, 0x92); /* counter 2, LSB, mode 1 */
	outb(0x42, 10);
	run_to_tick(now_tick() + 20);
	assert_int_equal(inb(0x61) & 0x20, 0x20); /* armed, not triggered */
	assert_int_equal(status(2) & 0x40, 0x40); /* null count until trigger */
	outb(0x61, 0x01);
	g = now_tick();
	assert_int_equal(inb(0x61) & 0x20, 0x20);
	run_to_tick(g + 1);
	assert_int_equal(inb(0x61) & 0x20, 0x00);
	assert_int_equal(status(2) & 0x40, 0x00);
	run_to_tick(g + 5);
	outb(0x61, 0x00);
	outb(0x61, 0x01); /* retrigger */
	run_to_tick(g + 5 + 10);
	assert_int_equal(inb(0x61) & 0x20, 0x00);
	run_to_tick(g + 5 + 11);
	assert_int_equal(inb(0x61) & 0x20, 0x20);

	outb(0x43, 0x9a); /* mode 5 */
	outb(0x42, 10);
	outb(0x61, 0x00);
	outb(0x61, 0x01);
	g = now_tick();
	run_to_tick(g + 10);
	assert_int_equal(inb(0x61) & 0x20, 0x20);
	run_to_tick(g + 11);
	assert_int_equal(inb(0x61) & 0x20, 0x00);
	run_to_tick(g + 12);
	assert_int_equal(inb(0x61) & 0x20, 0x20);
}

/* Mode 0 on counter 0: one IRQ0 edge at terminal count, then none.  A
 * first byte of a new count sets OUT low and stops the count. */
static void test_mode0_irq_once(void **state)
{
	uint64_t w;

	(void)state;
	outb(0x43, 0x30);
	write16(0x40, 1000);
	w = now_tick();
	run_until(host_fake_now_ns + NS_PER_SEC);
	assert_int_equal(rises, 1);
	assert_int_equal(rise_ns[0], tick_ns(w + 1 + 1000));
	assert_int_equal(vtimer_next_deadline(), VTIMER_NEVER);

	outb(0x40, 0x10); /* LSB of a new count */
	assert_int_equal(status(0) & 0x80, 0);
	uint16_t held = read16(0x40);
	run_to_tick(now_tick() + 100);
	assert_int_equal(read16(0x40), held);
	outb(0x40, 0x00); /* MSB: count 10h */
	w = now_tick();
	run_to_tick(w + 1 + 16);
	assert_int_equal(rises, 2);
	assert_int_equal(rise_ns[1], tick_ns(w + 17));
}

/* Mode 4, Linux's one-shot clockevent: OUT strobes low N+1 CLKs after
 * the count; rewriting the count restarts it ("Mode 4"). */
static void test_mode4_oneshot(void **state)
{
	uint64_t w;

	(void)state;
	outb(0x43, 0x38);
	write16(0x40, 500);
	w = now_tick();
	run_to_tick(w + 1 + 300);
	write16(0x40, 500);
	w = now_tick();
	run_to_tick(w + 1 + 500);
	assert_int_equal(rises, 0);
	assert_int_equal(status(0) & 0x80, 0x00); /* the strobe */
	run_to_tick(w + 1 + 501);
	assert_int_equal(rises, 1);
	assert_int_equal(rise_ns[0], tick_ns(w + 1 + 501));
	run_until(host_fake_now_ns + NS_PER_SEC);
	assert_int_equal(rises, 1);
}

/* A count written while mode 2 counts takes over at the end of the
 * period; in mode 3 at the end of the half-cycle. */
static void test_new_count_while_counting(void **state)
{
	uint64_t w;

	(void)state;
	outb(0x43, 0x34);
	write16(0x40, 1000);
	w = now_tick();
	run_to_tick(w + 1 + 300);
	write16(0x40, 500);
	assert_int_equal(status(0) & 0x40, 0x40);
	assert_int_equal(read16(0x40), 700);
	run_to_tick(w + 1 + 2000);
	assert_int_equal(status(0) & 0x40, 0x00);
	assert_int_equal(rises, 3);
	assert_int_equal(rise_ns[0], tick_ns(w + 1 + 1000));
	assert_int_equal(rise_ns[1], tick_ns(w + 1 + 1500));
	assert_int_equal(rise_ns[2], tick_ns(w + 1 + 2000));

	rises = 0;
	outb(0x43, 0x36);
	write16(0x40, 1000);
	w = now_tick();
	run_to_tick(w + 1 + 200);
	write16(0x40, 400); /* high half ends at 500, then 200 low of the new */
	run_to_tick(w + 1 + 500);
	assert_int_equal(status(0) & 0x80, 0x00);
	assert_int_equal(read16(0x40), 400);
	run_to_tick(w + 1 + 1500);
	assert_int_equal(rises, 3);
	assert_int_equal(rise_ns[0], tick_ns(w + 1 + 700));
	assert_int_equal(rise_ns[1], tick_ns(w + 1 + 1100));
	assert_int_equal(rise_ns[2], tick_ns(w + 1 + 1500));
}

/* A control word that takes OUT0 from low to high is an edge too; an
 * edge whose timer has not run yet is not lost by a write. */
static void test_edges_from_writes(void **state)
{
	uint64_t w;

	(void)state;
	outb(0x43, 0x30);
	write16(0x40, 1000);
	outb(0x43, 0x34);
	assert_int_equal(rises, 1);

	write16(0x40, 100);
	w = now_tick();
	host_fake_now_ns = tick_ns(w + 1 + 150); /* the timer did not run */
	outb(0x43, 0x00);
	assert_int_equal(rises, 2);
	assert_int_equal(read16(0x40), 50);
	assert_true(vtimer_next_deadline() == tick_ns(w + 1 + 200));
}

/* Port 61h: writable enables, refresh toggle every 18 CLKs, bits 7-6 0. */
static void test_port61(void **state)
{
	uint64_t k = (now_tick() / 36 + 1) * 36;

	(void)state;
	outb(0x61, 0xff);
	assert_int_equal(inb(0x61) & 0xcf, 0x0f);
	run_to_tick(k + 17);
	assert_int_equal(inb(0x61) & 0x10, 0x00);
	run_to_tick(k + 18);
	assert_int_equal(inb(0x61) & 0x10, 0x10);
	run_to_tick(k + 35);
	assert_int_equal(inb(0x61) & 0x10, 0x10);
	run_to_tick(k + 36);
	assert_int_equal(inb(0x61) & 0x10, 0x00);
	assert_int_equal(vatpit_port61_read(&pit, 0x61, 2) >> 8 & 0xff, 0xff);
	vatpit_port61_write(&pit, 0x62, 1, 0x00);
	assert_int_equal(inb(0x61) & 0x0f, 0x0f);
}

/* A run loop that comes 55 ms late at 100 Hz owes the guest five edges:
 * they arrive a quarter period apart, and over the whole run the guest
 * counts as many edges as the 8254 made. */
static void test_lost_ticks_caught_up(void **state)
{
	uint64_t start;

	(void)state;
	outb(0x43, 0x34);
	write16(0x40, 11932);
	run_until(host_fake_now_ns + NS_PER_SEC / 100 + 1000);
	assert_int_equal(rises, 1);
	start = rise_ns[0];
	host_fake_now_ns += 55 * 1000000ull; /* the vCPU was away */
	vtimer_run_expired(host_fake_now_ns);
	assert_int_equal(rises, 2);
	run_until(host_fake_now_ns + 25 * 1000000ull);
	assert_int_equal(rises, 1 + (tick_at(host_fake_now_ns) - tick_at(start)) / 11932);
	assert_true(rise_ns[3] - rise_ns[2] < 4 * 1000000ull);

	/* Reprogramming counter 0 forgets what was owed. */
	host_fake_now_ns += 100 * 1000000ull;
	vtimer_run_expired(host_fake_now_ns);
	rises = 0;
	outb(0x43, 0x34);
	write16(0x40, 11932);
	run_until(host_fake_now_ns + 5 * 1000000ull);
	assert_int_equal(rises, 0);
}

/* Illegal counts, unreadable ports, and every control word. */
static void test_bogus_input(void **state)
{
	uint32_t x = 1;

	(void)state;
	assert_int_equal(inb(0x43), 0xff);
	assert_int_equal(vatpit_io_read(&pit, 0x42, 4) >> 8, 0xffffff);
	vatpit_io_write(&pit, 0x44, 4, 0x12345678);
	vatpit_io_write(&pit, 0x1234, 1, 0x34);

	outb(0x43, 0x34);
	write16(0x40, 1); /* mode 2 count 1 is illegal: no edges */
	run_until(host_fake_now_ns + NS_PER_SEC / 10);
	assert_int_equal(rises, 0);
	assert_int_equal(vtimer_next_deadline(), VTIMER_NEVER);

	outb(0x43, 0x34);
	write16(0x40, 2); /* 600 kHz: edges merge when the loop is slow */
	host_fake_now_ns += NS_PER_SEC / 1000;
	vtimer_run_expired(host_fake_now_ns);
	assert_int_equal(rises, 1);
	assert_true(vtimer_next_deadline() > host_fake_now_ns);

	outb(0x43, 0xc3); /* read-back with the reserved bit set */
	for (unsigned i = 0; i < 100000; i++) {
		x = x * 1103515245u + 12345u;
		switch ((x >> 16) % 4) {
		case 0:
			outb((uint16_t)(0x40 + (x >> 8) % 4), (uint8_t)(x >> 20));
			break;
		case 1:
			inb((uint16_t)(0x40 + (x >> 8) % 3));
			break;
		case 2:
			outb(0x61, (uint8_t)(x >> 20));
			break;
		default:
			host_fake_now_ns += (x >> 18) % 5000;
			vtimer_run_expired(host_fake_now_ns);
		}
		assert_true(vtimer_next_deadline() > host_fake_now_ns);
	}
}

static void test_attach_on_bus(void **state)
{
	(void)state;
	assert_int_equal(vatpit_attach(&pit), 0);
	assert_string_equal(io_owner(0x43), "8254 PIT");
	assert_string_equal(io_owner(0x61), "port 61h");
	io_write(0x43, 1, 0x34);
	io_write(0x40, 1, 0x00);
	io_write(0x40, 1, 0x10);
	run_to_tick(now_tick() + 2);
	io_write(0x43, 1, 0x00);
	assert_int_equal(io_read(0x40, 1), 0xff);
	assert_int_equal(io_read(0x40, 1), 0x0f);
	io_write(0x61, 1, 0x01);
	assert_int_equal(io_read(0x61, 1) & 0x01, 0x01);
	assert_int_equal(vatpit_attach(&pit), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_mode2_100hz_no_drift, setup),
		cmocka_unit_test_setup(test_mode3_100hz_coarse_loop, setup),
		cmocka_unit_test_setup(test_mode2_count_and_out, setup),
		cmocka_unit_test_setup(test_mode3_counts, setup),
		cmocka_unit_test_setup(test_counter_latch, setup),
		cmocka_unit_test_setup(test_read_back_status, setup),
		cmocka_unit_test_setup(test_modes_6_and_7, setup),
		cmocka_unit_test_setup(test_access_modes, setup),
		cmocka_unit_test_setup(test_bcd, setup),
		cmocka_unit_test_setup(test_linux_calibration, setup),
		cmocka_unit_test_setup(test_gate_pauses_mode0, setup),
		cmocka_unit_test_setup(test_gate_modes_2_3, setup),
		cmocka_unit_test_setup(test_gate_triggers, setup),
		cmocka_unit_test_setup(test_mode0_irq_once, setup),
		cmocka_unit_test_setup(test_mode4_oneshot, setup),
		cmocka_unit_test_setup(test_new_count_while_counting, setup),
		cmocka_unit_test_setup(test_edges_from_writes, setup),
		cmocka_unit_test_setup(test_port61, setup),
		cmocka_unit_test_setup(test_bogus_input, setup),
		cmocka_unit_test_setup(test_lost_ticks_caught_up, setup),
		cmocka_unit_test_setup(test_attach_on_bus, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
