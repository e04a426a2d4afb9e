/*
 * The virtual 8254 PIT and port 61h (see include/vatpit.h).  Section and
 * figure names below are those of the Intel 82C54 datasheet (231244).
 *
 * A counter's counting element (CE) is not stepped: once a count N is
 * loaded at CLK tick load_tick, the number of CLKs it has counted is
 * base_elapsed + (now - base_tick) while GATE lets it count, and the
 * count and OUT of every mode follow from that number and N.
 */
#include "vatpit.h"
#include "iobus.h"
#include "kprintf.h"
#include "lib.h"

/* Control word, Figure 7 "Control Word Format". */
#define CW_BCD 0x01
#define CW_MODE_SHIFT 1
#define CW_RW_SHIFT 4
#define CW_SC_SHIFT 6
#define CW_PROGRAM 0x3f     /* RW1-BCD: what the status byte reports */
#define CW_SC_READ_BACK 3
#define RW_LATCH 0          /* counter latch command */
#define RW_LSB 1
#define RW_MSB 2
#define RW_LSB_MSB 3

/* Read-back command, Figure 10 "Read-Back Command Format". */
#define RB_CNT0 0x02        /* CNT1 and CNT2 follow */
#define RB_STATUS_N 0x10    /* 0 = latch status */
#define RB_COUNT_N 0x20     /* 0 = latch count */

/* Status byte, Figure 11 "Status Byte". */
#define ST_OUTPUT 0x80
#define ST_NULL_COUNT 0x40

/* Port 61h, NMI status and control (PIIX/ICH). */
#define NMI_SC_TIM_CNT2_EN 0x01  /* GATE of counter 2 */
#define NMI_SC_SPKR_DAT_EN 0x02  /* speaker data enable */
#define NMI_SC_WRITABLE 0x0f     /* + speaker data, SERR# and IOCHK# enables */
#define NMI_SC_REF_TOGGLE 0x10
#define NMI_SC_TMR2_OUT_STS 0x20
#define REFRESH_CLKS 18          /* a refresh request every 15.085 us */

#define TICK_NEVER UINT64_MAX
#define NO_EDGE UINT64_MAX

/* The CLK tick at monitor time ns: floor(ns * 1193182 / 10^9), split at
 * whole seconds so every product fits in 64 bits. */
static uint64_t pit_tick(uint64_t ns)
{
	return ns / NS_PER_SEC * VATPIT_HZ + ns % NS_PER_SEC * VATPIT_HZ / NS_PER_SEC;
}

/* The first nanosecond at which pit_tick() reaches tick. */
static uint64_t pit_tick_ns(uint64_t tick)
{
	return tick / VATPIT_HZ * NS_PER_SEC +
	       (tick % VATPIT_HZ * NS_PER_SEC + VATPIT_HZ - 1) / VATPIT_HZ;
}

/* The counter's range: 2^16 binary or 10^4 BCD ("Counter": the largest
 * count, 0, stands for that). */
static uint32_t ctr_modulus(const struct vatpit_counter *c)
{
	return (c->ctrl & CW_BCD) ? 10000 : 65536;
}

/* RW1-RW0 of the last control word: how counts are written and read. */
static unsigned ctr_rw(const struct vatpit_counter *c)
{
	return (c->ctrl >> CW_RW_SHIFT) & 3;
}

/* The CR as a count of CLKs, 0 meaning the full range.  A BCD "digit"
 * above 9 is taken at face value and the sum kept to four decades. */
static uint32_t ctr_count(const struct vatpit_counter *c)
{
	uint32_t v = c->cr, m = ctr_modulus(c);

	if (c->ctrl & CW_BCD)
		v = ((v >> 12) * 1000 + (v >> 8 & 15) * 100 + (v >> 4 & 15) * 10 + (v & 15)) % m;
	return v ? v : m;
}

/* A count as the CE shows it: binary, or four BCD digits. */
static uint16_t ctr_encode(const struct vatpit_counter *c, uint32_t v)
{
	v %= ctr_modulus(c);
	if (!(c->ctrl & CW_BCD))
		return (uint16_t)v;
	return (uint16_t)(v / 1000 << 12 | v / 100 % 10 << 8 | v / 10 % 10 << 4 | v % 10);
}

