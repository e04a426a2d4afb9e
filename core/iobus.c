/*
 * The port I/O bus: a small table of claimed ranges.  Unclaimed reads
 * return all-ones (an ISA bus with nothing driving it floats high), writes
 * are dropped, and each unclaimed port is logged once.
 */
#include "iobus.h"
#include "kprintf.h"

#define IOBUS_MAX_RANGES 64

struct io_range {
	uint16_t base;
	uint32_t len;
	const struct io_ops *ops;
	void *opaque;
};

static struct io_range io_ranges[IOBUS_MAX_RANGES];
static unsigned io_nranges;
static uint8_t io_logged[65536 / 8]; /* one bit per port: unclaimed access logged */
static unsigned io_nlogged;          /* how many of them: see IO_LOG_MAX_PORTS */

int io_register(uint16_t base, uint16_t len, const struct io_ops *ops, void *opaque)
{
	uint32_t end = (uint32_t)base + len;

	if (len == 0 || end > 0x10000 || io_nranges == IOBUS_MAX_RANGES)
		return -1;
	for (unsigned i = 0; i < io_nranges; i++) {
		const struct io_range *r = &io_ranges[i];

		if (base < r->base + r->len && r->base < end)
			return -1;
	}
	io_ranges[io_nranges++] = (struct io_range){ base, len, ops, opaque };
	return 0;
}

int io_unregister(uint16_t base, uint16_t len)
{
	for (unsigned i = 0; i < io_nranges; i++) {
		if (io_ranges[i].base != base || io_ranges[i].len != len)
			continue;
		for (unsigned j = i + 1; j < io_nranges; j++)
			io_ranges[j - 1] = io_ranges[j];
		io_nranges--;
		return 0;
	}
	return -1;
}

static const struct io_range *io_find(uint16_t port)
{
	for (unsigned i = 0; i < io_nranges; i++) {
		const struct io_range *r = &io_ranges[i];

		if (port >= r->base && port < r->base + r->len)
			return r;
	}
	return NULL;
}

/* At most this many unclaimed ports are named: a guest sweeping all
 * 65536 must not flood the console (and the run) with lines. */
#define IO_LOG_MAX_PORTS 64

static void io_log_unclaimed(uint16_t port, unsigned size, bool in)
{
	if (io_logged[port / 8] & (1u << (port % 8)))
		return;
	io_logged[port / 8] |= (uint8_t)(1u << (port % 8));
	if (++io_nlogged == IO_LOG_MAX_PORTS + 1)
		kprintf("lamina: io: more than %u unclaimed ports: no more are logged\n",
			IO_LOG_MAX_PORTS);
	if (io_nlogged > IO_LOG_MAX_PORTS)
		return;
	kprintf("lamina: io: unclaimed %s port %#x size %u (logged once)\n",
		in ? "IN from" : "OUT to", port, size);
}

/*
 * A word or dword access whose first port no device decodes is split
 * into byte accesses, one per port, as the PC's chipset splits it into
 * byte cycles on the ISA bus; so a dword OUT at 3Fh still reaches the
 * PIT at 40h-42h.  An access that starts on a device's port goes to that
 * device whole, whatever its width: the device decodes it (the PCI host
 * bridge takes a dword at CF8h although CF9h is the reset register).
 * Port numbers wrap at 64 Ki.
 */
uint32_t io_read(uint16_t port, unsigned size)
{
	const struct io_range *r = io_find(port);
	uint32_t val = 0;

	if (size > 1 && !r) {
		for (unsigned i = 0; i < size; i++)
			val |= io_read((uint16_t)(port + i), 1) << (i * 8);
		return val;
	}
	if (!r || !r->ops->read) {
		io_log_unclaimed(port, size, true);
		return (uint32_t)low_bytes_mask(size);
	}
	return r->ops->read(r->opaque, port, size) & (uint32_t)low_bytes_mask(size);
}

void io_write(uint16_t port, unsigned size, uint32_t val)
{
	const struct io_range *r = io_find(port);

	if (size > 1 && !r) {
		for (unsigned i = 0; i < size; i++)
			io_write((uint16_t)(port + i), 1, (val >> (i * 8)) & 0xff);
		return;
	}
	if (!r || !r->ops->write) {
		io_log_unclaimed(port, size, false);
		return;
	}
	r->ops->write(r->opaque, port, size, val & (uint32_t)low_bytes_mask(size));
}

const char *io_owner(uint16_t port)
{
	const struct io_range *r = io_find(port);

	return r ? r->ops->name : NULL;
}

int io_explain(uint16_t port, unsigned size, bool in, uint32_t val, char *buf, unsigned len)
{
	const struct io_range *r = io_find(port);

	buf[0] = '\0';
	if (!r || !r->ops->explain)
		return 0;
	return r->ops->explain(r->opaque, port, size, in, val, buf, len);
}

void io_reset(void)
{
	io_nranges = 0;
	for (unsigned i = 0; i < sizeof(io_logged); i++)
		io_logged[i] = 0;
	io_nlogged = 0;
}
