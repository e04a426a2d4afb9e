/*
 * Virtual 16550A UART.
 *
 * Reference: National Semiconductor PC16550D data sheet ("PC16550D"
 * below): Table II (register summary), section 8 ("Registers": LCR, LSR,
 * FCR, IIR, IER, MCR, MSR, SCR, programmable baud generator) and section
 * 9 ("FIFO Interrupt Mode Operation"), plus the PC convention that MCR
 * OUT2 gates the UART's interrupt onto the ISA IRQ line.
 *
 * What the guest can observe is modelled; what it cannot is not: bytes
 * leave THR immediately, so LSR.THRE and LSR.TEMT always read 1, and the
 * receiver never sees parity, framing or break errors.  The 16-byte RX
 * FIFO, the interrupt priorities and latches, loopback and the character
 * timeout (a vtimer, four character times at the programmed rate) are
 * those of the chip.
 */
#include "vuart.h"
#include "iobus.h"
#include "kprintf.h"
#include "lib.h"

/* PC16550D Table II: register offsets.  With LCR.DLAB = 1, offsets 0
 * and 1 are the divisor latch DLL and DLM instead. */
#define UART_RBR 0 /* read */
#define UART_THR 0 /* write */
#define UART_IER 1
#define UART_IIR 2 /* read */
#define UART_FCR 2 /* write */
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_MSR 6
#define UART_SCR 7

#define IER_ERBFI 0x01 /* received data available */
#define IER_ETBEI 0x02 /* transmitter holding register empty */
#define IER_ELSI 0x04  /* receiver line status */
#define IER_EDSSI 0x08 /* modem status */
#define IER_MASK 0x0f  /* bits 4-7 are always 0 */

#define IIR_NO_INT 0x01
#define IIR_RLS 0x06        /* receiver line status, priority 1 */
#define IIR_RDA 0x04        /* received data available, priority 2 */
#define IIR_CTI 0x0c        /* character timeout, priority 2 */
#define IIR_THRE 0x02       /* THR empty, priority 3 */
#define IIR_MS 0x00         /* modem status, priority 4 */
#define IIR_FIFOS_ENABLED 0xc0

#define FCR_FIFO_ENABLE 0x01
#define FCR_RX_RESET 0x02
#define FCR_TRIGGER_SHIFT 6 /* bits 7-6: RX trigger level 1, 4, 8, 14 */
#define FCR_TRIGGER_MASK 0xc0

#define LCR_WLS_MASK 0x03   /* word length 5-8 bits */
#define LCR_STB 0x04        /* 2 stop bits (1.5 for 5-bit words) */
#define LCR_PEN 0x08        /* parity enable */
#define LCR_DLAB 0x80

#define MCR_DTR 0x01
#define MCR_RTS 0x02
#define MCR_OUT1 0x04
#define MCR_OUT2 0x08
#define MCR_LOOP 0x10
#define MCR_MASK 0x1f       /* bits 5-7 are always 0 */

#define LSR_DR 0x01
#define LSR_OE 0x02
#define LSR_THRE 0x20
#define LSR_TEMT 0x40

#define MSR_DCTS 0x01
#define MSR_DDSR 0x02
#define MSR_TERI 0x04
#define MSR_DDCD 0x08
#define MSR_DELTAS 0x0f
#define MSR_CTS 0x10
#define MSR_DSR 0x20
#define MSR_RI 0x40
#define MSR_DCD 0x80

#define UART_CLOCK_HZ 1843200  /* the PC's UART crystal: 16 x 115200 baud */
#define UART_OVERSAMPLE 16
#define UART_TIMEOUT_CHARS 4
#define UART_DEFAULT_DIVISOR 12 /* 9600 baud; the latch is undefined at reset */

static const uint8_t uart_rx_triggers[4] = { 1, 4, 8, 14 };

/* FCR bit 0: 16550 FIFO mode, else the 16450-compatible mode. */
static bool uart_fifo_enabled(const struct vuart *u)
{
	return u->fcr & FCR_FIFO_ENABLE;
}

/* The receiver holds 16 bytes in FIFO mode, one (RBR) in 16450 mode. */
static unsigned uart_rx_capacity(const struct vuart *u)
{
	return uart_fifo_enabled(u) ? VUART_FIFO_SIZE : 1;
}

/* Bytes at which "received data available" fires (PC16550D FCR bits 6-7). */
static unsigned uart_rx_trigger(const struct vuart *u)
{
	return uart_fifo_enabled(u) ? uart_rx_triggers[u->fcr >> FCR_TRIGGER_SHIFT] : 1;
}

/* One character time at the programmed rate: start + data + parity +
 * stop bits, each 16 cycles of the 1.8432 MHz clock divided by the
 * divisor latch (PC16550D "Programmable Baud Generator").  A divisor of 0
 * is not defined by the data sheet; take it as the slowest rate so a
 * guest cannot make the timer fire faster. */
