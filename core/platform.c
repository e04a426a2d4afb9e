/*
 * The guest's PC: which device model sits on which ports and IRQ lines.
 * Interrupts: the 8259 pair's INTR output is what the run loop injects
 * (no APIC, see exit_cpuid.c).  IRQ0 comes from the PIT.
 */
#include "iobus.h"
#include "irq.h"
#include "platform.h"
#include "vatpic.h"
#include "vatpit.h"

static struct vatpic pic;
static struct vatpit pit;

int platform_init(void)
{
	const struct irq_line irq0 = { vatpic_set_irq, &pic, 0 };

	vatpic_init(&pic);
	vatpit_init(&pit, &irq0);
	if (vatpic_attach(&pic) || vatpit_attach(&pit))
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

void platform_poll(void)
{
}
