/*
 * The virtual 8259A pair (see include/vatpic.h).  Section names below are
 * those of the Intel 8259A datasheet (231468).
 */
#include "vatpic.h"
#include "iobus.h"
#include "kprintf.h"
#include "lib.h"

/* ICW1 (A0=0, D4=1), "Initialization Command Words (ICWs)". */
#define ICW1_IC4 0x01  /* ICW4 needed */
#define ICW1_SNGL 0x02 /* single 8259A: no ICW3 */
#define ICW1_LTIM 0x08 /* level-triggered inputs (the PIIX's ELCR decides instead) */
#define ICW1_INIT 0x10 /* D4=1 marks ICW1 */

/* ICW4. */
#define ICW4_AEOI 0x02 /* automatic end of interrupt */
#define ICW4_SFNM 0x10 /* special fully nested mode */

/* OCW2 (A0=0, D4=0, D3=0), "Operation Command Words (OCWs)". */
#define OCW2_L 0x07    /* IR level the command acts upon */
#define OCW2_EOI 0x20
#define OCW2_SL 0x40   /* specific: use L */
#define OCW2_R 0x80    /* rotate */

/* OCW3 (A0=0, D4=0, D3=1). */
#define OCW3_RIS 0x01  /* with RR: read the ISR (else the IRR) */
#define OCW3_RR 0x02   /* read register command */
#define OCW3_P 0x04    /* poll command */
#define OCW3_SEL 0x08  /* D3=1 marks OCW3 */
#define OCW3_SMM 0x20  /* with ESMM: set (1) or reset (0) special mask mode */
#define OCW3_ESMM 0x40

#define POLL_I 0x80    /* poll word: an interrupt is requesting */

/* ELCR bits that exist (PIIX/ICH): IRQ0-2 on the master and IRQ8 and
 * IRQ13 on the slave are always edge-triggered. */
#define ELCR_MASK_MASTER 0xf8
#define ELCR_MASK_SLAVE 0xde

/* Where the ICW sequence stands ("Initialization Command Words"). */
enum { PIC_READY, PIC_WANT_ICW2, PIC_WANT_ICW3, PIC_WANT_ICW4 };

/* Rank of an IR in the priority resolver: 0 is the highest.  Rotation
 * only moves which IR is lowest ("Specific Rotation"). */
static unsigned pic_rank(const struct vatpic_chip *c, unsigned ir)
{
	return (ir - c->lowest - 1) & 7;
}

/* The highest-priority IR with its bit set in mask, or -1. */
static int pic_highest(const struct vatpic_chip *c, uint8_t mask)
{
	for (unsigned r = 0; r < 8; r++) {
		unsigned ir = (c->lowest + 1 + r) & 7;

		if (mask & (1u << ir))
			return (int)ir;
	}
	return -1;
}

/* Does this master input have a slave on it (ICW3, "Cascade Mode")? */
static bool pic_is_cascade(const struct vatpic_chip *m, unsigned ir)
{
	return !m->single && (m->icw3 & (1u << ir));
}

/*
 * The IR the chip raises INT for, or -1 ("Fully Nested Mode"): the
 * highest unmasked request, if it outranks everything in service.  In
 * special mask mode a masked in-service level stops inhibiting the
 * others ("Special Mask Mode"); in special fully nested mode a slave's
 * input is not locked out by its own in-service bit ("The Special Fully
 * Nest Mode").
 */
static int pic_request(const struct vatpic_chip *c, bool master)
{
	int req = pic_highest(c, c->irr & ~c->imr);
	uint8_t inhibit = c->special_mask ? c->isr & ~c->imr : c->isr;
	int cur = pic_highest(c, inhibit);

	if (req < 0)
		return -1;
	if (cur < 0 || pic_rank(c, (unsigned)req) < pic_rank(c, (unsigned)cur))
		return req;
	if (req == cur && master && c->sfnm && pic_is_cascade(c, (unsigned)req))
		return req;
	return -1;
}

/* An IR input changes level ("Edge and Level Triggered Modes"): an edge
 * input latches a request on a rising edge and keeps it until INTA; a
 * level input's request follows the line.  Which inputs are level is
 * the chipset's ELCR, which replaces ICW1.LTIM (so LTIM is ignored). */
