/*
 * The virtual 8259A pair of a PC: master at 20h/21h, slave at A0h/A1h,
 * the slave's INT wired to the master's IR2, and the chipset's
 * edge/level control registers (ELCR) at 4D0h/4D1h.
 *
 * Reference: Intel 8259A Programmable Interrupt Controller datasheet
 * (order 231468); the ELCR is the PIIX/ICH chipset register that
 * replaces ICW1.LTIM.
 *
 * The state is plain data (no pointers), so the model builds into host
 * tests and the monitor alike.  Devices raise lines with
 * vatpic_set_irq() (an irq_line with opaque = the vatpic).  The run loop
 * asks vatpic_pending_vector() whether INTR is high; when the vCPU can
 * take an interrupt it runs the INTA cycle with vatpic_ack() and injects
 * the vector that returns (which may differ: spurious IRQ7/15), else it
 * asks for an interrupt-window exit.
 */
#ifndef LAMINA_VATPIC_H
#define LAMINA_VATPIC_H

#include "types.h"

#define VATPIC_MASTER_PORT 0x20 /* A0=0: ICW1/OCW2/OCW3, A0=1: ICW2-4/OCW1 */
#define VATPIC_SLAVE_PORT 0xa0
#define VATPIC_ELCR_PORT 0x4d0 /* 4D0h master, 4D1h slave */
#define VATPIC_CASCADE_IR 2     /* master input the slave's INT drives */

/* One 8259A. */
struct vatpic_chip {
	uint8_t irr;         /* interrupt request register */
	uint8_t isr;         /* in-service register */
	uint8_t imr;         /* interrupt mask register (OCW1) */
	uint8_t lines;       /* present level of IR0-7, for edge detection */
	uint8_t elcr;        /* 1 = level-triggered input */
	uint8_t elcr_mask;   /* ELCR bits that exist on this chip */
	uint8_t vector_base; /* ICW2 T7-T3 */
	uint8_t icw3;        /* master: a 1 per IR with a slave; slave: its ID */
	uint8_t lowest;      /* IR with the lowest priority (rotation) */
	uint8_t init_step;   /* ICW expected next at A0=1, or 0 when ready */
	bool icw4_needed;    /* ICW1.IC4 */
	bool single;         /* ICW1.SNGL */
	bool auto_eoi;       /* ICW4.AEOI */
	bool sfnm;           /* ICW4.SFNM: special fully nested mode */
	bool rotate_aeoi;    /* OCW2 "rotate in automatic EOI mode" */
	bool special_mask;   /* OCW3 SMM */
	bool read_isr;       /* OCW3 RIS: A0=0 reads the ISR, else the IRR */
	bool poll;           /* OCW3 P: the next read is a poll */
};

struct vatpic {
	struct vatpic_chip chip[2]; /* [0] master, [1] slave */
};

void vatpic_init(struct vatpic *p);
void vatpic_set_irq(void *opaque, unsigned irq, int level);
int vatpic_pending_vector(const struct vatpic *p);
int vatpic_ack(struct vatpic *p);
uint32_t vatpic_io_read(void *opaque, uint16_t port, unsigned size);
void vatpic_io_write(void *opaque, uint16_t port, unsigned size, uint32_t val);
int vatpic_attach(struct vatpic *p);

#endif
