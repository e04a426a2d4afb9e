/*
 * 16550A UART model: register sequences from the PC16550D data sheet and
 * the probes Linux's 8250 driver and SeaBIOS make.
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
#include "vuart.h"

#define COM1 VUART_COM1_BASE
#define RBR 0
#define THR 0
#define DLL 0
#define IER 1
#define DLM 1
#define IIR 2
#define FCR 2
#define LCR 3
#define MCR 4
#define LSR 5
#define MSR 6
#define SCR 7

#define T0 (5 * NS_PER_SEC)

struct irq_rec {
	unsigned irq;
	int level;
	unsigned raised;
};

struct tx_rec {
	uint8_t bytes[64]; /* the first 64 bytes sent */
	unsigned n;
};

static struct vuart uart;
static struct irq_rec rec;
static struct tx_rec sent;

static void rec_set(void *opaque, unsigned irq, int level)
{
	struct irq_rec *r = opaque;

	assert_int_equal(irq, r->irq);
	if (level && !r->level)
		r->raised++;
	r->level = level;
}

static void rec_tx(void *opaque, uint8_t byte)
{
	struct tx_rec *t = opaque;

	if (t->n < sizeof(t->bytes))
		t->bytes[t->n] = byte;
	t->n++;
}

static int setup(void **state)
{
	struct irq_line line = { rec_set, &rec, VUART_COM1_IRQ };

	(void)state;
	io_reset();
	vtimer_reset_all();
	host_fake_now_ns = T0;
	memset(&rec, 0, sizeof(rec));
	memset(&sent, 0, sizeof(sent));
	rec.irq = VUART_COM1_IRQ;
	vuart_init(&uart, &line, rec_tx, &sent);
	assert_int_equal(vuart_attach(&uart, COM1), 0);
	return 0;
}

static uint8_t rd(unsigned reg)
{
	return (uint8_t)io_read((uint16_t)(COM1 + reg), 1);
}

static void wr(unsigned reg, uint8_t val)
{
	io_write((uint16_t)(COM1 + reg), 1, val);
}

static void advance_to(uint64_t ns)
{
	host_fake_now_ns = ns;
	vtimer_run_expired(ns);
}

static void test_power_on(void **state)
{
	(void)state;
	assert_int_equal(rd(IER), 0x00);
	assert_int_equal(rd(IIR), 0x01);
	assert_int_equal(rd(LCR), 0x00);
	assert_int_equal(rd(MCR), 0x00);
	assert_int_equal(rd(LSR), 0x60); /* THRE | TEMT */
	assert_int_equal(rd(MSR), 0xb0); /* DCD | DSR | CTS, no deltas */
	assert_int_equal(rec.level, 0);
	assert_true(vuart_rx_ready(&uart));
}

static void test_divisor_latch(void **state)
{
	(void)state;
	wr(LCR, 0x80); /* DLAB */
	wr(DLL, 0x01); /* 115200 baud */
	wr(DLM, 0x02);
	assert_int_equal(rd(DLL), 0x01);
	assert_int_equal(rd(DLM), 0x02);
	assert_int_equal(sent.n, 0); /* a DLL write is not a transmit */
	wr(LCR, 0x03); /* 8N1, DLAB off */
	assert_int_equal(rd(LCR), 0x03);
	assert_int_equal(rd(IER), 0x00); /* offset 1 is IER again */
	wr(IER, 0xff);
	assert_int_equal(rd(IER), 0x0f); /* bits 4-7 are 0 */
	wr(LCR, 0x83);
	assert_int_equal(rd(DLL), 0x01);
	assert_int_equal(rd(DLM), 0x02);
}

static void test_transmit(void **state)
{
	(void)state;
	wr(THR, 'o');
	wr(THR, 'k');
	assert_int_equal(sent.n, 2);
	assert_int_equal(sent.bytes[0], 'o');
	assert_int_equal(sent.bytes[1], 'k');
	assert_int_equal(rd(LSR), 0x60);
}

/* Linux's 8250 console writes a character after one LSR read shows THRE
 * (wait_for_xmitr), or, with the FIFO on and the tty open, 16 characters
 * after one LSR read shows TEMT (serial8250_console_fifo_write).  With the
 * transmitter always empty again, every such wait is a single read: one
 * exit, never a polling loop. */
static void test_console_writer_waits_once(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(rd(LSR) & 0x20, 0x20);
		wr(THR, (uint8_t)('a' + i));
	}
	wr(FCR, 0x07);
	assert_int_equal(rd(LSR) & 0x40, 0x40);
	for (unsigned i = 0; i < VUART_FIFO_SIZE; i++)
		wr(THR, (uint8_t)('0' + i));
	assert_int_equal(rd(LSR), 0x60); /* TEMT | THRE: the next 16 can go */
	assert_int_equal(sent.n, 4 + VUART_FIFO_SIZE);
	assert_int_equal(sent.bytes[3], 'd');
	assert_int_equal(sent.bytes[4 + VUART_FIFO_SIZE - 1], '0' + VUART_FIFO_SIZE - 1);
}