static void pic_input(struct vatpic_chip *c, unsigned ir, bool level)
{
	uint8_t bit = (uint8_t)(1u << ir);

	if (c->elcr & bit)
		c->irr = level ? c->irr | bit : c->irr & ~bit;
	else if (level && !(c->lines & bit))
		c->irr |= bit;
	c->lines = level ? c->lines | bit : c->lines & ~bit;
}

/* The slave's INT output drives the master's IR2. */
static void pic_update_cascade(struct vatpic *p)
{
	pic_input(&p->chip[0], VATPIC_CASCADE_IR, pic_request(&p->chip[1], false) >= 0);
}

/* First INTA on one chip ("Interrupt Sequence", steps 4-6): the IR goes
 * from IRR to ISR; in AEOI mode the ISR bit is cleared again at the end
 * of the cycle, and "rotate in AEOI" makes the IR lowest. */
static void pic_ack_ir(struct vatpic_chip *c, unsigned ir)
{
	uint8_t bit = (uint8_t)(1u << ir);

	c->irr &= ~bit;
	if (c->elcr & c->lines & bit)
		c->irr |= bit; /* a level input still requesting */
	if (!c->auto_eoi)
		c->isr |= bit;
	else if (c->rotate_aeoi)
		c->lowest = (uint8_t)ir;
}

/* OCW2 ("End of Interrupt", "Automatic Rotation", "Specific Rotation"). */
static void pic_ocw2(struct vatpic_chip *c, uint8_t val)
{
	unsigned l = val & OCW2_L;
	int ir;

	switch (val & (OCW2_R | OCW2_SL | OCW2_EOI)) {
	case OCW2_EOI:                  /* non-specific EOI */
	case OCW2_R | OCW2_EOI:         /* rotate on non-specific EOI */
		ir = pic_highest(c, c->isr);
		if (ir < 0)
			return;
		c->isr &= (uint8_t)~(1u << ir);
		if (val & OCW2_R)
			c->lowest = (uint8_t)ir;
		break;
	case OCW2_SL | OCW2_EOI:        /* specific EOI */
		c->isr &= (uint8_t)~(1u << l);
		break;
	case OCW2_R | OCW2_SL | OCW2_EOI: /* rotate on specific EOI */
		c->isr &= (uint8_t)~(1u << l);
		c->lowest = (uint8_t)l;
		break;
	case OCW2_R | OCW2_SL:          /* set priority */
		c->lowest = (uint8_t)l;
		break;
	case OCW2_R:                    /* rotate in AEOI mode: set */
		c->rotate_aeoi = true;
		break;
	case 0:                         /* rotate in AEOI mode: clear */
		c->rotate_aeoi = false;
		break;
	default:                        /* SL alone: no operation */
		break;
	}
}

/* OCW3 ("Reading the 8259A Status", "Poll Command", "Special Mask Mode"):
 * ESMM/SMM and RR/RIS only act when their enable bit is set. */
static void pic_ocw3(struct vatpic_chip *c, uint8_t val)
{
	if (val & OCW3_ESMM)
		c->special_mask = val & OCW3_SMM;
	if (val & OCW3_RR)
		c->read_isr = val & OCW3_RIS;
	c->poll = val & OCW3_P;
}

/*
 * ICW1 starts initialisation ("Initialization Command Words", a-f): the
 * edge sense is reset (an edge input must rise again), the IMR is
 * cleared, IR7 becomes lowest, special mask mode is cleared, status
 * reads select the IRR, and with IC4=0 the ICW4 functions are zero.  The
 * list does not mention the ISR; we clear it too (as QEMU and Bochs do)
 * so a re-initialised PIC has nothing in service.
 */
static void pic_icw1(struct vatpic_chip *c, uint8_t val)
{
	c->irr = c->lines & c->elcr;
	c->isr = 0;
	c->imr = 0;
	c->lowest = 7;
	c->special_mask = false;
	c->read_isr = false;
	c->poll = false;
	c->auto_eoi = false;
	c->sfnm = false;
	c->rotate_aeoi = false;
	c->single = val & ICW1_SNGL;
	c->icw4_needed = val & ICW1_IC4;
	c->init_step = PIC_WANT_ICW2;
}

