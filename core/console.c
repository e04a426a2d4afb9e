/*
 * Polled driver for the host's 16550A UART (PC16550D datasheet): lamina's
 * console.  115200 baud = divisor 1 of the 1.8432 MHz clock; 8 data bits,
 * no parity, 1 stop bit; FIFOs enabled.  kprintf() ends here.
 *
 * The guest's serial output is queued and sent a transmit FIFO's worth per
 * LSR read, without waiting for the host's line (see console_queue()).
 * The monitor's own text first sends everything queued, then itself, so
 * the two never reorder.
 */
#include <stdarg.h>

#include "console.h"
#include "kprintf.h"
#include "vclock.h"
#include "vga_text.h"
#include "x86.h"

#define UART_THR 0 /* transmit holding (write), receive buffer (read) */
#define UART_IER 1
#define UART_IIR 2 /* read */
#define UART_FCR 2 /* write */
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_SCR 7
#define UART_DLL 0 /* with LCR.DLAB */
#define UART_DLM 1
#define LCR_DLAB 0x80
#define LCR_8N1 0x03
#define FCR_ENABLE_CLEAR 0x07
#define IIR_FIFOS_ENABLED 0xc0 /* bits 7-6: both set on a 16550A with FIFOs on */
#define UART_TX_FIFO 16
#define MCR_DTR_RTS 0x03
#define LSR_DR 0x01
#define LSR_THRE 0x20

/* Guest output waits at most this long for more bytes to send with it. */
#define QUEUE_DELAY_NS 2000000ull
#define QUEUE_SIZE 1024

static uint16_t console_base;
static unsigned console_tx_burst; /* bytes the host UART takes per THRE */
static struct vga_text vga;
static bool console_vga; /* console=vga: the text screen, no serial */

/* Guest output not yet handed to the host UART: a ring of queue_len bytes
 * from queue_head, due at queue_due_ns. */
static uint8_t queue[QUEUE_SIZE];
static size_t queue_head, queue_len;
static uint64_t queue_due_ns;

void uart_init(uint16_t base)
{
	outb(base + UART_IER, 0);
	outb(base + UART_LCR, LCR_DLAB);
	outb(base + UART_DLL, 1);
	outb(base + UART_DLM, 0);
	outb(base + UART_LCR, LCR_8N1);
	outb(base + UART_FCR, FCR_ENABLE_CLEAR);
	outb(base + UART_MCR, MCR_DTR_RTS);
}

/* In FIFO mode LSR.THRE means the whole 16-byte transmit FIFO is empty
 * (PC16550D LSR bit 5), so one LSR read clears 16 bytes to go; an 8250
 * or 16450 (IIR bits 7-6 stay 0, FCR does not exist) holds one. */
void console_init(uint16_t base)
{
	console_base = base;
	uart_init(base);
	console_tx_burst = (inb(base + UART_IIR) & IIR_FIFOS_ENABLED) == IIR_FIFOS_ENABLED
				   ? UART_TX_FIFO : 1;
}

static void uart_putc(uint16_t base, uint8_t c)
{
	/* Bounded wait: a port with no UART behind it reads 0xff, which has
	 * THRE set, so this never hangs on a missing device either. */
	for (unsigned spins = 0; spins < 100000; spins++)
		if (inb(base + UART_LSR) & LSR_THRE)
			break;
	outb(base + UART_THR, c);
}

/* Whether a 16550 answers at base: its scratch register keeps a value
 * (PC16550D "Scratchpad Register"); an empty port reads 0xff. */
bool uart_present(uint16_t base)
{
	outb(base + UART_SCR, 0x5a);
	return inb(base + UART_SCR) == 0x5a;
}

void uart_write(uint16_t base, const void *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		uart_putc(base, ((const uint8_t *)buf)[i]);
}

static void console_putc(char c)
{
	uart_putc(console_base, (uint8_t)c);
}

/* Hand queued bytes to the host UART while its transmitter is empty, a
 * FIFO's worth per LSR read; never waits for the line.  A port with no
 * UART behind it reads 0xff (THRE set): the bytes are dropped there. */