static void test_rx_fifo_fill(void **state)
{
	(void)state;
	wr(FCR, 0x07); /* FIFO on, both cleared, trigger 1 */
	assert_int_equal(rd(IIR) & 0xc0, 0xc0);
	for (unsigned i = 0; i < VUART_FIFO_SIZE; i++)
		assert_int_equal(vuart_rx_push(&uart, (uint8_t)('a' + i)), 0);
	assert_false(vuart_rx_ready(&uart));
	assert_int_equal(vuart_rx_push(&uart, 'X'), -1); /* caller retries later */
	assert_int_equal(rd(LSR), 0x61);                  /* DR, no overrun */
	for (unsigned i = 0; i < VUART_FIFO_SIZE; i++)
		assert_int_equal(rd(RBR), 'a' + i);
	assert_int_equal(rd(LSR), 0x60);
	assert_int_equal(rd(RBR), 'a' + VUART_FIFO_SIZE - 1); /* RBR keeps the last byte */
	assert_true(vuart_rx_ready(&uart));
}

static void test_rx_16450_mode_holds_one_byte(void **state)
{
	(void)state;
	assert_int_equal(vuart_rx_push(&uart, 1), 0);
	assert_int_equal(vuart_rx_push(&uart, 2), -1);
	assert_int_equal(rd(RBR), 1);
	assert_int_equal(vuart_rx_push(&uart, 2), 0);
	wr(FCR, 0x01); /* entering FIFO mode clears the receiver */
	assert_int_equal(rd(LSR), 0x60);
}

static void test_loopback_overrun(void **state)
{
	(void)state;
	wr(FCR, 0x01);
	wr(MCR, 0x10); /* loopback */
	assert_int_equal(vuart_rx_push(&uart, 'z'), -1); /* input disconnected */
	for (unsigned i = 0; i < VUART_FIFO_SIZE + 1; i++)
		wr(THR, (uint8_t)i);
	assert_int_equal(sent.n, 0);
	assert_int_equal(rd(LSR), 0x63); /* OE | DR | THRE | TEMT */
	assert_int_equal(rd(LSR), 0x61); /* reading LSR clears OE */
	for (unsigned i = 0; i < VUART_FIFO_SIZE; i++)
		assert_int_equal(rd(RBR), i); /* the 17th byte was lost */
	assert_int_equal(rd(LSR), 0x60);

	/* In 16450 mode the unread byte is overwritten. */
	wr(FCR, 0x00);
	wr(THR, 0x11);
	wr(THR, 0x22);
	assert_int_equal(rd(LSR), 0x63);
	assert_int_equal(rd(RBR), 0x22);
}

static void test_iir_priority_order(void **state)
{
	(void)state;
	wr(FCR, 0x01);
	wr(MCR, 0x10); /* loopback: CTS, DSR and DCD drop */
	wr(IER, 0x0f);
	for (unsigned i = 0; i < VUART_FIFO_SIZE + 1; i++)
		wr(THR, (uint8_t)i);
	assert_int_equal(rd(IIR), 0xc6); /* line status */
	assert_int_equal(rd(IIR), 0xc6); /* until LSR is read */
	(void)rd(LSR);
	assert_int_equal(rd(IIR), 0xc4); /* received data */
	for (unsigned i = 0; i < VUART_FIFO_SIZE; i++)
		(void)rd(RBR);
	assert_int_equal(rd(IIR), 0xc2); /* THR empty: this read clears it */
	assert_int_equal(rd(IIR), 0xc0); /* modem status */
	assert_int_equal(rd(MSR) & 0x0f, 0x0b); /* DDCD, DDSR, DCTS */
	assert_int_equal(rd(IIR), 0xc1);
}

