/*
 * Fuzzes the PIIX3 reset control register (devices/piix3_rcr.c) at CF9h.
 * Invariants: only bits 1-2 read back, and the reset callback runs only
 * on a 0 -> 1 edge of RST_CPU.
 */
#include "fuzz_io.h"
#include "piix3_rcr.h"

static const uint16_t ports[] = { RCR_PORT };

static struct piix3_rcr rcr;
static unsigned resets;

static void reset_cb(void *opaque, bool hard)
{
	(void)opaque;
	(void)hard;
	resets++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct fuzz_op op;

	fuzz_reset();
	rcr = (struct piix3_rcr){ .reset = reset_cb };
	resets = 0;
	FUZZ_CHECK(piix3_rcr_attach(&rcr) == 0);
	while (fuzz_next_op(&in, ports, ARRAY_SIZE(ports), &op)) {
		bool armed = rcr.value & RCR_RST_CPU;
		unsigned before = resets;

		fuzz_do_io(&op);
		FUZZ_CHECK((rcr.value & ~(RCR_SYS_RST | RCR_RST_CPU)) == 0);
		if (op.kind == FUZZ_WRITE)
			FUZZ_CHECK(resets == before + (!armed && (op.val & RCR_RST_CPU)));
		else
			FUZZ_CHECK(resets == before);
	}
	return 0;
}
