/*
 * Fuzzes the 8254 PIT (devices/vatpit.c) through ports 40h-43h and 61h,
 * with the fake clock moving between accesses so the counters, OUT0's
 * timer and IRQ0 run.  No DEVICE ops.
 * Invariants: each counter's mode is 0-5, a loaded count is 1-65536, and
 * after the clock moves no timer is left due (fuzz_advance).
 */
#include "fuzz_io.h"
#include "vatpit.h"

static const uint16_t ports[] = { 0x40, 0x41, 0x42, 0x43, 0x61 };

static unsigned irq_edges;
static int irq_level;

static void irq_set_rec(void *opaque, unsigned irq, int level)
{
	(void)opaque;
	FUZZ_CHECK(irq == 0);
	if (level && !irq_level)
		irq_edges++;
	irq_level = level;
}

static struct vatpit pit;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct irq_line line = { irq_set_rec, NULL, 0 };
	struct fuzz_op op;

	fuzz_reset();
	irq_edges = 0;
	irq_level = 0;
	vatpit_init(&pit, &line);
	FUZZ_CHECK(vatpit_attach(&pit) == 0);
	while (fuzz_next_op(&in, ports, ARRAY_SIZE(ports), &op)) {
		fuzz_do_io(&op);
		for (unsigned i = 0; i < 3; i++) {
			const struct vatpit_counter *c = &pit.ctr[i];

			FUZZ_CHECK(c->mode <= 5);
			FUZZ_CHECK(!c->loaded || (c->n >= 1 && c->n <= 65536));
		}
	}
	vtimer_reset_all();
	return 0;
}
