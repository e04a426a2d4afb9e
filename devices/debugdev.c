/*
 * The debug ports (include/debugdev.h).  Pure state machine: output and
 * the exit request go through callbacks.
 */
#include "debugdev.h"
#include "iobus.h"

uint32_t debugdev_read(void *opaque, uint16_t port, unsigned size)
{
	struct debugdev *d = opaque;

	(void)size;
	switch (port) {
	case DEBUGCON_PORT:
		return DEBUGCON_PORT; /* Bochs/QEMU answer 0xE9: "debug console present" */
	case BIOSLOG_PORT:
		return 0xe9; /* QEMU's debugcon at 0x402 answers like the 0xE9 one */
	case POST_PORT:
		return d->post_code;
	case TESTDEV_PORT ... TESTDEV_PORT + 3:
		return d->scratch >> ((port - TESTDEV_PORT) * 8);
	default:
		return 0xffffffff;
	}
}

/* Collect the firmware's log into lines; a full buffer is a line too. */
static void bioslog_byte(struct debugdev *d, uint8_t c)
{
	if (c == '\r')
		return;
	if (c != '\n')
		d->line[d->line_len++] = (char)c;
	if (c == '\n' || d->line_len == sizeof(d->line) - 1) {
		d->line[d->line_len] = '\0';
		d->log_line(d->opaque, d->line);
		d->line_len = 0;
	}
}

void debugdev_write(void *opaque, uint16_t port, unsigned size, uint32_t val)
{
	struct debugdev *d = opaque;

	switch (port) {
	case DEBUGCON_PORT:
		d->putc(d->opaque, (uint8_t)val);
		break;
	case BIOSLOG_PORT:
		if (d->bios_log)
			bioslog_byte(d, (uint8_t)val);
		break;
	case POST_PORT:
		d->post_code = (uint8_t)val;
		break;
	case DEBUGEXIT_PORT:
		d->exit(d->opaque, val);
		break;
	case TESTDEV_PORT ... TESTDEV_PORT + 3: {
		unsigned shift = (port - TESTDEV_PORT) * 8;
		uint64_t mask = low_bytes_mask(size);

		/* bytes beyond the register's end are not stored */
		d->scratch = (uint32_t)((d->scratch & ~(mask << shift)) | ((uint64_t)val & mask) << shift);
		break;
	}
	default:
		break;
	}
}

static const struct io_ops debugdev_ops = {
	.name = "debug",
	.read = debugdev_read,
	.write = debugdev_write,
};

int debugdev_attach(struct debugdev *d)
{
	if (io_register(DEBUGCON_PORT, 1, &debugdev_ops, d) ||
	    io_register(BIOSLOG_PORT, 1, &debugdev_ops, d) ||
	    io_register(DEBUGEXIT_PORT, 1, &debugdev_ops, d) ||
	    io_register(POST_PORT, 1, &debugdev_ops, d) ||
	    io_register(TESTDEV_PORT, 4, &debugdev_ops, d))
		return -1;
	return 0;
}
