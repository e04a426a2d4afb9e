/*
 * lamina's command-line parser: defaults, every option's accepted values
 * (mem= sizes with K/M/G suffixes or hex, console= names and ports, boot=,
 * guest.mode=), and everything it must refuse with a sentence that names
 * the offending text: sizes out of range or not whole MiB, garbage and
 * overflowing numbers, unknown options, options without a value, words
 * too long to hold.  Also blanks (spaces, tabs) and empty command lines.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "options.h"
#include "vmm.h"

static struct lamina_options opts;
static char err[160];

static int parse(const char *cmdline)
{
	memset(err, 0, sizeof(err));
	return options_parse(cmdline, &opts, err, sizeof(err));
}

/* Parse cmdline, expect it refused with an error containing want. */
static void assert_refused(const char *cmdline, const char *want)
{
	assert_int_equal(parse(cmdline), -1);
	if (!strstr(err, want))
		fail_msg("'%s': error '%s' does not contain '%s'", cmdline, err, want);
}

static uint64_t mem_of(const char *cmdline)
{
	assert_int_equal(parse(cmdline), 0);
	return opts.mem_bytes;
}

static void test_defaults(void **state)
{
	struct lamina_options o;

	(void)state;
	memset(&o, 0xa5, sizeof(o));
	options_defaults(&o);
	assert_int_equal(o.mem_bytes, MiB(64));
	assert_int_equal(o.console_port, 0); /* the BIOS data area's COM1 */
	assert_false(o.console_vga);
	assert_int_equal(o.boot, BOOT_AUTO);
	assert_int_equal(o.guest_mode, GUEST_MODE_REAL);
}

static void test_empty_or_blank_command_line_gives_defaults(void **state)
{
	static const char *const blank[] = { "", " ", "\t", "  \t  " };

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(blank); i++) {
		memset(&opts, 0xa5, sizeof(opts));
		assert_int_equal(parse(blank[i]), 0);
		assert_int_equal(opts.mem_bytes, OPT_MEM_DEFAULT);
		assert_int_equal(opts.console_port, 0);
		assert_false(opts.console_vga);
		assert_int_equal(opts.boot, BOOT_AUTO);
		assert_int_equal(opts.guest_mode, GUEST_MODE_REAL);
	}
}

static void test_trace(void **state)
{
	(void)state;
	assert_int_equal(parse(""), 0);
	assert_int_equal(opts.trace.mode, TRACE_OFF);
	assert_int_equal(parse("trace=dump trace.reason=io,msr trace.port=0x40-0x43 trace.first=100 "
			       "trace.every=3"), 0);
	assert_int_equal(opts.trace.mode, TRACE_DUMP);
	assert_int_equal(opts.trace.reasons, BIT(EXIT_IO) | BIT(EXIT_RDMSR) | BIT(EXIT_WRMSR));
	assert_true(opts.trace.port_filter);
	assert_int_equal(opts.trace.port_lo, 0x40);
	assert_int_equal(opts.trace.port_hi, 0x43);
	assert_int_equal(opts.trace.first, 100);
	assert_int_equal(opts.trace.every, 3);
	assert_int_equal(parse("trace.port=0x3f8"), 0);
	assert_int_equal(opts.trace.port_lo, 0x3f8);
	assert_int_equal(opts.trace.port_hi, 0x3f8);
	assert_refused("trace=on", "trace=on: give off, summary, live or dump");
	assert_refused("trace.reason=io,bogus", "'bogus' is not an exit reason");
	assert_refused("trace.reason=", "'' is not an exit reason");
	assert_refused("trace.port=0x43-0x40", "trace.port=0x43-0x40: give a port or a range");
	assert_refused("trace.port=0x10000", "give a port or a range");
	assert_refused("trace.first=x", "trace.first=x: give a number");
	assert_refused("trace.every=99999999999", "trace.every=99999999999: give a number");
}

static void test_floppy_path(void **state)
{
	(void)state;
	assert_int_equal(parse("floppy=fdc"), 0);
	assert_true(opts.floppy_fdc);
	assert_int_equal(parse("floppy=fwcfg"), 0);
	assert_false(opts.floppy_fdc);
	assert_refused("floppy=usb", "floppy=usb: give fdc or fwcfg");
}

static void test_watchdog(void **state)
{
	struct lamina_options o;
	char err[160];

	(void)state;
	assert_int_equal(options_parse("watchdog=5", &o, err, sizeof(err)), 0);
	assert_int_equal(o.watchdog_s, 5);
	assert_int_equal(options_parse("", &o, err, sizeof(err)), 0);
	assert_int_equal(o.watchdog_s, 0);
	assert_refused("watchdog=86401", "watchdog=86401: give whole seconds");
	assert_refused("watchdog=2s", "watchdog=2s: give whole seconds");
}

