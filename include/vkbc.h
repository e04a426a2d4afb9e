/*
 * Virtual i8042 keyboard controller with a PS/2 keyboard behind it
 * (data port 0x60, status/command port 0x64, IRQ1 keyboard, IRQ12 aux)
 * and the chipset's System Control Port A (0x92: fast A20, fast reset).
 *
 * The aux (mouse) port exists but nothing is plugged into it, so Linux's
 * i8042 driver finds the port and psmouse gives up at its first command.
 * The keyboard answers commands; no keys are ever pressed.
 */
#ifndef LAMINA_VKBC_H
#define LAMINA_VKBC_H

#include "irq.h"
#include "types.h"

#define VKBC_PORT_DATA 0x60
#define VKBC_PORT_STATUS 0x64 /* read: status, write: command */
#define VKBC_PORT_A 0x92
#define VKBC_IRQ_KBD 1
#define VKBC_IRQ_AUX 12
#define VKBC_RAM_SIZE 32      /* controller RAM; byte 0 is the command byte */
#define VKBC_QUEUE_SIZE 16    /* bytes waiting for the output buffer */

/* The guest asked for a CPU reset (output port bit 0, pulse 0xFE, or port
 * 0x92 bit 0).  The monitor resets the VM, this model included. */
typedef void (*vkbc_reset_fn)(void *opaque);
/* The A20 gate changed (output port bit 1 OR port 0x92 bit 1). */
typedef void (*vkbc_a20_fn)(void *opaque, bool enabled);

struct vkbc_out {
	uint8_t data;
	uint8_t status; /* status bits that travel with this byte (aux, timeout) */
};

struct vkbc {
	struct irq_line irq_kbd, irq_aux;
	bool kbd_level, aux_level;
	vkbc_reset_fn reset;
	vkbc_a20_fn a20;
	void *opaque;
	uint8_t ram[VKBC_RAM_SIZE];
	uint8_t output_port;
	uint8_t port_a;             /* port 0x92 as last written */
	bool a20_enabled;           /* as last reported through a20() */
	uint8_t pending_cmd;        /* controller command awaiting data on 0x60, or 0 */
	bool last_write_was_cmd;    /* status bit 3 (A2) */
	struct vkbc_out out[VKBC_QUEUE_SIZE];
	uint8_t out_head, out_count;
	uint8_t last_out;           /* what port 0x60 reads when nothing is queued */
	uint8_t kbd_pending_cmd;    /* keyboard command awaiting its argument, or 0 */
	uint8_t kbd_scancode_set;
	uint8_t kbd_last_sent;      /* for the keyboard's resend command */
};

/* State after the BIOS's POST: keyboard interrupt on, translation on,
 * system flag set, A20 enabled (no a20() call is made for it).
 * Either irq may be NULL; reset and a20 may be NULL. */
void vkbc_init(struct vkbc *k, const struct irq_line *kbd_irq, const struct irq_line *aux_irq,
	       vkbc_reset_fn reset, vkbc_a20_fn a20, void *opaque);

/* Claim ports 0x60, 0x64 and 0x92 on the I/O bus.  Returns 0 or -1. */
int vkbc_attach(struct vkbc *k);

/* The port handlers vkbc_attach() installs (struct io_ops signature). */
uint32_t vkbc_read(void *opaque, uint16_t port, unsigned size);
void vkbc_write(void *opaque, uint16_t port, unsigned size, uint32_t val);

#endif
