/*
 * Shared by the libFuzzer harnesses in tests/fuzz/: the fuzz input is read
 * as a sequence of operations against a freshly initialised device model.
 *
 * One operation (all multi-byte values little-endian):
 *   op      1 byte: bits 1-0 kind, bits 3-2 size (0: 1, 1: 2, 2: 4, 3: 1),
 *                   bits 7-4 a small argument (clock scale, device op)
 *   kind 0  READ   port-index byte                  -> io_read(port, size)
 *   kind 1  WRITE  port-index byte, size value bytes -> io_write(port, size, val)
 *   kind 2  CLOCK  2 bytes n: the fake clock moves n << (3 * arg) ns on and
 *                  expired vtimers fire
 *   kind 3  DEVICE 1 byte b: a harness-specific action (raise an IRQ, push
 *                  a received byte, run a DMA transfer, ...) with arg and b
 * The port index is taken modulo the harness's port list.  A truncated
 * operation at the end of the input reads missing bytes as zero.
 * tests/fuzz/mkcorpus writes seeds in this format.
 */
#ifndef LAMINA_FUZZ_IO_H
#define LAMINA_FUZZ_IO_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iobus.h"
#include "types.h"
#include "vclock.h"

enum { FUZZ_READ = 0, FUZZ_WRITE = 1, FUZZ_CLOCK = 2, FUZZ_DEVICE = 3 };

struct fuzz_in {
	const uint8_t *p;
	size_t n;
};

struct fuzz_op {
	unsigned kind;
	unsigned size;  /* 1, 2 or 4 */
	unsigned arg;   /* 0-15 */
	uint16_t port;  /* READ/WRITE */
	uint32_t val;   /* WRITE: the value; DEVICE: the byte b */
	uint64_t delta; /* CLOCK: nanoseconds */
};

/* The fake monitor clock (tests/fuzz/fuzz_support.c). */
extern uint64_t fuzz_now_ns;

static inline uint32_t fuzz_take(struct fuzz_in *in, unsigned bytes)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < bytes; i++) {
		if (in->n) {
			v |= (uint32_t)in->p[0] << (8 * i);
			in->p++;
			in->n--;
		}
	}
	return v;
}

/* Decode the next operation; false at the end of the input. */
static inline int fuzz_next_op(struct fuzz_in *in, const uint16_t *ports, unsigned nports,
			       struct fuzz_op *op)
{
	static const unsigned sizes[4] = { 1, 2, 4, 1 };
	uint8_t b;

	if (!in->n)
		return 0;
	b = (uint8_t)fuzz_take(in, 1);
	op->kind = b & 3;
	op->size = sizes[(b >> 2) & 3];
	op->arg = b >> 4;
	op->port = 0;
	op->val = 0;
	op->delta = 0;
	switch (op->kind) {
	case FUZZ_READ:
		op->port = nports ? ports[fuzz_take(in, 1) % nports] : 0;
		break;
	case FUZZ_WRITE:
		op->port = nports ? ports[fuzz_take(in, 1) % nports] : 0;
		op->val = fuzz_take(in, op->size);
		break;
	case FUZZ_CLOCK:
		op->delta = (uint64_t)fuzz_take(in, 2) << (3 * op->arg);
		break;
	default:
		op->val = fuzz_take(in, 1);
		break;
	}
	return 1;
}

/* Invariant check: report and abort, which libFuzzer records as a crash. */
#define FUZZ_CHECK(cond)                                                                      \
	do {                                                                                  \
		if (!(cond)) {                                                                \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__,  \
				#cond);                                                       \
			abort();                                                              \
		}                                                                             \
	} while (0)

/* Page-aligned buffer of exactly size bytes (a multiple of 4096), so
 * AddressSanitizer's redzones guard both ends; zero-filled. */
void *fuzz_alloc_pages(size_t size);
/* Reset the bus, the timers and the clock before an input (harnesses
 * that use them link core/iobus.c and core/vtimer.c). */
static inline void fuzz_reset(void)
{
	io_reset();
	vtimer_reset_all();
	fuzz_now_ns = 1000000000ull;
}

/* Move the clock on by delta ns and fire the expired timers. */
static inline void fuzz_advance(uint64_t delta)
{
	fuzz_now_ns += delta;
	vtimer_run_expired(fuzz_now_ns);
	/* Every timer due by now has fired, and none re-armed in the past. */
	FUZZ_CHECK(vtimer_next_deadline() > fuzz_now_ns);
}

/* Ask the owner of the port to explain the access (the live trace's
 * struct io_ops explain) into a buffer of 1-91 bytes chosen by arg, and
 * check it stays inside it, NUL-terminated (the live trace passes 80). */
static inline void fuzz_explain(const struct fuzz_op *op, bool in, uint32_t val)
{
	char buf[128];
	unsigned len = 1 + 6 * op->arg;
	int n;

	memset(buf, 0x5a, sizeof(buf));
	n = io_explain(op->port, op->size, in, val, buf, len);
	FUZZ_CHECK(n >= 0); /* like snprintf: may exceed len when cut short */
	FUZZ_CHECK(memchr(buf, 0, len) != NULL);
	for (unsigned i = len; i < sizeof(buf); i++)
		FUZZ_CHECK(buf[i] == 0x5a);
}

/* Run one READ, WRITE or CLOCK operation; DEVICE is the caller's. */
static inline void fuzz_do_io(const struct fuzz_op *op)
{
	if (op->kind == FUZZ_READ) {
		uint32_t v = io_read(op->port, op->size);

		FUZZ_CHECK(op->size == 4 || v < (1u << (8 * op->size)));
		fuzz_explain(op, true, v);
	} else if (op->kind == FUZZ_WRITE) {
		io_write(op->port, op->size, op->val);
		fuzz_explain(op, false, op->val);
	} else if (op->kind == FUZZ_CLOCK) {
		fuzz_advance(op->delta);
	}
}

#endif