/* CLKs counted since the load, at tick now. */
static uint64_t ctr_elapsed(const struct vatpit_counter *c, uint64_t now)
{
	return c->base_elapsed + (c->running && now > c->base_tick ? now - c->base_tick : 0);
}

/* Before the CLK that loads a count (or with none loaded) the CE still
 * shows its old count and OUT keeps its level. */
static bool ctr_idle(const struct vatpit_counter *c, uint64_t now)
{
	return !c->loaded || now < c->load_tick;
}

/* Mode 3's count p CLKs into a period of n ("Mode 3 is implemented as
 * follows"): an even count goes N, N-2, ... 2 in each half; an odd count
 * goes N, N-1, N-3, ... 2 in the high half ((N+1)/2 CLKs) and
 * N, N-3, ... 2 in the low half ((N-1)/2 CLKs). */
static uint32_t mode3_count(uint32_t n, uint32_t p)
{
	uint32_t high = (n + 1) / 2;
	bool low = p >= high;

	if (low)
		p -= high;
	if (!(n & 1) || p == 0)
		return n - 2 * p;
	return low ? n - 1 - 2 * p : n + 1 - 2 * p;
}

/* The CE at tick now ("Mode Definitions"): modes 2 and 3 reload at the
 * end of each period; 0, 1, 4 and 5 count on through 0 and wrap. */
static uint16_t ctr_ce(const struct vatpit_counter *c, uint64_t now)
{
	uint64_t e;

	if (ctr_idle(c, now))
		return c->idle_ce;
	e = ctr_elapsed(c, now);
	switch (c->mode) {
	case 2:
		return ctr_encode(c, c->n - (uint32_t)(e % c->n));
	case 3:
		return ctr_encode(c, mode3_count(c->n, (uint32_t)(e % c->n)));
	default:
		return ctr_encode(c, c->n + ctr_modulus(c) - (uint32_t)(e % ctr_modulus(c)));
	}
}

/* OUT at tick now ("Mode Definitions"): mode 0 rises at terminal count;
 * mode 1 is low for the N CLKs of the one-shot; mode 2 is low for the
 * CLK where the count is 1 (a count of 1 is illegal: OUT stays high);
 * mode 3 is high for the first (N+1)/2 CLKs of each period; modes 4 and
 * 5 strobe low for the CLK at terminal count.  GATE low holds OUT high
 * in modes 2 and 3. */
static bool ctr_out(const struct vatpit_counter *c, uint64_t now)
{
	uint64_t e;

	if (ctr_idle(c, now))
		return c->idle_out;
	e = ctr_elapsed(c, now);
	switch (c->mode) {
	case 0:
	case 1:
		return e >= c->n;
	case 2:
		return !c->gate || c->n < 2 || e % c->n != c->n - 1;
	case 3:
		return !c->gate || e % c->n < (c->n + 1) / 2;
	default:
		return e != c->n;
	}
}

/* CLKs counted at the next rising edge of OUT after e, or NO_EDGE. */
static uint64_t ctr_next_rise(const struct vatpit_counter *c, uint64_t e)
{
	switch (c->mode) {
	case 0:
	case 1:
		return e < c->n ? c->n : NO_EDGE;
	case 2:
	case 3:
		return c->n < 2 ? NO_EDGE : (e / c->n + 1) * c->n;
	default:
		return e <= c->n ? (uint64_t)c->n + 1 : NO_EDGE;
	}
}

/* Modes 2 and 3: a new count written while counting takes over at the
 * end of the period (mode 2) or half-cycle (mode 3) once its time has
 * come. */
static void ctr_sync(struct vatpit_counter *c, uint64_t now)
{
	if (!c->switch_pending || now < c->switch_tick)
		return;
	c->n = c->switch_n;
	c->base_tick = c->switch_tick;
	c->base_elapsed = c->switch_elapsed;
	c->switch_pending = false;
}

