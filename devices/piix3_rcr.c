/* PIIX3 Reset Control Register (include/piix3_rcr.h). */
#include "iobus.h"
#include "piix3_rcr.h"

/* Only bits 1 and 2 exist; the rest read 0. */
uint32_t piix3_rcr_read(void *opaque, uint16_t port, unsigned size)
{
	const struct piix3_rcr *r = opaque;

	(void)port;
	(void)size;
	return r->value & (RCR_SYS_RST | RCR_RST_CPU);
}

/* A rising RST_CPU edge resets; bit 2 reads back 0 afterwards, as the
 * reset has happened (the register itself is cleared by a hard reset). */
void piix3_rcr_write(void *opaque, uint16_t port, unsigned size, uint32_t val)
{
	struct piix3_rcr *r = opaque;
	bool edge = (val & RCR_RST_CPU) && !(r->value & RCR_RST_CPU);

	(void)port;
	(void)size;
	r->value = val & RCR_SYS_RST;
	if (edge)
		r->reset(r->opaque, val & RCR_SYS_RST);
}

static const struct io_ops piix3_rcr_ops = {
	.name = "PIIX3 reset",
	.read = piix3_rcr_read,
	.write = piix3_rcr_write,
};

int piix3_rcr_attach(struct piix3_rcr *r)
{
	return io_register(RCR_PORT, 1, &piix3_rcr_ops, r);
}
