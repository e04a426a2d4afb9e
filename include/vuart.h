/*
 * Virtual 16550A UART (National Semiconductor PC16550D): COM1 at 0x3F8 on
 * IRQ4, COM2 at 0x2F8 on IRQ3, one struct vuart per port.
 *
 * Transmission is instant: a byte written to THR goes straight to the tx
 * callback (or, in loopback, to the receiver), so THR and the transmitter
 * are always empty again by the next access.  Received bytes come from
 * the monitor's console through vuart_rx_push() into a 16-byte FIFO.
 */
#ifndef LAMINA_VUART_H
#define LAMINA_VUART_H

#include "irq.h"
#include "types.h"
#include "vclock.h"

#define VUART_COM1_BASE 0x3f8
#define VUART_COM1_IRQ 4
#define VUART_COM2_BASE 0x2f8
#define VUART_COM2_IRQ 3
#define VUART_NPORTS 8
#define VUART_FIFO_SIZE 16

typedef void (*vuart_tx_fn)(void *opaque, uint8_t byte);

struct vuart {
	uint16_t base;
	struct irq_line irq;
	bool irq_level;
	vuart_tx_fn tx;
	void *tx_opaque;
	uint8_t rx_fifo[VUART_FIFO_SIZE];
	uint8_t rx_head, rx_count;
	uint8_t rbr;          /* last byte the receiver handed to the CPU */
	uint8_t ier, lcr, mcr, lsr, msr, scr, dll, dlm;
	uint8_t fcr;          /* FIFO enable and trigger level as last programmed */
	bool thre_pending;    /* the THR-empty interrupt latch */
	bool timeout_pending; /* character timeout (FIFO mode) */
	struct vtimer rx_timeout;
};

/* Power-on state (PC16550D Table IV, "Master Reset").  irq may be NULL;
 * tx may be NULL (bytes are dropped). */
void vuart_init(struct vuart *u, const struct irq_line *irq, vuart_tx_fn tx, void *opaque);

/* Claim ports [base, base+8) on the I/O bus.  Returns 0 or -1. */
int vuart_attach(struct vuart *u, uint16_t base);

/* The port handlers vuart_attach() installs (struct io_ops signature). */
uint32_t vuart_read(void *opaque, uint16_t port, unsigned size);
void vuart_write(void *opaque, uint16_t port, unsigned size, uint32_t val);

/* Console input: 0 when the byte was received, -1 when the receiver
 * cannot take it now (FIFO full, or loopback disconnects the input);
 * keep the byte and retry later. */
int vuart_rx_push(struct vuart *u, uint8_t byte);
bool vuart_rx_ready(const struct vuart *u);

#endif