static void queue_send(void)
{
	while (queue_len && (inb(console_base + UART_LSR) & LSR_THRE)) {
		for (unsigned n = 0; n < console_tx_burst && queue_len; n++) {
			outb(console_base + UART_THR, queue[queue_head]);
			queue_head = (queue_head + 1) % QUEUE_SIZE;
			queue_len--;
		}
	}
}

/* Everything queued goes out, waiting for the host's line if need be;
 * like uart_putc(), give up on a transmitter that stays full. */
static void queue_drain(void)
{
	for (unsigned spins = 0; queue_len && spins < 100000; spins++) {
		size_t before = queue_len;

		queue_send();
		if (queue_len != before)
			spins = 0;
	}
	queue_len = 0;
}

static void queue_put(uint8_t c)
{
	if (queue_len == QUEUE_SIZE)
		queue_drain(); /* the guest outran the host's line */
	queue[(queue_head + queue_len) % QUEUE_SIZE] = c;
	queue_len++;
}

/*
 * A byte the guest sent through its UART.  Sent alone it would cost a
 * host LSR poll and THR write inside each guest exit (under QEMU TCG the
 * OUT alone is ~28k cycles: QEMU hands every byte to its chardev), so it
 * waits and leaves with others: at once at the end of a line or with a
 * FIFO's worth queued, otherwise when console_queue_poll() finds it
 * QUEUE_DELAY_NS old.
 */
void console_queue(uint8_t c)
{
	if (console_vga || !console_base) {
		console_write((const char *)&c, 1);
		return;
	}
	if (!queue_len)
		queue_due_ns = vclock_now_ns() + QUEUE_DELAY_NS;
	if (c == '\n')
		queue_put('\r');
	queue_put(c);
	if (c == '\n' || queue_len >= console_tx_burst)
		queue_send();
}

/* When console_queue_poll() must run next: VTIMER_NEVER with nothing
 * queued.  A host line still busy at the due time retries a delay later. */
uint64_t console_queue_deadline(void)
{
	return queue_len ? queue_due_ns : VTIMER_NEVER;
}

void console_queue_poll(uint64_t now_ns)
{
	if (!queue_len || now_ns < queue_due_ns)
		return;
	queue_send();
	queue_due_ns = now_ns + QUEUE_DELAY_NS;
}

/* console=vga: from now on the VGA text screen at 0xB8000 (identity-
 * mapped; the BIOS's MTRRs make the legacy VGA window uncacheable). */
void console_init_vga(void)
{
	vga_text_init(&vga, (volatile uint16_t *)VGA_TEXT_BASE);
	console_vga = true;
}

/*
 * The BIOS data area lists the COM ports the BIOS found, COM1 first, at
 * 0x400 (IBM PC/AT Technical Reference, BIOS data area: "RS232_BASE").
 * Under UEFI there is no BIOS data area and 0x400 holds whatever the
 * firmware or the boot loader left there (0xca00 was seen under OVMF),
 * so only one of the four standard COM bases with a UART answering there
 * is believed; otherwise lamina falls back to 0x3f8 (console= overrides).
 */
uint16_t console_bios_port(void)
{
	static const uint16_t com_bases[] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };
	uint16_t port;

	/* asm, not a pointer: gcc treats any access at a constant address below
	 * 4 KiB as a null-pointer dereference (-Warray-bounds). */
	__asm__ volatile("movw 0x400, %0" : "=r"(port));

	for (unsigned i = 0; i < ARRAY_SIZE(com_bases); i++)
		if (port == com_bases[i] && uart_present(port))
			return port;
	return 0;
}

void console_write(const char *s, size_t n)
{
	if (console_vga) {
		for (size_t i = 0; i < n; i++)
			vga_text_putc(&vga, s[i]);
		return;
	}
	if (!console_base)
		return;
	queue_drain();
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			console_putc('\r');
		console_putc(s[i]);
	}
}

int console_getc(void)
{
	uint8_t lsr;

	if (!console_base || console_vga)
		return -1;
	lsr = inb(console_base + UART_LSR);
	if (lsr == 0xff || !(lsr & LSR_DR))
		return -1;
	return inb(console_base + UART_THR);
}

int kprintf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_write(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
	return n;
}
