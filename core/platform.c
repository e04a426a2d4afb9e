/*
 * The guest's PC: which device model sits on which ports and IRQ lines,
 * and how they reach the outside world (design.md section 4).
 * Interrupts: the 8259 pair's INTR output is what the run loop injects
 * (no APIC, see exit_cpuid.c).  IRQ0 PIT, IRQ1/12 i8042, IRQ3/4 serial
 * ports, IRQ8 RTC.
 */
#include "console.h"
#include "guest.h"
#include "hostrtc.h"
#include "iobus.h"
#include "irq.h"
#include "platform.h"
#include "vatpic.h"
#include "vatpit.h"
#include "vkbc.h"
#include "vrtc.h"
#include "vuart.h"

#define IRQ_PIT 0
#define IRQ_KBD 1
#define IRQ_COM2 3
#define IRQ_COM1 4
#define IRQ_RTC 8
#define IRQ_AUX 12

static struct vatpic pic;
static struct vatpit pit;
static struct vrtc rtc;
static struct vuart com1, com2;
static struct vkbc kbc;
static int console_pending = -1; /* a byte read from the console, not yet taken */

static struct irq_line pic_line(unsigned irq)
{
	return (struct irq_line){ vatpic_set_irq, &pic, irq };
}

/* Guest serial output is lamina's console output. */
static void serial_tx(void *opaque, uint8_t byte)
{
	(void)opaque;
	console_write((const char *)&byte, 1);
}

static int64_t host_time(void *opaque)
{
	(void)opaque;
	return hostrtc_unix_time();
}

/* i8042 command 0xFE pulses the CPU's reset line. */
static void cpu_reset(void *opaque)
{
	(void)opaque;
	guest_stop(-1, "the guest reset the CPU through the i8042 (command 0xFE)");
}

int platform_init(void)
{
	const struct irq_line irq_pit = pic_line(IRQ_PIT), irq_kbd = pic_line(IRQ_KBD),
			      irq_aux = pic_line(IRQ_AUX), irq_rtc = pic_line(IRQ_RTC),
			      irq_com1 = pic_line(IRQ_COM1), irq_com2 = pic_line(IRQ_COM2);

	vatpic_init(&pic);
	vatpit_init(&pit, &irq_pit);
	vrtc_init(&rtc, &irq_rtc, host_time, NULL);
	vrtc_set_memory(&rtc, the_guest.ram_size);
	vuart_init(&com1, &irq_com1, serial_tx, NULL);
	vuart_init(&com2, &irq_com2, serial_tx, NULL);
	vkbc_init(&kbc, &irq_kbd, &irq_aux, cpu_reset, NULL, NULL);
	if (vatpic_attach(&pic) || vatpit_attach(&pit) || vrtc_attach(&rtc) ||
	    vuart_attach(&com1, 0x3f8) || vuart_attach(&com2, 0x2f8) || vkbc_attach(&kbc))
		return -1;
	return 0;
}

int platform_pending_vector(void)
{
	return vatpic_pending_vector(&pic);
}

int platform_ack(void)
{
	return vatpic_ack(&pic);
}

/* Bytes typed on lamina's console go to the guest's COM1, one FIFO's
 * worth at a time; a byte the full FIFO refused waits for the next poll. */
void platform_poll(void)
{
	for (unsigned n = 0; n < 16; n++) {
		if (console_pending < 0)
			console_pending = console_getc();
		if (console_pending < 0 || vuart_rx_push(&com1, (uint8_t)console_pending))
			return;
		console_pending = -1;
	}
}