/* The tick of the next rising edge of OUT after tick now, or NO_EDGE. */
static uint64_t ctr_next_edge(const struct vatpit_counter *c, uint64_t now)
{
	uint64_t rise, tick = NO_EDGE;
	struct vatpit_counter after;

	if (!c->loaded)
		return NO_EDGE;
	if (now < c->load_tick && !c->idle_out && ctr_out(c, c->load_tick))
		return c->load_tick; /* OUT rises as the count is loaded */
	if (!c->running)
		return NO_EDGE;
	rise = ctr_next_rise(c, ctr_elapsed(c, now));
	if (rise != NO_EDGE)
		tick = c->base_tick + (rise - c->base_elapsed);
	if (!c->switch_pending || tick <= c->switch_tick)
		return tick;
	after = *c;
	ctr_sync(&after, c->switch_tick);
	return ctr_next_edge(&after, now);
}

/* "Counter loading": the CR goes to the CE on the next CLK.  Until then
 * the CE keeps its count and OUT the level out_before.  Modes 1 and 5
 * count whatever GATE does; the others only while it is high.  Null
 * count ends at that CLK (Figure 12). */
static void ctr_load(struct vatpit_counter *c, uint64_t now, bool out_before)
{
	c->idle_ce = ctr_ce(c, now);
	c->idle_out = out_before;
	c->n = ctr_count(c);
	c->loaded = true;
	c->load_tick = c->base_tick = now + 1;
	c->base_elapsed = 0;
	c->running = c->gate || c->mode == 1 || c->mode == 5;
	c->switch_pending = false;
	if (c->cr_load_tick > now + 1)
		c->cr_load_tick = now + 1;
}

/* Modes 2 and 3, a count written while counting: "it will be loaded at
 * the end of the current counting cycle" (mode 2) or "half-cycle"
 * (mode 3); a mode 3 count taking over after a high half starts low. */
static void ctr_switch_later(struct vatpit_counter *c, uint64_t now)
{
	uint64_t e = ctr_elapsed(c, now);
	uint64_t start = e - e % c->n;
	uint64_t at = start + c->n;

	c->switch_n = ctr_count(c);
	c->switch_elapsed = 0;
	if (c->mode == 3 && e - start < (c->n + 1) / 2) {
		at = start + (c->n + 1) / 2;
		c->switch_elapsed = (c->switch_n + 1) / 2;
	}
	c->switch_tick = c->base_tick + (at - c->base_elapsed);
	c->switch_pending = true;
	c->cr_load_tick = c->switch_tick;
}

/* A whole count reached the CR ("Mode Definitions"): modes 0 and 4 load
 * it on the next CLK (mode 0 with OUT low until terminal count), modes 1
 * and 5 wait for a trigger, modes 2 and 3 load it now only if not yet
 * counting.  Null count is set until the CR reaches the CE. */
static void ctr_count_written(struct vatpit_counter *c, uint64_t now)
{
	c->has_count = true;
	c->cr_load_tick = TICK_NEVER;
	switch (c->mode) {
	case 0:
		ctr_load(c, now, false);
		break;
	case 4:
		ctr_load(c, now, ctr_out(c, now));
		break;
	case 2:
	case 3:
		if (ctr_idle(c, now))
			ctr_load(c, now, ctr_out(c, now));
		else if (c->running)
			ctr_switch_later(c, now);
		break;
	default:
		break;
	}
}

/* A byte written to a counter: the whole count, or one half of it with
 * the LSB/MSB flip-flop ("Write Operations").  In mode 0 the first byte
 * of two sets OUT low at once and stops the count ("Mode 0"; the 82C54
 * keeps counting if the old count had already rolled over, which only
 * shows in a read between the two bytes). */
static void ctr_write(struct vatpit_counter *c, uint8_t val, uint64_t now)
{
	switch (ctr_rw(c)) {
	case RW_LSB:
		c->cr = val;
		break;
	case RW_MSB:
		c->cr = (uint16_t)(val << 8);
		break;
	default:
		if (!c->write_msb) {
			c->cr_lsb = val;
			c->write_msb = true;
			if (c->mode == 0) {
				c->idle_ce = ctr_ce(c, now);
				c->idle_out = false;
				c->loaded = false;
			}
			return;
		}
		c->cr = (uint16_t)(c->cr_lsb | val << 8);
		c->write_msb = false;
	}
	ctr_count_written(c, now);
}