static void test_thre_interrupt(void **state)
{
	(void)state;
	wr(MCR, 0x08); /* OUT2 */
	wr(IER, 0x02);
	assert_int_equal(rec.level, 1);
	assert_int_equal(rd(IIR), 0x02); /* source: reading clears it */
	assert_int_equal(rec.level, 0);
	assert_int_equal(rd(IIR), 0x01);
	wr(THR, 'x'); /* THR empties again */
	assert_int_equal(rec.level, 1);
	assert_int_equal(rd(IIR), 0x02);
	wr(IER, 0x03); /* ETBEI already on: no new THRE */
	assert_int_equal(rd(IIR), 0x01);
	wr(IER, 0x00);
	wr(IER, 0x02); /* 0 -> 1 with THR empty: re-asserted */
	assert_int_equal(rec.level, 1);
	assert_int_equal(rd(IIR), 0x02);
	assert_int_equal(rec.raised, 3);

	/* A higher-priority source hides THRE; reading IIR then leaves it. */
	wr(THR, 'y');
	wr(IER, 0x03);
	assert_int_equal(vuart_rx_push(&uart, 'r'), 0);
	assert_int_equal(rd(IIR), 0x04);
	(void)rd(RBR);
	assert_int_equal(rd(IIR), 0x02);
}

static void test_out2_gates_irq(void **state)
{
	(void)state;
	wr(IER, 0x02);
	assert_int_equal(rec.level, 0);
	wr(MCR, 0x08);
	assert_int_equal(rec.level, 1);
	wr(MCR, 0x00);
	assert_int_equal(rec.level, 0);
	wr(MCR, 0x18); /* loopback forces OUT2 inactive */
	assert_int_equal(rec.level, 0);
	assert_int_equal(rd(IIR), 0x02); /* still pending inside the UART */
}

static void test_loopback_modem_lines(void **state)
{
	(void)state;
	wr(MCR, 0x1a); /* loop, OUT2, RTS: Linux's 8250 probe */
	assert_int_equal(rd(MSR), 0x92); /* DCD | CTS, DDSR */
	assert_int_equal(rd(MSR), 0x90);
	wr(MCR, 0x15); /* loop, OUT1, DTR */
	assert_int_equal(rd(MSR), 0x6b); /* RI | DSR; DDCD, DDSR, DCTS */
	wr(MCR, 0x10);
	assert_int_equal(rd(MSR), 0x06); /* RI fell: TERI; DDSR */
	wr(MCR, 0x00); /* back to the console: CTS, DSR, DCD */
	assert_int_equal(rd(MSR), 0xbb);
	assert_int_equal(rd(MCR), 0x00);
	wr(MCR, 0xff);
	assert_int_equal(rd(MCR), 0x1f); /* bits 5-7 are 0 */

	wr(MCR, 0x10);
	wr(THR, 0x55);
	assert_int_equal(sent.n, 0);
	assert_int_equal(rd(RBR), 0x55);
}

static void test_rx_trigger_level(void **state)
{
	(void)state;
	wr(FCR, 0x41); /* FIFO, trigger 4 */
	wr(MCR, 0x08);
	wr(IER, 0x01);
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(vuart_rx_push(&uart, (uint8_t)i), 0);
	assert_int_equal(rd(IIR), 0xc1);
	assert_int_equal(rec.level, 0);
	assert_int_equal(vuart_rx_push(&uart, 3), 0);
	assert_int_equal(rec.level, 1);
	assert_int_equal(rd(IIR), 0xc4);
	(void)rd(RBR);
	assert_int_equal(rd(IIR), 0xc1); /* below the trigger, no timeout yet */
	assert_int_equal(rec.level, 0);
}

static void test_character_timeout(void **state)
{
	/* 8N1 at 115200 baud: 10 bits x 16 / 1.8432 MHz = 86805 ns. */
	const uint64_t timeout = 4 * 86805;

	(void)state;
	wr(LCR, 0x83);
	wr(DLL, 1);
	wr(DLM, 0);
	wr(LCR, 0x03);
	wr(FCR, 0xc1); /* trigger 14 */
	wr(MCR, 0x08);
	wr(IER, 0x01);
	assert_int_equal(vuart_rx_push(&uart, 'a'), 0);
	assert_int_equal(vtimer_next_deadline(), T0 + timeout);
	advance_to(T0 + timeout - 1);
	assert_int_equal(rec.level, 0);
	advance_to(T0 + timeout);
	assert_int_equal(rec.level, 1);
	assert_int_equal(rd(IIR), 0xcc);
	assert_int_equal(rd(RBR), 'a');
	assert_int_equal(rd(IIR), 0xc1);
	assert_int_equal(rec.level, 0);
	assert_true(vtimer_next_deadline() == VTIMER_NEVER);

	/* A read with bytes left clears the timeout and starts a new wait. */
	assert_int_equal(vuart_rx_push(&uart, 'b'), 0);
	assert_int_equal(vuart_rx_push(&uart, 'c'), 0);
	advance_to(T0 + 2 * timeout);
	assert_int_equal(rd(IIR), 0xcc);
	assert_int_equal(rd(RBR), 'b');
	assert_int_equal(rd(IIR), 0xc1);
	assert_int_equal(vtimer_next_deadline(), T0 + 3 * timeout);
	advance_to(T0 + 3 * timeout);
	assert_int_equal(rd(IIR), 0xcc);

	/* No timeout in 16450 mode: data available is reported at once. */
	wr(FCR, 0x00);
	assert_int_equal(vuart_rx_push(&uart, 'd'), 0);
	assert_true(vtimer_next_deadline() == VTIMER_NEVER);
	assert_int_equal(rd(IIR), 0x04);
}

