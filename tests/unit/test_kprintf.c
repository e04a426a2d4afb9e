/*
 * kvsnprintf/ksnprintf, the monitor's formatter, checked against the host
 * C library's snprintf (C11 7.21.6.1) for every conversion it documents —
 * %d %i %u %x %X %p %s %c %% with '-', '0', '#', widths and the l, ll, z,
 * h, hh modifiers — including negative numbers, INT64_MIN, 0 with %#x and
 * zero padding wider than any number; plus what C leaves open and lamina
 * pins down: NULL %s, an unknown conversion, a lone '%' at the end.  And
 * truncation: always NUL-terminated within size, returning the full length.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "kprintf.h"

/* Format with both and require the same text and the same return value. */
#define SAME(fmt, ...)                                                          \
	do {                                                                    \
		char want_[256], got_[256];                                     \
		int wn_ = snprintf(want_, sizeof(want_), fmt, __VA_ARGS__);     \
		int gn_ = ksnprintf(got_, sizeof(got_), fmt, __VA_ARGS__);      \
		assert_string_equal(got_, want_);                               \
		assert_int_equal(gn_, wn_);                                     \
	} while (0)

/* kvsnprintf without the compiler's format checking, for formats C calls
 * undefined. */
static int kfmt(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void test_signed_decimal(void **state)
{
	(void)state;
	SAME("%d", 0);
	SAME("%d", 42);
	SAME("%d", -42);
	SAME("%i", -7);
	SAME("[%d|%i]", INT_MAX, INT_MIN);
	SAME("%ld", -1234567890123L);
	SAME("%lld", (long long)INT64_MIN);
	SAME("%lld", (long long)INT64_MAX);
	SAME("%zd", (ptrdiff_t)-5);
}

static void test_unsigned_and_hex(void **state)
{
	(void)state;
	SAME("%u", 0u);
	SAME("%u", UINT_MAX);
	SAME("%x", 0xdeadbeefu);
	SAME("%X", 0xdeadbeefu);
	SAME("%x", 0u);
	SAME("%u", -1);
	SAME("%x", -1);
	SAME("%lu", ULONG_MAX);
	SAME("%llx", 0x0123456789abcdefull);
	SAME("%llX", 0xfedcba9876543210ull);
	SAME("%zu", SIZE_MAX);
	SAME("%zx", (size_t)0x1000);
}

static void test_alternate_form(void **state)
{
	(void)state;
	SAME("%#x", 0x1fu);
	SAME("%#X", 0x1fu);
	SAME("%#x", 0u); /* no prefix on zero */
	SAME("%#llx", 0xffffffff00000000ull);
	SAME("%#10x", 0xabcu);
	SAME("%#010x", 0xabcu);
	SAME("%-#10x|", 0xabcu);
}

static void test_width_and_flags(void **state)
{
	(void)state;
	SAME("[%5d]", 42);
	SAME("[%-5d]", 42);
	SAME("[%05d]", 42);
	SAME("[%05d]", -42);
	SAME("[%2d]", 12345);
	SAME("[%08x]", 0xbeefu);
	SAME("[%016llx]", 0x1234ull);
	SAME("[%-8X]", 0xbeefu);
	SAME("[%10u]", 4000000000u);
	SAME("[%020lld]", (long long)INT64_MIN);
	SAME("[%1d]", 0);
}

/* C ignores '0' with '-' (7.21.6.1p6); GCC refuses to compile it with
 * snprintf, so the expected text is spelled out. */
static void test_minus_overrides_zero(void **state)
{
	char buf[32];

	(void)state;
	assert_int_equal(kfmt(buf, sizeof(buf), "[%-05d]", -42), 7);
	assert_string_equal(buf, "[-42  ]");
	assert_int_equal(kfmt(buf, sizeof(buf), "[%0-6x]", 0xabu), 8);
	assert_string_equal(buf, "[ab    ]");
}

static void test_wide_zero_padding(void **state)
{
	(void)state;
	SAME("[%064x]", 0x1234u);
	SAME("[%080lld]", (long long)INT64_MIN);
	SAME("[%#0100llx]", 0xabcdefull);
	SAME("[%0200u]", 7u);
	SAME("[%150d]", -3);
}

static void test_short_modifiers_convert_the_argument(void **state)
{
	(void)state;
	SAME("%hd", 1234);
	SAME("%hd", 70000);  /* converted to short: 4464 */
	SAME("%hd", 40000);  /* negative as a short */
	SAME("%hu", -1);
	SAME("%hx", 0x12345678);
	SAME("%hhd", 200);   /* -56 as a signed char */
	SAME("%hhu", 300);
	SAME("%hhx", -1);    /* an int8_t of -1 prints as ff */
	SAME("%02hhX", 0xabcd);
	SAME("%hi", -32768);
}

static void test_pointer(void **state)
{
	(void)state;
	SAME("%p", (void *)0x1000);
	SAME("%p", (void *)(uintptr_t)0xffff800000001234ull);
	SAME("[%20p]", (void *)0xbeef);
	SAME("[%-20p]", (void *)0xbeef);
}

static void test_strings_and_chars(void **state)
{
	(void)state;
	SAME("%s", "hello");
	SAME("%s", "");
	SAME("[%8s]", "abc");
	SAME("[%-8s]", "abc");
	SAME("[%2s]", "abcdef");
	SAME("%c", 'A');
	SAME("[%3c]", 'x');
	SAME("[%-3c]", 'x');
	SAME("%c%c%c", 'a', 'b', 'c');
	SAME("%s=%d %s", "mem", 64, "MiB");
}

static void test_percent(void **state)
{
	(void)state;
	SAME("100%% of %d", 5);
	SAME("%%%d%%", 7);
	SAME("%%s%s", "x");
}

static void test_null_string_prints_null(void **state)
{
	const char *volatile none = NULL;
	char buf[32];

	(void)state;
	assert_int_equal(ksnprintf(buf, sizeof(buf), "%s", none), 6);
	assert_string_equal(buf, "(null)");
	assert_int_equal(ksnprintf(buf, sizeof(buf), "[%8s]", none), 10);
	assert_string_equal(buf, "[  (null)]");
}

static void test_unknown_conversion_printed_verbatim(void **state)
{
	char buf[32];

	(void)state;
	assert_int_equal(kfmt(buf, sizeof(buf), "a%qb"), 4);
	assert_string_equal(buf, "a%qb");
}

static void test_lone_percent_at_end_is_dropped(void **state)
{
	char buf[32];

	(void)state;
	assert_int_equal(kfmt(buf, sizeof(buf), "abc%"), 3);
	assert_string_equal(buf, "abc");
	assert_int_equal(kfmt(buf, sizeof(buf), "abc%-08"), 3);
	assert_string_equal(buf, "abc");
}

static void test_truncation_terminates_and_returns_full_length(void **state)
{
	char buf[16];

	(void)state;
	memset(buf, '#', sizeof(buf));
	assert_int_equal(ksnprintf(buf, 5, "%d", 1234567), 7);
	assert_string_equal(buf, "1234");
	assert_int_equal(buf[5], '#'); /* nothing written past size */

	memset(buf, '#', sizeof(buf));
	assert_int_equal(ksnprintf(buf, 8, "[%-10s]", "ab"), 12);
	assert_string_equal(buf, "[ab    ");
	assert_int_equal(buf[8], '#');

	/* exactly fitting: the NUL takes the last byte */
	assert_int_equal(ksnprintf(buf, 4, "%x", 0xabcu), 3);
	assert_string_equal(buf, "abc");
	assert_int_equal(ksnprintf(buf, 3, "%x", 0xabcu), 3);
	assert_string_equal(buf, "ab");
}

static void test_truncation_matches_host(void **state)
{
	char want[64], got[64];

	(void)state;
	for (size_t size = 1; size <= 24; size++) {
		int wn = snprintf(want, size, "%s:%#010x:%-4d|", "port", 0x3f8u, -9);
		int gn = ksnprintf(got, size, "%s:%#010x:%-4d|", "port", 0x3f8u, -9);

		assert_int_equal(gn, wn);
		assert_string_equal(got, want);
	}
}

static void test_size_zero_writes_nothing(void **state)
{
	char buf[4] = { 'x', 'y', 'z', 'w' };

	(void)state;
	assert_int_equal(ksnprintf(buf, 0, "%d-%s", 12345, "abc"), 9);
	assert_memory_equal(buf, "xyzw", 4);
	assert_int_equal(ksnprintf(NULL, 0, "%llu", 18446744073709551615ull), 20);
}

static void test_size_one_gives_empty_string(void **state)
{
	char buf[2] = { 'x', 'y' };

	(void)state;
	assert_int_equal(ksnprintf(buf, 1, "hello"), 5);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(buf[1], 'y');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signed_decimal),
		cmocka_unit_test(test_unsigned_and_hex),
		cmocka_unit_test(test_alternate_form),
		cmocka_unit_test(test_width_and_flags),
		cmocka_unit_test(test_minus_overrides_zero),
		cmocka_unit_test(test_wide_zero_padding),
		cmocka_unit_test(test_short_modifiers_convert_the_argument),
		cmocka_unit_test(test_pointer),
		cmocka_unit_test(test_strings_and_chars),
		cmocka_unit_test(test_percent),
		cmocka_unit_test(test_null_string_prints_null),
		cmocka_unit_test(test_unknown_conversion_printed_verbatim),
		cmocka_unit_test(test_lone_percent_at_end_is_dropped),
		cmocka_unit_test(test_truncation_terminates_and_returns_full_length),
		cmocka_unit_test(test_truncation_matches_host),
		cmocka_unit_test(test_size_zero_writes_nothing),
		cmocka_unit_test(test_size_one_gives_empty_string),
	};

	return cmocka_run_group_tests_name("kprintf", tests, NULL, NULL);
}