/* After ICW2 or ICW3: ICW3 only in cascade mode, ICW4 only if IC4 was
 * set ("Initialization Command Words"). */
static uint8_t pic_step_after(const struct vatpic_chip *c, uint8_t step)
{
	if (step == PIC_WANT_ICW2 && !c->single)
		return PIC_WANT_ICW3;
	if (step != PIC_WANT_ICW4 && c->icw4_needed)
		return PIC_WANT_ICW4;
	return PIC_READY;
}

/* A write with A0=1: the next ICW while initialising, else OCW1 (IMR).
 * ICW4's uPM bit is ignored: an x86 only works with 8086-mode vectors;
 * BUF and M/S do not matter because the master/slave roles are wired. */
static void pic_write_a0_1(struct vatpic_chip *c, uint8_t val)
{
	switch (c->init_step) {
	case PIC_WANT_ICW2:
		c->vector_base = val & 0xf8; /* T7-T3 */
		break;
	case PIC_WANT_ICW3:
		c->icw3 = val;
		break;
	case PIC_WANT_ICW4:
		c->auto_eoi = val & ICW4_AEOI;
		c->sfnm = val & ICW4_SFNM;
		break;
	default:
		c->imr = val;
		return;
	}
	c->init_step = pic_step_after(c, c->init_step);
}

/* A write with A0=0: ICW1 (D4=1), else an OCW.  An OCW arriving in the
 * middle of the ICW sequence ends it: what the missing ICWs would have
 * set keeps its old value (ICW4's functions stay cleared by ICW1). */
static void pic_write_a0_0(struct vatpic_chip *c, uint8_t val)
{
	if (val & ICW1_INIT) {
		pic_icw1(c, val);
		return;
	}
	c->init_step = PIC_READY;
	if (val & OCW3_SEL)
		pic_ocw3(c, val);
	else
		pic_ocw2(c, val);
}

/* The poll word ("Poll Command"): the read is treated as an interrupt
 * acknowledge on this chip alone (the IR moves to the ISR, or not in
 * AEOI mode) and reports I (bit 7) plus the level in W2-W0.  No request
 * reads as 0; a master reporting IR2 leaves the slave to be polled. */
static uint8_t pic_poll(struct vatpic_chip *c, bool master)
{
	int ir = pic_request(c, master);

	c->poll = false;
	if (ir < 0)
		return 0;
	pic_ack_ir(c, (unsigned)ir);
	return (uint8_t)(POLL_I | ir);
}

/* A read of one chip ("Reading the 8259A Status"): a pending poll wins,
 * else A0=0 gives the IRR or ISR as OCW3 selected and A0=1 the IMR. */
static uint8_t pic_read_chip(struct vatpic_chip *c, bool master, unsigned a0)
{
	if (c->poll)
		return pic_poll(c, master);
	if (a0)
		return c->imr;
	return c->read_isr ? c->isr : c->irr;
}

/* The chip a port belongs to, or NULL; *a0 gets the register select. */
static struct vatpic_chip *pic_chip_of(struct vatpic *p, uint16_t port, unsigned *a0)
{
	*a0 = port & 1;
	switch (port & ~1u) {
	case VATPIC_MASTER_PORT:
		return &p->chip[0];
	case VATPIC_SLAVE_PORT:
		return &p->chip[1];
	default:
		return NULL;
	}
}

/* One byte from one port.  A port this model does not own floats high. */
static uint8_t pic_read8(struct vatpic *p, uint16_t port)
{
	unsigned a0;
	struct vatpic_chip *c;
	uint8_t val;

	if ((port & ~1u) == VATPIC_ELCR_PORT)
		return p->chip[port & 1].elcr;
	c = pic_chip_of(p, port, &a0);
	if (!c)
		return 0xff;
	val = pic_read_chip(c, c == &p->chip[0], a0);
	pic_update_cascade(p);
	return val;
}

/* ELCR write: only the bits that exist stick; a level input's request
 * then follows its line. */
static void pic_write_elcr(struct vatpic_chip *c, uint8_t val)
{
	c->elcr = val & c->elcr_mask;
	c->irr = (uint8_t)((c->irr & ~c->elcr) | (c->lines & c->elcr));
}

