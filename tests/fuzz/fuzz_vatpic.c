/*
 * Fuzzes the 8259A pair (devices/vatpic.c) through ports 20h/21h, A0h/A1h
 * and the ELCR 4D0h/4D1h.  DEVICE ops: b bits 3-0 an IRQ line, bit 4 its
 * level; arg 1: an INTA cycle instead.
 * Invariants: ELCR bits only where the chip has them, lowest priority IR
 * and init step in range, and the vector an INTA cycle returns is the one
 * vatpic_pending_vector() announced just before.
 */
#include "fuzz_io.h"
#include "vatpic.h"

static const uint16_t ports[] = { 0x20, 0x21, 0xa0, 0xa1, 0x4d0, 0x4d1 };

static void check(const struct vatpic *p)
{
	for (unsigned i = 0; i < 2; i++) {
		const struct vatpic_chip *c = &p->chip[i];

		FUZZ_CHECK((c->elcr & ~c->elcr_mask) == 0);
		FUZZ_CHECK(c->lowest < 8);
		FUZZ_CHECK(c->init_step <= 4);
	}
}

static struct vatpic pic;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct fuzz_op op;

	fuzz_reset();
	vatpic_init(&pic);
	FUZZ_CHECK(vatpic_attach(&pic) == 0);
	while (fuzz_next_op(&in, ports, ARRAY_SIZE(ports), &op)) {
		if (op.kind != FUZZ_DEVICE) {
			fuzz_do_io(&op);
		} else if (op.arg == 1) {
			int want = vatpic_pending_vector(&pic);
			int vec = vatpic_ack(&pic);

			FUZZ_CHECK(vec >= 0 && vec <= 0xff);
			FUZZ_CHECK(want < 0 || want == vec);
		} else {
			vatpic_set_irq(&pic, op.val & 15, (op.val >> 4) & 1);
		}
		check(&pic);
	}
	return 0;
}