/* Counter latch command: the OL holds the count until it is read; a
 * second latch before that is ignored ("Counter Latch Command"). */
static void ctr_latch_count(struct vatpit_counter *c, uint64_t now)
{
	if (c->count_latched)
		return;
	c->ol = ctr_ce(c, now);
	c->count_latched = true;
}

/* Status latch: OUT, null count and the programmed mode (Figure 11). */
static void ctr_latch_status(struct vatpit_counter *c, uint64_t now)
{
	if (c->status_latched)
		return;
	c->status = (uint8_t)((ctr_out(c, now) ? ST_OUTPUT : 0) |
			      (now < c->cr_load_tick ? ST_NULL_COUNT : 0) | c->ctrl);
	c->status_latched = true;
}

/* A byte read from a counter ("Read Operations"): a latched status comes
 * first, then a latched count, else the CE as it counts; one byte or two
 * per RW, and a latch is released once read in full. */
static uint8_t ctr_read(struct vatpit_counter *c, uint64_t now)
{
	uint16_t v;
	bool msb, done;

	if (c->status_latched) {
		c->status_latched = false;
		return c->status;
	}
	v = c->count_latched ? c->ol : ctr_ce(c, now);
	switch (ctr_rw(c)) {
	case RW_LSB:
		msb = false;
		done = true;
		break;
	case RW_MSB:
		msb = true;
		done = true;
		break;
	default:
		msb = c->read_msb;
		done = msb;
		c->read_msb = !msb;
	}
	if (done)
		c->count_latched = false;
	return (uint8_t)(msb ? v >> 8 : v);
}

/* A control word for a counter ("Operation Common to All Modes"): the
 * control logic resets, OUT goes to its initial level (low in mode 0,
 * high in the others) and the counter waits for a count.  M2 is a
 * don't-care in modes 2 and 3, so 6 and 7 run as those; the status byte
 * still reports the bits as written. */
static void ctr_program(struct vatpit_counter *c, uint8_t cw, uint64_t now)
{
	c->idle_ce = ctr_ce(c, now);
	c->ctrl = cw & CW_PROGRAM;
	c->mode = (cw >> CW_MODE_SHIFT) & 7;
	if (c->mode >= 6)
		c->mode -= 4;
	c->idle_out = c->mode != 0;
	c->loaded = false;
	c->has_count = false;
	c->switch_pending = false;
	c->write_msb = false;
	c->read_msb = false;
	c->count_latched = false;
	c->status_latched = false;
	c->cr_load_tick = TICK_NEVER;
}

/* GATE low stops the count where it is (modes 0, 2, 3, 4); a mode 2/3
 * count waiting for the end of the period waits for a trigger instead. */
static void ctr_pause(struct vatpit_counter *c, uint64_t now)
{
	c->base_elapsed = ctr_elapsed(c, now);
	c->running = false;
	if (c->switch_pending)
		c->cr_load_tick = TICK_NEVER;
	c->switch_pending = false;
}

/* GATE high again in modes 0 and 4: counting goes on from the next CLK
 * (or from the load, if that is still to come). */
static void ctr_resume(struct vatpit_counter *c, uint64_t now)
{
	if (c->base_tick < now)
		c->base_tick = now;
	c->running = true;
}

/* GATE changes (Figure 21 "Gate Pin Operations Summary"): modes 0 and 4
 * count only while it is high; modes 2 and 3 stop with OUT high while it
 * is low and reload on its rising edge (a trigger); modes 1 and 5 only
 * act on a trigger.  A trigger loads the CR once a count was written. */
