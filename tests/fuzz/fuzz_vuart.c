/*
 * Fuzzes the 16550A UART (devices/vuart.c) at COM1 (3F8h-3FFh), with the
 * clock moving for the FIFO character timeout.  DEVICE ops: arg 0 the host
 * types byte b (vuart_rx_push), arg 1 it asks vuart_rx_ready().
 * Invariants: the receive FIFO's head and count stay inside it, a push
 * into a full FIFO is refused, and IRQ4 is the only line driven.
 */
#include "fuzz_io.h"
#include "vuart.h"

static const uint16_t ports[] = { 0x3f8, 0x3f9, 0x3fa, 0x3fb, 0x3fc, 0x3fd, 0x3fe, 0x3ff };

static struct vuart uart;
static unsigned tx_bytes;

static void irq_set_rec(void *opaque, unsigned irq, int level)
{
	(void)opaque;
	(void)level;
	FUZZ_CHECK(irq == VUART_COM1_IRQ);
}

static void tx(void *opaque, uint8_t byte)
{
	(void)opaque;
	(void)byte;
	tx_bytes++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct irq_line line = { irq_set_rec, NULL, VUART_COM1_IRQ };
	struct fuzz_op op;

	fuzz_reset();
	vuart_init(&uart, &line, tx, NULL);
	FUZZ_CHECK(vuart_attach(&uart, VUART_COM1_BASE) == 0);
	while (fuzz_next_op(&in, ports, ARRAY_SIZE(ports), &op)) {
		if (op.kind != FUZZ_DEVICE) {
			fuzz_do_io(&op);
		} else if (op.arg == 1) {
			(void)vuart_rx_ready(&uart);
		} else {
			unsigned before = uart.rx_count;
			int r = vuart_rx_push(&uart, (uint8_t)op.val);

			FUZZ_CHECK(before < VUART_FIFO_SIZE || r != 0);
		}
		FUZZ_CHECK(uart.rx_head < VUART_FIFO_SIZE);
		FUZZ_CHECK(uart.rx_count <= VUART_FIFO_SIZE);
	}
	vtimer_reset_all();
	return 0;
}
