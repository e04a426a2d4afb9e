/*
 * The port I/O bus (NOVA/Seoul style): device models attach to a range of
 * I/O ports with a pair of handlers.  The core's I/O exit handler looks the
 * port up here; nothing else in the monitor knows which device owns a port.
 *
 * A device model only sees (port, size, value): it never touches the
 * VMCB/VMCS, so the same file builds into host unit tests and fuzzers.
 */
#ifndef LAMINA_IOBUS_H
#define LAMINA_IOBUS_H

#include "types.h"

struct io_ops {
	const char *name; /* device name used in logs and the exit trace */
	/* size is 1, 2 or 4; the result is masked to size by the bus. */
	uint32_t (*read)(void *opaque, uint16_t port, unsigned size);
	void (*write)(void *opaque, uint16_t port, unsigned size, uint32_t val);
	/* Optional, for the live exit trace: say in a few words what the
	 * access just made (in: read, else written val) meant to the device,
	 * e.g. "ch0 mode 2, lo/hi".  Writes at most len bytes with the NUL;
	 * returns the length, or 0 when there is nothing to add. */
	int (*explain)(void *opaque, uint16_t port, unsigned size, bool in, uint32_t val, char *buf,
		       unsigned len);
};

/* Claim ports [base, base+len). Returns 0, or -1 if the range overlaps. */
int io_register(uint16_t base, uint16_t len, const struct io_ops *ops, void *opaque);

/* Release the range [base, base+len) claimed by an earlier io_register()
 * with exactly that base and length (a PCI BAR moving).  0, or -1 if no
 * such registration exists. */
int io_unregister(uint16_t base, uint16_t len);

/* Dispatch one access. Unclaimed reads return all-ones, writes are dropped,
 * and each unclaimed port is logged once. */
uint32_t io_read(uint16_t port, unsigned size);
void io_write(uint16_t port, unsigned size, uint32_t val);

/* Name of the device owning a port, or NULL (for the trace). */
const char *io_owner(uint16_t port);
/* The owner's explanation of an access it has handled (struct io_ops
 * explain); buf is "" and the result 0 when it has none. */
int io_explain(uint16_t port, unsigned size, bool in, uint32_t val, char *buf, unsigned len);

/* Forget every registration (used when a guest is reset and in tests). */
void io_reset(void);

#endif