static void test_boot_order(void **state)
{
	(void)state;
	assert_int_equal(parse(""), 0);
	assert_string_equal(opts.boot_order, "");
	assert_int_equal(parse("boot.order=c"), 0);
	assert_string_equal(opts.boot_order, "c");
	assert_int_equal(parse("boot.order=dca"), 0);
	assert_string_equal(opts.boot_order, "dca");
	assert_refused("boot.order=cc", "boot.order=cc: give up to three of a (floppy), c (disk), d (CD), each once");
	assert_refused("boot.order=n", "boot.order=n: give up to three");
	assert_refused("boot.order=acdc", "boot.order=acdc: give up to three");
}

static void test_mem_sizes(void **state)
{
	(void)state;
	assert_int_equal(mem_of("mem=64M"), MiB(64));
	assert_int_equal(mem_of("mem=64m"), MiB(64));
	assert_int_equal(mem_of("mem=1G"), GiB(1));
	assert_int_equal(mem_of("mem=3g"), GiB(3));
	assert_int_equal(mem_of("mem=2048K"), MiB(2));
	assert_int_equal(mem_of("mem=0x4000000"), MiB(64));
	assert_int_equal(mem_of("mem=0X4000000"), MiB(64));
	assert_int_equal(mem_of("mem=0x40M"), MiB(64));
	assert_int_equal(mem_of("mem=16777216"), MiB(16));
}

static void test_mem_out_of_range(void **state)
{
	(void)state;
	assert_refused("mem=1M", "mem=1M is out of range");
	assert_refused("mem=4G", "mem=4G is out of range");
	assert_refused("mem=3073M", "mem=3073M is out of range");
	assert_refused("mem=3073K", "mem=3073K is out of range"); /* 3M + 1K: not whole MiB */
	assert_refused("mem=0", "mem=0 is out of range");
	assert_refused("mem=0K", "mem=0K is out of range");
	assert_refused("mem=17179869183G", "mem=17179869183G is out of range"); /* 2^64 - 1 GiB */
}

static void test_mem_garbage(void **state)
{
	(void)state;
	assert_refused("mem=abc", "mem=abc is not a size");
	assert_refused("mem=", "mem= is not a size");
	assert_refused("mem=M", "mem=M is not a size");
	assert_refused("mem=0x", "mem=0x is not a size");
	assert_refused("mem=0xM", "mem=0xM is not a size");
	assert_refused("mem=64MB", "mem=64MB is not a size");
	assert_refused("mem=6 4M", "mem=6 is out of range"); /* words split at blanks */
	assert_refused("mem=-64M", "mem=-64M is not a size");
	assert_refused("mem=64T", "mem=64T is not a size");
	assert_refused("mem=0x4g000000", "mem=0x4g000000 is not a size");
}

static void test_mem_overflow(void **state)
{
	(void)state;
	assert_refused("mem=99999999999999999999G", "mem=99999999999999999999G is not a size");
	assert_refused("mem=18446744073709551616", "mem=18446744073709551616 is not a size");
	assert_refused("mem=0x10000000000000000", "mem=0x10000000000000000 is not a size");
	assert_refused("mem=17179869184G", "mem=17179869184G is not a size"); /* 2^64 bytes */
	assert_refused("mem=123456789012345678901234567890123M", "is not a size");
}

static void test_mem_last_one_wins(void **state)
{
	(void)state;
	assert_int_equal(mem_of("mem=128M mem=256M"), MiB(256));
}

static void test_console(void **state)
{
	(void)state;
	assert_int_equal(parse("console=com1"), 0);
	assert_int_equal(opts.console_port, 0x3f8);
	assert_int_equal(parse("console=com2"), 0);
	assert_int_equal(opts.console_port, 0x2f8);
	assert_int_equal(parse("console=0x2e8"), 0);
	assert_int_equal(opts.console_port, 0x2e8);
	assert_int_equal(parse("console=1016"), 0);
	assert_int_equal(opts.console_port, 0x3f8);
	assert_int_equal(parse("console=0xfff8"), 0);
	assert_int_equal(opts.console_port, 0xfff8);
	assert_false(opts.console_vga);
	assert_int_equal(parse("console=vga"), 0);
	assert_true(opts.console_vga);
}

static void test_console_bad(void **state)
{
	(void)state;
	assert_refused("console=com3", "console=com3: give com1, com2");
	assert_refused("console=COM1", "console=COM1:");
	assert_refused("console=", "console=:");
	assert_refused("console=0", "console=0:");
	assert_refused("console=0xfff9", "console=0xfff9:");
	assert_refused("console=0x10000", "console=0x10000:");
	assert_refused("console=ttyS0", "console=ttyS0:");
}

static void test_boot(void **state)
{
	(void)state;
	assert_int_equal(parse("boot=none"), 0);
	assert_int_equal(opts.boot, BOOT_NONE);
	assert_int_equal(parse("boot=flat"), 0);
	assert_int_equal(opts.boot, BOOT_FLAT);
	assert_int_equal(parse("boot=bios"), 0);
	assert_int_equal(opts.boot, BOOT_BIOS);
	assert_int_equal(parse("boot=linux"), 0);
	assert_int_equal(opts.boot, BOOT_LINUX);
	assert_refused("boot=dos", "boot=dos: give none, flat, bios, linux or multiboot");
	assert_refused("boot=", "boot=: give none");
	assert_refused("boot=BIOS", "boot=BIOS:");
}

