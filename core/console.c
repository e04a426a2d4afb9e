/*
 * Polled driver for the host's 16550A UART (PC16550D datasheet): lamina's
 * console.  115200 baud = divisor 1 of the 1.8432 MHz clock; 8 data bits,
 * no parity, 1 stop bit; FIFOs enabled.  kprintf() ends here.
 */
#include <stdarg.h>

#include "console.h"
#include "kprintf.h"
#include "vga_text.h"
#include "x86.h"

#define UART_THR 0 /* transmit holding (write), receive buffer (read) */
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_SCR 7
#define UART_DLL 0 /* with LCR.DLAB */
#define UART_DLM 1
#define LCR_DLAB 0x80
#define LCR_8N1 0x03
#define FCR_ENABLE_CLEAR 0x07
#define MCR_DTR_RTS 0x03
#define LSR_DR 0x01
#define LSR_THRE 0x20

static uint16_t console_base;
static struct vga_text vga;
static bool console_vga; /* console=vga: the text screen, no serial */

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

void console_init(uint16_t base)
{
	console_base = base;
	uart_init(base);
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
 * A plausible entry becomes lamina's default console; under UEFI or with
 * no serial port it is 0 or junk and lamina falls back to 0x3f8.
 */
uint16_t console_bios_port(void)
{
	uint16_t port;

	/* asm, not a pointer: gcc treats any access at a constant address below
	 * 4 KiB as a null-pointer dereference (-Warray-bounds). */
	__asm__ volatile("movw 0x400, %0" : "=r"(port));

	return port >= 0x100 && port <= 0xfff8 && !(port & 7) ? port : 0;
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