static void ctr_set_gate(struct vatpit_counter *c, bool gate, uint64_t now)
{
	bool out = ctr_out(c, now);

	if (gate == c->gate)
		return;
	c->gate = gate;
	switch (c->mode) {
	case 0:
	case 4:
		if (gate)
			ctr_resume(c, now);
		else
			ctr_pause(c, now);
		break;
	case 2:
	case 3:
		if (!gate)
			ctr_pause(c, now);
		else if (c->has_count)
			ctr_load(c, now, out);
		break;
	default:
		if (gate && c->has_count)
			ctr_load(c, now, out);
	}
}

/* Read-back command (Figure 10): latch the count and/or status of each
 * selected counter; already latched ones keep what they hold. */
static void pit_read_back(struct vatpit *t, uint8_t cw, uint64_t now)
{
	for (unsigned i = 0; i < 3; i++) {
		if (!(cw & (RB_CNT0 << i)))
			continue;
		if (!(cw & RB_COUNT_N))
			ctr_latch_count(&t->ctr[i], now);
		if (!(cw & RB_STATUS_N))
			ctr_latch_status(&t->ctr[i], now);
	}
}

/* A write to 43h: read-back, counter latch or a new mode (Figure 7). */
static void pit_control(struct vatpit *t, uint8_t cw, uint64_t now)
{
	unsigned sc = cw >> CW_SC_SHIFT;

	if (sc == CW_SC_READ_BACK)
		pit_read_back(t, cw, now);
	else if (((cw >> CW_RW_SHIFT) & 3) == RW_LATCH)
		ctr_latch_count(&t->ctr[sc], now);
	else
		ctr_program(&t->ctr[sc], cw, now);
}

/* OUT0 rose: IRQ0 sees an edge. */
static void pit_pulse_irq0(struct vatpit *t)
{
	irq_set(&t->irq0, 1);
	irq_set(&t->irq0, 0);
}

/*
 * Lost ticks.  A real 8254 never misses an edge, but the run loop can only
 * raise IRQ0 when the vCPU runs: on a busy host several periods may pass
 * in between, and a guest that keeps time by counting IRQ0 (Linux's
 * jiffies, DOS's 18.2 Hz tick) falls behind.  Like KVM's PIT "reinject"
 * policy, the periodic modes (2 and 3) remember the edges owed and deliver
 * them one at a time, a quarter period apart, until the guest has caught
 * up.  Rates above 10 kHz are not caught up (their edges merge, as in the
 * PIC's IRR), nor is more than one second's worth.
 */
#define PIT_CATCHUP_MIN_PERIOD 120 /* CLKs: about 100 us */

static bool pit_catches_up(const struct vatpit_counter *c)
{
	return (c->mode & 3) >= 2 && c->n >= PIT_CATCHUP_MIN_PERIOD;
}

/* Arm the vtimer at OUT0's next rising edge after tick now, if any, or
 * earlier when owed edges are to be delivered. */
static void pit_arm(struct vatpit *t, uint64_t now)
{
	const struct vatpit_counter *c = &t->ctr[0];
	uint64_t edge = ctr_next_edge(c, now), at;

	t->armed_edge = edge;
	if (edge == NO_EDGE || !pit_catches_up(c))
		t->owed = 0;
	if (edge == NO_EDGE) {
		vtimer_cancel(&t->timer);
		return;
	}
	at = edge;
	if (t->owed && now + c->n / 4 < at)
		at = now + c->n / 4;
	vtimer_arm(&t->timer, pit_tick_ns(at));
}

/* Count the rising edges of OUT0 after tick from, up to tick now, into
 * t->owed (at most one second's worth). */
static void pit_count_missed(struct vatpit *t, uint64_t from, uint64_t now)
{
	const struct vatpit_counter *c = &t->ctr[0];
	uint32_t cap = VATPIT_HZ / c->n;
	uint64_t e = from;

	while (t->owed < cap && (e = ctr_next_edge(c, e)) != NO_EDGE && e <= now)
		t->owed++;
}

/* The vtimer: OUT0 rose at the armed tick, or an owed edge is due.  The
 * edges that passed since the armed one are owed to the guest. */
