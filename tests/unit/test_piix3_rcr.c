/* PIIX3 Reset Control Register: SeaBIOS's reboot sequence resets once. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "iobus.h"
#include "piix3_rcr.h"

static int resets;
static bool last_hard;

static void on_reset(void *opaque, bool hard)
{
	(void)opaque;
	resets++;
	last_hard = hard;
}

static void test_seabios_reboot_sequence(void **state)
{
	struct piix3_rcr r = { .reset = on_reset };

	(void)state;
	resets = 0;
	io_reset();
	assert_int_equal(piix3_rcr_attach(&r), 0);
	io_write(RCR_PORT, 1, 0x02);
	assert_int_equal(resets, 0);
	assert_int_equal(io_read(RCR_PORT, 1), 0x02);
	io_write(RCR_PORT, 1, 0x06);
	assert_int_equal(resets, 1);
	assert_true(last_hard);
	assert_int_equal(io_read(RCR_PORT, 1), 0x02);
}

static void test_reset_needs_a_rising_edge(void **state)
{
	struct piix3_rcr r = { .reset = on_reset };

	(void)state;
	resets = 0;
	piix3_rcr_write(&r, RCR_PORT, 1, 0x04);
	piix3_rcr_write(&r, RCR_PORT, 1, 0x04);
	assert_int_equal(resets, 2); /* bit 2 never stays set, so each write is an edge */
	assert_false(last_hard);
	piix3_rcr_write(&r, RCR_PORT, 1, 0xf9); /* reserved bits: ignored */
	assert_int_equal(resets, 2);
	assert_int_equal(piix3_rcr_read(&r, RCR_PORT, 1), 0x00);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seabios_reboot_sequence),
		cmocka_unit_test(test_reset_needs_a_rising_edge),
	};

	return cmocka_run_group_tests_name("piix3_rcr", tests, NULL, NULL);
}
