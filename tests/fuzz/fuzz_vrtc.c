/*
 * Fuzzes the MC146818 RTC/CMOS (devices/vrtc.c) through ports 70h/71h,
 * with the clock moving (update cycles, periodic and alarm interrupts,
 * divider resets).  The host time at power-on comes from the first 4
 * input bytes (signed seconds).  DEVICE ops: arg 1 vrtc_set_memory(b MiB
 * << 4), arg 2 vrtc_set_floppy(b), arg 3 vrtc_set_boot_order(b nibbles).
 * Invariants: the CMOS checksum bytes (2Eh/2Fh) match 10h-2Dh after the
 * setters; no timer is left due after the clock moves (fuzz_advance).
 */
#include "fuzz_io.h"
#include "vrtc.h"

static const uint16_t ports[] = { 0x70, 0x71 };

static struct vrtc rtc;
static int64_t host_secs;
static int irq_level;

static int64_t host_time(void *opaque)
{
	return *(int64_t *)opaque;
}

static void irq_set_rec(void *opaque, unsigned irq, int level)
{
	(void)opaque;
	FUZZ_CHECK(irq == VRTC_IRQ);
	irq_level = level;
}

static void check_checksum(void)
{
	uint16_t sum = 0;

	for (unsigned i = 0x10; i <= 0x2d; i++)
		sum = (uint16_t)(sum + rtc.cmos[i]);
	FUZZ_CHECK(rtc.cmos[0x2e] == (uint8_t)(sum >> 8) && rtc.cmos[0x2f] == (uint8_t)sum);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct irq_line line = { irq_set_rec, NULL, VRTC_IRQ };
	struct fuzz_op op;

	fuzz_reset();
	irq_level = 0;
	host_secs = (int32_t)fuzz_take(&in, 4);
	vrtc_init(&rtc, &line, host_time, &host_secs);
	FUZZ_CHECK(vrtc_attach(&rtc) == 0);
	while (fuzz_next_op(&in, ports, ARRAY_SIZE(ports), &op)) {
		if (op.kind != FUZZ_DEVICE) {
			fuzz_do_io(&op);
			continue;
		}
		switch (op.arg) {
		case 1:
			vrtc_set_memory(&rtc, (uint64_t)op.val << 24);
			check_checksum();
			break;
		case 2:
			vrtc_set_floppy(&rtc, (uint8_t)op.val);
			check_checksum();
			break;
		case 3:
			vrtc_set_boot_order(&rtc, op.val & 3, (op.val >> 2) & 3, (op.val >> 4) & 3);
			break;
		default:
			(void)vrtc_nmi_masked(&rtc);
			break;
		}
	}
	vtimer_reset_all();
	return 0;
}