static void pit_timer_fire(struct vtimer *vt, uint64_t now_ns)
{
	struct vatpit *t = vt->opaque;
	uint64_t now = pit_tick(now_ns);

	if (t->armed_edge != NO_EDGE && t->armed_edge <= now) {
		if (pit_catches_up(&t->ctr[0]))
			pit_count_missed(t, t->armed_edge, now);
	} else if (t->owed) {
		t->owed--;
	}
	ctr_sync(&t->ctr[0], now);
	pit_pulse_irq0(t);
	pit_arm(t, now);
}

/* A byte written to 40h-43h.  An edge of OUT0 already due but whose
 * timer has not run yet is delivered first, so a write cannot lose it;
 * a rise of OUT0 caused by the write itself (a control word taking it
 * from low to high) is an edge too. */
static void pit_write8(struct vatpit *t, uint16_t port, uint8_t val)
{
	uint64_t now_ns = vclock_now_ns(), now = pit_tick(now_ns);
	bool out0;

	if (port < VATPIT_PORT || port > VATPIT_PORT + 3)
		return;
	if (t->timer.armed && t->timer.deadline_ns <= now_ns) {
		vtimer_cancel(&t->timer);
		pit_timer_fire(&t->timer, now_ns);
	}
	for (unsigned i = 0; i < 3; i++)
		ctr_sync(&t->ctr[i], now);
	out0 = ctr_out(&t->ctr[0], now);
	if (port == VATPIT_PORT || (port == VATPIT_PORT + 3 && (val >> CW_SC_SHIFT) == 0))
		t->owed = 0; /* counter 0 reprogrammed: what was owed is void */
	if (port == VATPIT_PORT + 3)
		pit_control(t, val, now);
	else
		ctr_write(&t->ctr[port - VATPIT_PORT], val, now);
	if (!out0 && ctr_out(&t->ctr[0], now))
		pit_pulse_irq0(t);
	pit_arm(t, now);
}

/* A byte read from 40h-43h; 43h is write-only and does not drive the bus
 * (Figure 14 "Read/Write Operations Summary"), nor do ports past it. */
static uint8_t pit_read8(struct vatpit *t, uint16_t port)
{
	uint64_t now = pit_tick(vclock_now_ns());
	struct vatpit_counter *c;

	if (port < VATPIT_PORT || port > VATPIT_PORT + 2)
		return 0xff;
	c = &t->ctr[port - VATPIT_PORT];
	ctr_sync(c, now);
	return ctr_read(c, now);
}

/* Power-on state.  The datasheet leaves mode, count and OUT undefined
 * until programmed; each counter starts in mode 3 with a two-byte binary
 * count (as the BIOS programs counter 0) but no count yet, OUT high.
 * GATE is tied high for counters 0 and 1; counter 2's comes from 61h. */
void vatpit_init(struct vatpit *t, const struct irq_line *irq0)
{
	memset(t, 0, sizeof(*t));
	if (irq0)
		t->irq0 = *irq0;
	t->timer.fire = pit_timer_fire;
	t->timer.opaque = t;
	for (unsigned i = 0; i < 3; i++) {
		struct vatpit_counter *c = &t->ctr[i];

		c->ctrl = RW_LSB_MSB << CW_RW_SHIFT | 3 << CW_MODE_SHIFT;
		c->mode = 3;
		c->idle_out = true;
		c->gate = i != 2;
		c->cr_load_tick = TICK_NEVER;
	}
}

/* Port reads of 1, 2 or 4 bytes, split into byte reads of consecutive
 * ports as the ISA bus does. */
uint32_t vatpit_io_read(void *opaque, uint16_t port, unsigned size)
{
	uint32_t val = 0;

	for (unsigned i = 0; i < size && i < 4; i++)
		val |= (uint32_t)pit_read8(opaque, (uint16_t)(port + i)) << (8 * i);
	return val;
}

/* Port writes, split into byte writes. */
void vatpit_io_write(void *opaque, uint16_t port, unsigned size, uint32_t val)
{
	for (unsigned i = 0; i < size && i < 4; i++)
		pit_write8(opaque, (uint16_t)(port + i), (uint8_t)(val >> (8 * i)));
}

