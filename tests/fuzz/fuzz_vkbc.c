/*
 * Fuzzes the i8042 keyboard controller and port 92h (devices/vkbc.c)
 * through ports 60h, 64h and 92h: controller commands, their data bytes,
 * keyboard commands, RAM reads/writes, output port, A20 and reset.
 * No DEVICE ops.
 * Invariants: the output queue's head and count stay inside it, IRQ1 and
 * IRQ12 are the only lines driven, and the A20 callback reports only
 * changes.
 */
#include "fuzz_io.h"
#include "vkbc.h"

static const uint16_t ports[] = { 0x60, 0x64, 0x92 };

static struct vkbc kbc;
static bool a20;
static unsigned resets;

static void irq_set_rec(void *opaque, unsigned irq, int level)
{
	(void)opaque;
	(void)level;
	FUZZ_CHECK(irq == VKBC_IRQ_KBD || irq == VKBC_IRQ_AUX);
}

static void reset_cb(void *opaque)
{
	(void)opaque;
	resets++;
}

static void a20_cb(void *opaque, bool enabled)
{
	(void)opaque;
	a20 = enabled;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct irq_line kbd = { irq_set_rec, NULL, VKBC_IRQ_KBD };
	struct irq_line aux = { irq_set_rec, NULL, VKBC_IRQ_AUX };
	struct fuzz_op op;

	fuzz_reset();
	vkbc_init(&kbc, &kbd, &aux, reset_cb, a20_cb, NULL);
	a20 = kbc.a20_enabled;
	FUZZ_CHECK(vkbc_attach(&kbc) == 0);
	while (fuzz_next_op(&in, ports, ARRAY_SIZE(ports), &op)) {
		fuzz_do_io(&op);
		FUZZ_CHECK(kbc.out_head < VKBC_QUEUE_SIZE);
		FUZZ_CHECK(kbc.out_count <= VKBC_QUEUE_SIZE);
		FUZZ_CHECK(a20 == kbc.a20_enabled);
	}
	return 0;
}