static uint64_t uart_char_ns(const struct vuart *u)
{
	uint64_t divisor = (uint64_t)u->dlm << 8 | u->dll;
	unsigned bits = 1 + 5 + (u->lcr & LCR_WLS_MASK) + (u->lcr & LCR_PEN ? 1 : 0) +
			(u->lcr & LCR_STB ? 2 : 1);

	if (!divisor)
		divisor = 0x10000;
	return bits * UART_OVERSAMPLE * divisor * NS_PER_SEC / UART_CLOCK_HZ;
}

/* The character timeout (PC16550D section 9): with the FIFO on and bytes
 * in it, report a timeout if for four character times nothing arrives and
 * the CPU reads nothing.  Every arrival or read starts the wait again and
 * clears a reported timeout. */
static void uart_restart_timeout(struct vuart *u)
{
	u->timeout_pending = false;
	if (uart_fifo_enabled(u) && u->rx_count)
		vtimer_arm(&u->rx_timeout, vclock_now_ns() + UART_TIMEOUT_CHARS * uart_char_ns(u));
	else
		vtimer_cancel(&u->rx_timeout);
}

/* Empty the receiver (FCR bit 1, or a change of FIFO mode). */
static void uart_rx_clear(struct vuart *u)
{
	u->rx_head = 0;
	u->rx_count = 0;
	uart_restart_timeout(u);
}

/* A character completes in the receiver.  If there is no room it is an
 * overrun (LSR.OE): in FIFO mode the new byte is lost and the FIFO kept,
 * in 16450 mode it overwrites the unread RBR (PC16550D LSR bit 1). */
static void uart_rx_put(struct vuart *u, uint8_t byte)
{
	if (u->rx_count < uart_rx_capacity(u)) {
		u->rx_fifo[(u->rx_head + u->rx_count) % VUART_FIFO_SIZE] = byte;
		u->rx_count++;
	} else {
		u->lsr |= LSR_OE;
		if (!uart_fifo_enabled(u))
			u->rx_fifo[u->rx_head] = byte;
	}
	uart_restart_timeout(u);
}

/* Reading RBR takes the oldest byte; with nothing received the register
 * still holds the last byte read. */
static uint8_t uart_rx_get(struct vuart *u)
{
	if (u->rx_count) {
		u->rbr = u->rx_fifo[u->rx_head];
		u->rx_head = (uint8_t)((u->rx_head + 1) % VUART_FIFO_SIZE);
		u->rx_count--;
	}
	uart_restart_timeout(u);
	return u->rbr;
}

/* The highest-priority pending interrupt (PC16550D Table IV): line status
 * > received data / character timeout > THR empty > modem status. */
static uint8_t uart_pending_id(const struct vuart *u)
{
	if ((u->ier & IER_ELSI) && (u->lsr & LSR_OE))
		return IIR_RLS;
	if ((u->ier & IER_ERBFI) && u->rx_count >= uart_rx_trigger(u))
		return IIR_RDA;
	if ((u->ier & IER_ERBFI) && u->timeout_pending)
		return IIR_CTI;
	if ((u->ier & IER_ETBEI) && u->thre_pending)
		return IIR_THRE;
	if ((u->ier & IER_EDSSI) && (u->msr & MSR_DELTAS))
		return IIR_MS;
	return IIR_NO_INT;
}

/* The INTR pin reaches the PC's IRQ line only through a buffer enabled by
 * the OUT2 pin, and loopback forces the modem-control pins inactive
 * (PC16550D MCR bit 4), so: pending && MCR.OUT2 && !MCR.LOOP. */
static void uart_update_irq(struct vuart *u)
{
	bool level = uart_pending_id(u) != IIR_NO_INT && (u->mcr & MCR_OUT2) && !(u->mcr & MCR_LOOP);

	if (level != u->irq_level) {
		u->irq_level = level;
		irq_set(&u->irq, level);
	}
}

/* Four character times passed with no arrival and no read: the
 * timeout fires if bytes are still waiting. */
static void uart_timeout_fire(struct vtimer *t, uint64_t now)
{
	struct vuart *u = t->opaque;

	(void)now;
	u->timeout_pending = uart_fifo_enabled(u) && u->rx_count;
	uart_update_irq(u);
}

/* The modem inputs the UART sees.  In loopback the MCR outputs are wired
 * back (RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD); otherwise the console
 * is always ready: CTS, DSR and DCD asserted, no ring. */