/* Port 61h read: the enables as written, the refresh toggle (it flips
 * with every refresh request, 18 CLKs apart) and OUT2.  Bytes past 61h
 * are not ours and float high. */
uint32_t vatpit_port61_read(void *opaque, uint16_t port, unsigned size)
{
	struct vatpit *t = opaque;
	uint64_t now = pit_tick(vclock_now_ns());
	uint32_t val = t->nmi_sc;

	(void)size;
	if (port != VATPIT_PORT_NMI_SC)
		return 0xffffffff;
	ctr_sync(&t->ctr[2], now);
	if ((now / REFRESH_CLKS) & 1)
		val |= NMI_SC_REF_TOGGLE;
	if (ctr_out(&t->ctr[2], now))
		val |= NMI_SC_TMR2_OUT_STS;
	return val | 0xffffff00;
}

/* Port 61h write: bits 3-0 are writable; bit 0 is counter 2's GATE. */
void vatpit_port61_write(void *opaque, uint16_t port, unsigned size, uint32_t val)
{
	struct vatpit *t = opaque;
	uint64_t now = pit_tick(vclock_now_ns());

	(void)size;
	if (port != VATPIT_PORT_NMI_SC)
		return;
	t->nmi_sc = val & NMI_SC_WRITABLE;
	ctr_sync(&t->ctr[2], now);
	ctr_set_gate(&t->ctr[2], val & NMI_SC_TIM_CNT2_EN, now);
}

/* For the live trace: the control word (82C54 datasheet, "Control Word
 * Format" and "Read-Back Command") or which counter's count moved. */
static int vatpit_explain(void *opaque, uint16_t port, unsigned size, bool in, uint32_t val,
			  char *buf, unsigned len)
{
	static const char *const rw[4] = { "latch count", "lsb only", "msb only", "lo/hi" };
	unsigned ch = port - VATPIT_PORT, mode;

	(void)opaque;
	(void)size;
	if (ch < 3)
		return ksnprintf(buf, len, "ch%u count %s", ch, in ? "read" : "byte written");
	if (in)
		return 0;
	if ((val >> 6) == 3)
		return ksnprintf(buf, len, "read-back%s%s", val & 0x20 ? "" : " count",
				 val & 0x10 ? "" : " status");
	if (((val >> 4) & 3) == 0)
		return ksnprintf(buf, len, "ch%u latch count", (unsigned)(val >> 6));
	mode = (val >> 1) & 7;
	return ksnprintf(buf, len, "ch%u mode %u, %s%s", (unsigned)(val >> 6),
			 mode > 5 ? mode - 4 : mode, rw[(val >> 4) & 3], val & 1 ? ", BCD" : "");
}

/* Port 61h: GATE2 and the speaker, or OUT2 and the refresh toggle read. */
static int vatpit_port61_explain(void *opaque, uint16_t port, unsigned size, bool in,
				 uint32_t val, char *buf, unsigned len)
{
	(void)opaque;
	(void)port;
	(void)size;
	if (in)
		return ksnprintf(buf, len, "OUT2=%u refresh=%u", !!(val & NMI_SC_TMR2_OUT_STS),
				 !!(val & NMI_SC_REF_TOGGLE));
	return ksnprintf(buf, len, "ch2 gate %s, speaker %s", val & NMI_SC_TIM_CNT2_EN ? "on" : "off",
			 val & NMI_SC_SPKR_DAT_EN ? "on" : "off");
}

static const struct io_ops vatpit_ops = {
	.name = "8254 PIT",
	.read = vatpit_io_read,
	.write = vatpit_io_write,
	.explain = vatpit_explain,
};

static const struct io_ops vatpit_port61_ops = {
	.name = "port 61h",
	.read = vatpit_port61_read,
	.write = vatpit_port61_write,
	.explain = vatpit_port61_explain,
};

/* Claim 40h-43h and 61h. */
int vatpit_attach(struct vatpit *t)
{
	if (io_register(VATPIT_PORT, 4, &vatpit_ops, t) ||
	    io_register(VATPIT_PORT_NMI_SC, 1, &vatpit_port61_ops, t))
		return -1;
	return 0;
}