/* One byte to one port. */
static void pic_write8(struct vatpic *p, uint16_t port, uint8_t val)
{
	unsigned a0;
	struct vatpic_chip *c;

	if ((port & ~1u) == VATPIC_ELCR_PORT) {
		pic_write_elcr(&p->chip[port & 1], val);
	} else {
		c = pic_chip_of(p, port, &a0);
		if (!c)
			return; /* not ours: nothing changed */
		if (a0)
			pic_write_a0_1(c, val);
		else
			pic_write_a0_0(c, val);
	}
	pic_update_cascade(p);
}

/*
 * The slave's answer when the master acknowledges cascade input ir
 * ("Cascade Mode"): the slave whose ICW3 ID matches the cascade address
 * supplies the vector, or its IR7 vector when nothing is requesting any
 * more (spurious IRQ15; the master's IR2 stays in service).  No slave
 * with that ID means nobody drives the bus: FFh.  *sir gets the slave
 * IR to acknowledge, or -1.
 */
static int pic_slave_vector(const struct vatpic *p, unsigned ir, int *sir)
{
	const struct vatpic_chip *s = &p->chip[1];

	*sir = -1;
	if (s->single || (s->icw3 & 7) != ir)
		return 0xff;
	*sir = pic_request(s, false);
	return s->vector_base | (*sir < 0 ? 7 : *sir);
}

/* Power-on state.  The datasheet leaves it undefined until ICW1; we
 * start as the PC BIOS programs the pair (vectors 08h and 70h, the slave
 * on IR2, 8086 mode) with every input masked, so nothing is delivered
 * before the guest sets the PIC up. */
void vatpic_init(struct vatpic *p)
{
	memset(p, 0, sizeof(*p));
	for (unsigned i = 0; i < 2; i++) {
		p->chip[i].imr = 0xff;
		p->chip[i].lowest = 7;
	}
	p->chip[0].vector_base = 0x08;
	p->chip[0].icw3 = 1u << VATPIC_CASCADE_IR;
	p->chip[0].elcr_mask = ELCR_MASK_MASTER;
	p->chip[1].vector_base = 0x70;
	p->chip[1].icw3 = VATPIC_CASCADE_IR;
	p->chip[1].elcr_mask = ELCR_MASK_SLAVE;
}

/* A device line changes level: IRQ0-7 on the master, 8-15 on the slave.
 * The master's IR2 is wired to the slave's INT, so IRQ2 is not a device
 * line; numbers past 15 do not exist. */
void vatpic_set_irq(void *opaque, unsigned irq, int level)
{
	struct vatpic *p = opaque;

	if (irq > 15 || irq == VATPIC_CASCADE_IR)
		return;
	pic_input(&p->chip[irq >> 3], irq & 7, level != 0);
	pic_update_cascade(p);
}

/* The vector an INTA cycle would fetch now, or -1 when the master's INT
 * (the CPU's INTR) is low.  No state changes. */
int vatpic_pending_vector(const struct vatpic *p)
{
	const struct vatpic_chip *m = &p->chip[0];
	int ir = pic_request(m, true);
	int sir;

	if (ir < 0)
		return -1;
	if (pic_is_cascade(m, (unsigned)ir))
		return pic_slave_vector(p, (unsigned)ir, &sir);
	return m->vector_base | ir;
}

/*
 * The INTA cycle ("Interrupt Sequence"): returns the vector the CPU
 * reads.  If no request is left when it comes (the request went away),
 * the master answers with its IR7 vector and sets no ISR bit ("Edge and
 * Level Triggered Modes": a default IR7).  The slave's INT falls while
 * its IRR bit is being acknowledged; if it still has a request it rises
 * again, and the master sees a fresh edge on IR2.
 */
int vatpic_ack(struct vatpic *p)
{
	struct vatpic_chip *m = &p->chip[0];
	int ir = pic_request(m, true);
	int vec, sir;

	if (ir < 0)
		return m->vector_base | 7;
	pic_ack_ir(m, (unsigned)ir);
	if (!pic_is_cascade(m, (unsigned)ir))
		return m->vector_base | ir;
	vec = pic_slave_vector(p, (unsigned)ir, &sir);
	if (sir >= 0) {
		pic_ack_ir(&p->chip[1], (unsigned)sir);
		pic_input(m, VATPIC_CASCADE_IR, false);
	}
	pic_update_cascade(p);
	return vec;
}