static uint8_t uart_modem_inputs(const struct vuart *u)
{
	uint8_t m = u->mcr;

	if (!(m & MCR_LOOP))
		return MSR_CTS | MSR_DSR | MSR_DCD;
	return (m & MCR_RTS ? MSR_CTS : 0) | (m & MCR_DTR ? MSR_DSR : 0) |
	       (m & MCR_OUT1 ? MSR_RI : 0) | (m & MCR_OUT2 ? MSR_DCD : 0);
}

/* MSR bits 0-3 record changes of the inputs since MSR was last read:
 * DCTS, DDSR and DDCD on any change, TERI only when RI goes 1 -> 0
 * (PC16550D MSR bits 0-3). */
static void uart_update_msr(struct vuart *u)
{
	uint8_t old = u->msr, now = uart_modem_inputs(u);
	uint8_t deltas = old & MSR_DELTAS;

	if ((old ^ now) & MSR_CTS)
		deltas |= MSR_DCTS;
	if ((old ^ now) & MSR_DSR)
		deltas |= MSR_DDSR;
	if ((old ^ now) & MSR_DCD)
		deltas |= MSR_DDCD;
	if ((old & MSR_RI) && !(now & MSR_RI))
		deltas |= MSR_TERI;
	u->msr = now | deltas;
}

/* Reading IIR reports the top interrupt and, if that is THR empty,
 * clears it (PC16550D Table IV, "Interrupt Reset Control"). */
static uint8_t uart_read_iir(struct vuart *u)
{
	uint8_t id = uart_pending_id(u);

	if (id == IIR_THRE)
		u->thre_pending = false;
	return id | (uart_fifo_enabled(u) ? IIR_FIFOS_ENABLED : 0);
}

/* Reading LSR clears the error bits (only OE can happen here). */
static uint8_t uart_read_lsr(struct vuart *u)
{
	uint8_t val = u->lsr | LSR_THRE | LSR_TEMT | (u->rx_count ? LSR_DR : 0);

	u->lsr = 0;
	return val;
}

/* Reading MSR clears the delta bits (and so the modem status interrupt). */
static uint8_t uart_read_msr(struct vuart *u)
{
	uint8_t val = u->msr;

	u->msr &= (uint8_t)~MSR_DELTAS;
	return val;
}

/* A byte written to THR leaves at once, to the console or, in loopback,
 * to our own receiver.  Writing THR clears the THR-empty interrupt, and
 * THR emptying again sets it: the net effect is a fresh THRE interrupt. */
static void uart_transmit(struct vuart *u, uint8_t byte)
{
	if (u->mcr & MCR_LOOP)
		uart_rx_put(u, byte);
	else if (u->tx)
		u->tx(u->tx_opaque, byte);
	u->thre_pending = true;
}

/* Enabling ETBEI while THR is empty (always, here) raises THRE at once:
 * Linux's 8250 driver tests for exactly this. */
static void uart_write_ier(struct vuart *u, uint8_t val)
{
	uint8_t old = u->ier;

	u->ier = val & IER_MASK;
	if (!(old & IER_ETBEI) && (u->ier & IER_ETBEI))
		u->thre_pending = true;
}

/* FCR (PC16550D section 8.3): switching FIFO mode on or off clears the
 * FIFOs; the other bits are only taken when bit 0 is 1.  Bit 1 clears the
 * RX FIFO; bit 2 would clear the TX FIFO, which is always empty here. */
static void uart_write_fcr(struct vuart *u, uint8_t val)
{
	if ((val ^ u->fcr) & FCR_FIFO_ENABLE)
		uart_rx_clear(u);
	if (!(val & FCR_FIFO_ENABLE)) {
		u->fcr &= (uint8_t)~FCR_FIFO_ENABLE;
		return;
	}
	u->fcr = val & (FCR_FIFO_ENABLE | FCR_TRIGGER_MASK);
	if (val & FCR_RX_RESET)
		uart_rx_clear(u);
}

/* MCR drives the modem outputs, which loopback feeds back into MSR. */
static void uart_write_mcr(struct vuart *u, uint8_t val)
{
	u->mcr = val & MCR_MASK;
	uart_update_msr(u);
}

/* Register reads by offset (PC16550D Table II). */
static uint8_t uart_read_reg(struct vuart *u, unsigned reg)
{
	bool dlab = u->lcr & LCR_DLAB;

	switch (reg) {
	case UART_RBR:
		return dlab ? u->dll : uart_rx_get(u);
	case UART_IER:
		return dlab ? u->dlm : u->ier;
	case UART_IIR:
		return uart_read_iir(u);
	case UART_LCR:
		return u->lcr;
	case UART_MCR:
		return u->mcr;
	case UART_LSR:
		return uart_read_lsr(u);
	case UART_MSR:
		return uart_read_msr(u);
	default:
		return u->scr;
	}
}

