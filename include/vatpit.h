/*
 * The virtual 8254 programmable interval timer (ports 40h-43h) and the
 * chipset's NMI status and control register at port 61h (the gate of
 * counter 2, the speaker enable, the refresh toggle and OUT2).
 *
 * Reference: Intel 82C54 CHMOS Programmable Interval Timer datasheet
 * (231244), and the PIIX/ICH datasheets for port 61h.
 *
 * Counts are never stepped per exit: each counter remembers the CLK tick
 * it was loaded at and computes its count and OUT from vclock_now_ns()
 * (CLK = 1193182 Hz), so there is no drift.  Counter 0's OUT drives
 * IRQ0: a vtimer is armed at the next rising edge of OUT0, and each
 * rising edge is sent down the irq_line as a pulse (level 1 then 0),
 * which is what the PIC's edge-triggered input latches.
 */
#ifndef LAMINA_VATPIT_H
#define LAMINA_VATPIT_H

#include "irq.h"
#include "types.h"
#include "vclock.h"

#define VATPIT_HZ 1193182u
#define VATPIT_PORT 0x40       /* 40h-42h counters 0-2, 43h control word */
#define VATPIT_PORT_NMI_SC 0x61

/* One counter: its registers and where its counting element stands. */
struct vatpit_counter {
	uint8_t ctrl;        /* RW1 RW0 M2 M1 M0 BCD as last written */
	uint8_t mode;        /* 0-5 (6 and 7 work as 2 and 3) */
	uint16_t cr;         /* count register */
	uint8_t cr_lsb;      /* first byte of a two-byte count */
	bool write_msb;      /* two-byte count: the MSB is written next */
	bool read_msb;       /* two-byte count: the MSB is read next */
	bool count_latched;  /* ol holds a latched count */
	bool status_latched; /* status holds a latched status byte */
	uint16_t ol;         /* output latch */
	uint8_t status;
	bool gate;
	bool has_count;      /* a count was written since the control word */
	bool loaded;         /* the counting element works on a count */
	uint32_t n;          /* that count: 1-65536 (1-10000 in BCD) */
	uint64_t load_tick;  /* CLK tick the count is loaded at */
	uint64_t base_tick;  /* counted CLKs = base_elapsed + CLKs since base_tick */
	uint64_t base_elapsed;
	bool running;        /* counting enabled (GATE) */
	uint16_t idle_ce;    /* count read while nothing is loaded (or yet) */
	bool idle_out;       /* OUT while nothing is loaded (or yet) */
	bool switch_pending; /* modes 2/3: a new count takes over at switch_tick */
	uint32_t switch_n;
	uint64_t switch_tick;
	uint64_t switch_elapsed;
	uint64_t cr_load_tick; /* the CR reaches the counting element (null count until then) */
};

struct vatpit {
	struct vatpit_counter ctr[3];
	uint8_t nmi_sc;         /* port 61h bits 3-0 as written */
	struct irq_line irq0;
	struct vtimer timer;    /* next rising edge of OUT0, or an owed one */
	uint64_t armed_edge;    /* the tick of that next edge */
	uint32_t owed;          /* IRQ0 edges that passed while the vCPU was away */
};

/* Power-on state.  Call once, before the timer can be armed (to reset a
 * running guest, vtimer_reset_all() first). */
void vatpit_init(struct vatpit *t, const struct irq_line *irq0);
uint32_t vatpit_io_read(void *opaque, uint16_t port, unsigned size);
void vatpit_io_write(void *opaque, uint16_t port, unsigned size, uint32_t val);
uint32_t vatpit_port61_read(void *opaque, uint16_t port, unsigned size);
void vatpit_port61_write(void *opaque, uint16_t port, unsigned size, uint32_t val);
int vatpit_attach(struct vatpit *t);

#endif