static void test_fifo_reset_and_scratch(void **state)
{
	(void)state;
	wr(FCR, 0x01);
	assert_int_equal(vuart_rx_push(&uart, 1), 0);
	assert_int_equal(vuart_rx_push(&uart, 2), 0);
	wr(FCR, 0x03); /* clear RX */
	assert_int_equal(rd(LSR), 0x60);
	assert_int_equal(rd(IIR), 0xc1);
	wr(FCR, 0x00);
	assert_int_equal(rd(IIR), 0x01);
	wr(SCR, 0xa5);
	assert_int_equal(rd(SCR), 0xa5);
	wr(LSR, 0x00); /* read-only */
	wr(MSR, 0x00);
	assert_int_equal(rd(LSR), 0x60);
	assert_int_equal(rd(MSR), 0xb0);
}

static void test_second_instance_com2(void **state)
{
	struct irq_rec rec2 = { .irq = VUART_COM2_IRQ };
	struct tx_rec sent2 = { .n = 0 };
	struct irq_line line2 = { rec_set, &rec2, VUART_COM2_IRQ };
	struct vuart com2;

	(void)state;
	vuart_init(&com2, &line2, rec_tx, &sent2);
	assert_int_equal(vuart_attach(&com2, VUART_COM2_BASE), 0);
	assert_int_equal(vuart_attach(&com2, VUART_COM2_BASE + 4), -1); /* overlap */
	io_write(VUART_COM2_BASE + THR, 1, '2');
	wr(THR, '1');
	assert_int_equal(sent2.n, 1);
	assert_int_equal(sent2.bytes[0], '2');
	assert_int_equal(sent.n, 1);
	assert_int_equal(sent.bytes[0], '1');
	io_write(VUART_COM2_BASE + MCR, 1, 0x08);
	io_write(VUART_COM2_BASE + IER, 1, 0x02);
	assert_int_equal(rec2.level, 1);
	assert_int_equal(rec.level, 0);
	io_reset(); /* com2 lives on this stack frame */
}

static void test_wide_and_hostile_accesses(void **state)
{
	(void)state;
	io_write(COM1 + LCR, 2, 0x0883); /* LCR = 0x83, MCR = 0x08 */
	assert_int_equal(rd(MCR), 0x08);
	wr(SCR, 0xa5);
	/* MSR, SCR, then two bytes past the UART that float high */
	assert_int_equal(io_read(COM1 + MSR, 4), 0xffffa5b0);
	for (unsigned reg = 0; reg < 8; reg++)
		for (unsigned v = 0; v < 256; v++) {
			wr(reg, (uint8_t)v);
			(void)rd(reg);
			(void)vuart_rx_push(&uart, (uint8_t)v);
			io_write((uint16_t)(COM1 + reg), 4, v * 0x01010101u);
			(void)io_read((uint16_t)(COM1 + reg), 4);
		}
	advance_to(T0 + NS_PER_SEC);
	wr(LCR, 0x00);
	wr(MCR, 0x00);
	wr(FCR, 0x07);
	while (rd(LSR) & 0x01)
		(void)rd(RBR);
	assert_int_equal(rd(LSR), 0x60);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_power_on, setup),
		cmocka_unit_test_setup(test_divisor_latch, setup),
		cmocka_unit_test_setup(test_transmit, setup),
		cmocka_unit_test_setup(test_console_writer_waits_once, setup),
		cmocka_unit_test_setup(test_rx_fifo_fill, setup),
		cmocka_unit_test_setup(test_rx_16450_mode_holds_one_byte, setup),
		cmocka_unit_test_setup(test_loopback_overrun, setup),
		cmocka_unit_test_setup(test_iir_priority_order, setup),
		cmocka_unit_test_setup(test_thre_interrupt, setup),
		cmocka_unit_test_setup(test_out2_gates_irq, setup),
		cmocka_unit_test_setup(test_loopback_modem_lines, setup),
		cmocka_unit_test_setup(test_rx_trigger_level, setup),
		cmocka_unit_test_setup(test_character_timeout, setup),
		cmocka_unit_test_setup(test_fifo_reset_and_scratch, setup),
		cmocka_unit_test_setup(test_second_instance_com2, setup),
		cmocka_unit_test_setup(test_wide_and_hostile_accesses, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