/* LSR and MSR are read-only (writing them is a factory test mode). */
static void uart_write_reg(struct vuart *u, unsigned reg, uint8_t val)
{
	bool dlab = u->lcr & LCR_DLAB;

	switch (reg) {
	case UART_THR:
		if (dlab)
			u->dll = val;
		else
			uart_transmit(u, val);
		break;
	case UART_IER:
		if (dlab)
			u->dlm = val;
		else
			uart_write_ier(u, val);
		break;
	case UART_FCR:
		uart_write_fcr(u, val);
		break;
	case UART_LCR:
		u->lcr = val;
		break;
	case UART_MCR:
		uart_write_mcr(u, val);
		break;
	case UART_SCR:
		u->scr = val;
		break;
	default:
		break;
	}
}

/* A wider access is split into byte cycles on consecutive ports, as the
 * ISA bus does; bytes past our eight ports float high.  The interrupt
 * line is a level: recomputed after every access. */
uint32_t vuart_read(void *opaque, uint16_t port, unsigned size)
{
	struct vuart *u = opaque;
	uint32_t val = 0;

	for (unsigned i = 0; i < size && i < 4; i++) {
		uint32_t reg = (uint32_t)port + i - u->base;

		val |= (uint32_t)(reg < VUART_NPORTS ? uart_read_reg(u, reg) : 0xff) << (8 * i);
	}
	uart_update_irq(u);
	return val;
}

void vuart_write(void *opaque, uint16_t port, unsigned size, uint32_t val)
{
	struct vuart *u = opaque;

	for (unsigned i = 0; i < size && i < 4; i++) {
		uint32_t reg = (uint32_t)port + i - u->base;

		if (reg < VUART_NPORTS)
			uart_write_reg(u, reg, (uint8_t)(val >> (8 * i)));
	}
	uart_update_irq(u);
}

/* The console may deliver a byte when the receiver has room and is
 * connected to the outside (loopback disconnects SIN). */
bool vuart_rx_ready(const struct vuart *u)
{
	return !(u->mcr & MCR_LOOP) && u->rx_count < uart_rx_capacity(u);
}

/* A byte arrives on SIN from the console. */
int vuart_rx_push(struct vuart *u, uint8_t byte)
{
	if (!vuart_rx_ready(u))
		return -1;
	uart_rx_put(u, byte);
	uart_update_irq(u);
	return 0;
}

/* Master reset (PC16550D Table IV): interrupts off, 16450 mode, 5N1,
 * modem outputs inactive, LSR = THRE | TEMT. */
void vuart_init(struct vuart *u, const struct irq_line *irq, vuart_tx_fn tx, void *opaque)
{
	memset(u, 0, sizeof(*u));
	if (irq)
		u->irq = *irq;
	u->tx = tx;
	u->tx_opaque = opaque;
	u->dll = UART_DEFAULT_DIVISOR;
	u->msr = uart_modem_inputs(u);
	u->rx_timeout.fire = uart_timeout_fire;
	u->rx_timeout.opaque = u;
}

/* For the live trace: the register (PC16550D Table II; DLAB=1 turns
 * offsets 0 and 1 into the divisor latch) and, for data, the character. */
static int vuart_explain(void *opaque, uint16_t port, unsigned size, bool in, uint32_t val,
			 char *buf, unsigned len)
{
	static const char *const regs_in[VUART_NPORTS] = { "RBR", "IER", "IIR", "LCR", "MCR",
							    "LSR", "MSR", "SCR" };
	static const char *const regs_out[VUART_NPORTS] = { "THR", "IER", "FCR", "LCR", "MCR",
							     "LSR", "MSR", "SCR" };
	const struct vuart *u = opaque;
	unsigned reg = (uint16_t)(port - u->base);
	char c = (char)val;

	(void)size;
	if (reg >= VUART_NPORTS)
		return 0;
	if ((u->lcr & LCR_DLAB) && reg <= UART_IER)
		return ksnprintf(buf, len, "COM%u divisor %s", u->base == 0x3f8 ? 1 : 2,
				 reg ? "high" : "low");
	if (reg == UART_THR && (c >= ' ' && c <= '~'))
		return ksnprintf(buf, len, "COM%u %s '%c'", u->base == 0x3f8 ? 1 : 2,
				 in ? "RBR" : "THR", c);
	return ksnprintf(buf, len, "COM%u %s", u->base == 0x3f8 ? 1 : 2,
			 in ? regs_in[reg] : regs_out[reg]);
}

/* The UART decodes eight consecutive ports from base. */
int vuart_attach(struct vuart *u, uint16_t base)
{
	static const struct io_ops vuart_ops = {
		.name = "uart",
		.read = vuart_read,
		.write = vuart_write,
		.explain = vuart_explain,
	};

	if (io_register(base, VUART_NPORTS, &vuart_ops, u))
		return -1;
	u->base = base;
	return 0;
}