/* Port reads of 1, 2 or 4 bytes: the ISA bus splits them into byte
 * reads of consecutive ports. */
uint32_t vatpic_io_read(void *opaque, uint16_t port, unsigned size)
{
	uint32_t val = 0;

	for (unsigned i = 0; i < size && i < 4; i++)
		val |= (uint32_t)pic_read8(opaque, (uint16_t)(port + i)) << (8 * i);
	return val;
}

/* Port writes, split into byte writes like reads. */
void vatpic_io_write(void *opaque, uint16_t port, unsigned size, uint32_t val)
{
	for (unsigned i = 0; i < size && i < 4; i++)
		pic_write8(opaque, (uint16_t)(port + i), (uint8_t)(val >> (8 * i)));
}

/* A0=0 writes: ICW1, OCW2 or OCW3 by bits D4 and D3 (8259A datasheet,
 * "Operation Command Words"). */
static int pic_explain_a0_0(uint8_t val, char *buf, unsigned len)
{
	static const char *const ocw2[8] = {
		"rotate in AEOI off", "non-specific EOI", "no operation", "specific EOI",
		"rotate in AEOI on", "rotate on non-specific EOI", "set priority",
		"rotate on specific EOI",
	};

	if (val & ICW1_INIT)
		return ksnprintf(buf, len, "ICW1: initialise, %s-triggered%s", val & ICW1_LTIM ?
				 "level" : "edge", val & ICW1_IC4 ? ", ICW4 follows" : "");
	if (val & OCW3_SEL)
		return ksnprintf(buf, len, "OCW3: %s", val & OCW3_P ? "poll" : !(val & OCW3_RR) ?
				 "special mask" : val & OCW3_RIS ? "read ISR next" : "read IRR next");
	return ksnprintf(buf, len, val & OCW2_SL ? "OCW2: %s IR%u" : "OCW2: %s", ocw2[val >> 5],
			 val & 7u);
}

/* For the live trace: which command word, register or mask an access was
 * (the chip's state after it tells ICWs from OCW1). */
static int vatpic_explain(void *opaque, uint16_t port, unsigned size, bool in, uint32_t val,
			  char *buf, unsigned len)
{
	struct vatpic *p = opaque;
	unsigned a0;
	const struct vatpic_chip *c = pic_chip_of(p, port, &a0);
	const char *chip = port & 0x80 ? "slave" : "master";

	(void)size;
	if (!c)
		return ksnprintf(buf, len, "ELCR %s: level-triggered mask %#x", port & 1 ? "slave" :
				 "master", val & 0xff);
	if (in)
		return ksnprintf(buf, len, "%s %s", chip, a0 ? "IMR" : c->read_isr ? "ISR" : "IRR");
	if (!a0) {
		int n = ksnprintf(buf, len, "%s ", chip);

		if ((unsigned)n >= len) /* cut short: no room for the rest */
			return n;
		return n + pic_explain_a0_0((uint8_t)val, buf + n, len - (unsigned)n);
	}
	if (c->init_step == PIC_WANT_ICW3 || (c->init_step == PIC_WANT_ICW4 &&
					      c->vector_base == (val & 0xf8)))
		return ksnprintf(buf, len, "%s ICW2: vectors %#x-%#x", chip, val & 0xf8,
				 (val & 0xf8) + 7);
	if (c->init_step != PIC_READY || c->imr != (uint8_t)val)
		return ksnprintf(buf, len, "%s ICW3/ICW4", chip);
	return ksnprintf(buf, len, "%s OCW1: mask %#x", chip, val & 0xff);
}

static const struct io_ops vatpic_ops = {
	.name = "8259A",
	.read = vatpic_io_read,
	.write = vatpic_io_write,
	.explain = vatpic_explain,
};

/* Claim 20h-21h, A0h-A1h and 4D0h-4D1h. */
int vatpic_attach(struct vatpic *p)
{
	if (io_register(VATPIC_MASTER_PORT, 2, &vatpic_ops, p) ||
	    io_register(VATPIC_SLAVE_PORT, 2, &vatpic_ops, p) ||
	    io_register(VATPIC_ELCR_PORT, 2, &vatpic_ops, p))
		return -1;
	return 0;
}
