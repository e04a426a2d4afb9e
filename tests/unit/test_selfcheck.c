/* Monitor integrity check (core/selfcheck.c): the CRC-32 itself, and that
 * a changed byte in either range or a stack canary is reported loudly. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "selfcheck.h"

static void test_crc32_check_values(void **state)
{
	(void)state;
	assert_int_equal(crc32_update(0, "123456789", 9), 0xcbf43926u); /* the standard check */
	assert_int_equal(crc32_update(0, "", 0), 0);
	assert_int_equal(crc32_update(0, "a", 1), 0xe8b7be43u);
	/* continuing a CRC over two pieces equals one pass */
	assert_int_equal(crc32_update(crc32_update(0, "12345", 5), "6789", 4), 0xcbf43926u);
}

static uint8_t text[4096], rodata[512];
static uint64_t canary[SELFCHECK_CANARY_WORDS];

static void test_intact_then_changed(void **state)
{
	(void)state;
	for (unsigned i = 0; i < sizeof(text); i++)
		text[i] = (uint8_t)(i * 7);
	memset(rodata, 0x5a, sizeof(rodata));
	selfcheck_init(text, text + sizeof(text), rodata, rodata + sizeof(rodata), canary);
	assert_true(selfcheck_verify("test"));
	assert_true(selfcheck_verify("test again"));
	text[4095] ^= 1; /* one bit at the very end of .text */
	assert_false(selfcheck_verify("text"));
	text[4095] ^= 1;
	assert_true(selfcheck_verify("restored"));
	rodata[0]++;
	assert_false(selfcheck_verify("rodata"));
	rodata[0]--;
	canary[SELFCHECK_CANARY_WORDS - 1] = 0;
	assert_false(selfcheck_verify("canary"));
}

static void test_no_canary(void **state)
{
	(void)state;
	selfcheck_init(text, text + sizeof(text), rodata, rodata + sizeof(rodata), NULL);
	assert_true(selfcheck_verify("no canary"));
	text[0]++;
	assert_false(selfcheck_verify("no canary, text changed"));
	text[0]--;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc32_check_values),
		cmocka_unit_test(test_intact_then_changed),
		cmocka_unit_test(test_no_canary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