static void test_boot_kind_names(void **state)
{
	(void)state;
	assert_string_equal(boot_kind_name(BOOT_AUTO), "auto");
	assert_string_equal(boot_kind_name(BOOT_NONE), "none");
	assert_string_equal(boot_kind_name(BOOT_FLAT), "flat");
	assert_string_equal(boot_kind_name(BOOT_BIOS), "bios");
	assert_string_equal(boot_kind_name(BOOT_LINUX), "linux");
}

static void test_guest_mode(void **state)
{
	(void)state;
	assert_int_equal(parse("guest.mode=prot"), 0);
	assert_int_equal(opts.guest_mode, GUEST_MODE_PROT);
	assert_int_equal(parse("guest.mode=real"), 0);
	assert_int_equal(opts.guest_mode, GUEST_MODE_REAL);
	assert_refused("guest.mode=long", "guest.mode=long: give real or prot");
	assert_refused("guest.mode=", "guest.mode=: give real");
}

static void test_all_options_together(void **state)
{
	(void)state;
	assert_int_equal(parse("mem=1G console=com2 boot=flat guest.mode=prot"), 0);
	assert_int_equal(opts.mem_bytes, GiB(1));
	assert_int_equal(opts.console_port, 0x2f8);
	assert_int_equal(opts.boot, BOOT_FLAT);
	assert_int_equal(opts.guest_mode, GUEST_MODE_PROT);
}

static void test_extra_spaces_and_tabs_between_words(void **state)
{
	(void)state;
	assert_int_equal(parse("  \tmem=128M \t\t boot=bios\t  "), 0);
	assert_int_equal(opts.mem_bytes, MiB(128));
	assert_int_equal(opts.boot, BOOT_BIOS);
}

static void test_unknown_option_named_in_error(void **state)
{
	(void)state;
	assert_refused("foo=1", "unknown option 'foo=1'");
	assert_refused("mem=64M foo=1", "unknown option 'foo=1'");
	assert_refused("memory=64M", "unknown option 'memory=64M'");
	assert_refused("me=64M", "unknown option 'me=64M'");
	assert_refused("=64M", "unknown option '=64M'");
	assert_refused("guest=1", "unknown option 'guest=1'");
	assert_refused("foo=1", "known: mem= console= boot= boot.order= guest.mode=");
}

static void test_option_without_value(void **state)
{
	(void)state;
	assert_refused("mem", "option 'mem' needs a value (mem=...)");
	assert_refused("boot=flat console", "option 'console' needs a value (console=...)");
	assert_refused("quiet", "unknown option 'quiet'");
}

static void test_earlier_error_stops_parsing(void **state)
{
	(void)state;
	assert_refused("boot=bad mem=1M", "boot=bad:");
}

static void test_over_long_word_rejected(void **state)
{
	char line[256];

	(void)state;
	memset(line, 'x', sizeof(line));
	memcpy(line, "mem=", 4);
	line[127] = '\0'; /* 127 characters: fits */
	assert_refused(line, "mem=xxx");
	assert_refused(line, "is not a size");
	line[127] = 'x';
	line[128] = '\0'; /* 128 characters: too long */
	assert_refused(line, "an option is longer than 127 characters");
	line[128] = ' ';
	memcpy(line + 129, "boot=bios", 10);
	assert_refused(line, "an option is longer than 127 characters");
}

static void test_error_truncated_to_buffer(void **state)
{
	char small[16];

	(void)state;
	memset(small, 'z', sizeof(small));
	assert_int_equal(options_parse("foo=1", &opts, small, sizeof(small)), -1);
	assert_string_equal(small, "unknown option ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_empty_or_blank_command_line_gives_defaults),
		cmocka_unit_test(test_mem_sizes),
		cmocka_unit_test(test_mem_out_of_range),
		cmocka_unit_test(test_mem_garbage),
		cmocka_unit_test(test_mem_overflow),
		cmocka_unit_test(test_mem_last_one_wins),
		cmocka_unit_test(test_console),
		cmocka_unit_test(test_console_bad),
		cmocka_unit_test(test_boot),
		cmocka_unit_test(test_boot_kind_names),
		cmocka_unit_test(test_guest_mode),
		cmocka_unit_test(test_all_options_together),
		cmocka_unit_test(test_extra_spaces_and_tabs_between_words),
		cmocka_unit_test(test_unknown_option_named_in_error),
		cmocka_unit_test(test_option_without_value),
		cmocka_unit_test(test_watchdog),
		cmocka_unit_test(test_boot_order),
		cmocka_unit_test(test_floppy_path),
		cmocka_unit_test(test_trace),
		cmocka_unit_test(test_earlier_error_stops_parsing),
		cmocka_unit_test(test_over_long_word_rejected),
		cmocka_unit_test(test_error_truncated_to_buffer),
	};

	return cmocka_run_group_tests_name("options", tests, NULL, NULL);
}
