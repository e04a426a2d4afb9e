/*
 * The port I/O bus: registration (overlaps, zero length, ranges past port
 * 0xFFFF, a full table), dispatch with the value masked to the access
 * size, unclaimed ports (reads float high, writes vanish, one log line per
 * port, captured from stdout), io_owner and io_reset.
 */
#define _DEFAULT_SOURCE /* dup, dup2, fileno */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "iobus.h"

/* A device that answers every read with value and remembers accesses. */
struct fake_dev {
	uint32_t value;
	unsigned reads, writes;
	uint16_t port;
	unsigned size;
	uint32_t written;
};

static uint32_t fake_read(void *opaque, uint16_t port, unsigned size)
{
	struct fake_dev *d = opaque;

	d->reads++;
	d->port = port;
	d->size = size;
	return d->value;
}

static void fake_write(void *opaque, uint16_t port, unsigned size, uint32_t val)
{
	struct fake_dev *d = opaque;

	d->writes++;
	d->port = port;
	d->size = size;
	d->written = val;
}

static const struct io_ops fake_ops = { "fake", fake_read, fake_write, NULL };
static const struct io_ops uart_ops = { "uart", fake_read, fake_write, NULL };
static const struct io_ops write_only_ops = { "wo", NULL, fake_write, NULL };
static const struct io_ops read_only_ops = { "ro", fake_read, NULL, NULL };

static int reset(void **state)
{
	(void)state;
	io_reset();
	return 0;
}

/* stdout (where kprintf writes on the host) redirected to a file. */
struct capture {
	int saved_fd;
	FILE *file;
	char text[4096];
};

static void capture_begin(struct capture *c)
{
	fflush(stdout);
	c->file = tmpfile();
	assert_non_null(c->file);
	c->saved_fd = dup(STDOUT_FILENO);
	assert_true(c->saved_fd >= 0);
	assert_true(dup2(fileno(c->file), STDOUT_FILENO) >= 0);
}

/* Restore stdout; returns the number of lines written meanwhile. */
static unsigned capture_end(struct capture *c)
{
	size_t n;
	unsigned lines = 0;

	fflush(stdout);
	assert_true(dup2(c->saved_fd, STDOUT_FILENO) >= 0);
	close(c->saved_fd);
	rewind(c->file);
	n = fread(c->text, 1, sizeof(c->text) - 1, c->file);
	assert_true(n < sizeof(c->text) - 1); /* all of it was read */
	c->text[n] = '\0';
	fclose(c->file);
	for (size_t i = 0; i < n; i++)
		lines += c->text[i] == '\n';
	return lines;
}

static void test_dispatch_to_owner(void **state)
{
	struct fake_dev pic = { .value = 0x11 }, uart = { .value = 0x22 };

	(void)state;
	assert_int_equal(io_register(0x20, 2, &fake_ops, &pic), 0);
	assert_int_equal(io_register(0x3f8, 8, &uart_ops, &uart), 0);
	assert_int_equal(io_read(0x3fd, 1), 0x22);
	assert_int_equal(uart.port, 0x3fd);
	assert_int_equal(uart.size, 1);
	assert_int_equal(pic.reads, 0);
	io_write(0x21, 1, 0xfb);
	assert_int_equal(pic.writes, 1);
	assert_int_equal(pic.port, 0x21);
	assert_int_equal(pic.written, 0xfb);
	assert_int_equal(uart.writes, 0);
}

static void test_first_and_last_port_of_range(void **state)
{
	struct fake_dev d = { .value = 1 };
	struct capture c;

	(void)state;
	assert_int_equal(io_register(0x3f8, 8, &fake_ops, &d), 0);
	assert_int_equal(io_read(0x3f8, 1), 1);
	assert_int_equal(io_read(0x3ff, 1), 1);
	assert_int_equal(d.reads, 2);
	capture_begin(&c);
	assert_int_equal(io_read(0x3f7, 1), 0xff);
	assert_int_equal(io_read(0x400, 1), 0xff);
	assert_int_equal(capture_end(&c), 2);
	assert_int_equal(d.reads, 2);
}

static void test_overlapping_ranges_rejected(void **state)
{
	struct fake_dev a = { .value = 0xa }, b = { .value = 0xb };

	(void)state;
	assert_int_equal(io_register(0x40, 4, &fake_ops, &a), 0);      /* [0x40, 0x44) */
	assert_int_equal(io_register(0x43, 2, &fake_ops, &b), -1);     /* tail */
	assert_int_equal(io_register(0x3c, 5, &fake_ops, &b), -1);     /* head */
	assert_int_equal(io_register(0x41, 1, &fake_ops, &b), -1);     /* inside */
	assert_int_equal(io_register(0x30, 0x20, &fake_ops, &b), -1);  /* around */
	assert_int_equal(io_register(0x40, 4, &fake_ops, &b), -1);     /* the same */
	assert_int_equal(io_read(0x43, 1), 0xa); /* still a's */
	assert_int_equal(io_register(0x3c, 4, &fake_ops, &b), 0);      /* touching below */
	assert_int_equal(io_register(0x44, 4, &fake_ops, &b), 0);      /* touching above */
	assert_int_equal(io_read(0x3f, 1), 0xb);
	assert_int_equal(io_read(0x40, 1), 0xa);
	assert_int_equal(io_read(0x44, 1), 0xb);
}

static void test_zero_length_rejected(void **state)
{
	struct fake_dev d = { 0 };

	(void)state;
	assert_int_equal(io_register(0x80, 0, &fake_ops, &d), -1);
	assert_null(io_owner(0x80));
}

static void test_range_past_port_ffff_rejected(void **state)
{
	struct fake_dev d = { .value = 0x5a };

	(void)state;
	assert_int_equal(io_register(0xffff, 2, &fake_ops, &d), -1);
	assert_int_equal(io_register(0xff00, 0xffff, &fake_ops, &d), -1);
	assert_int_equal(io_register(0xfff0, 0x10, &fake_ops, &d), 0); /* ends at 0x10000 */
	assert_int_equal(io_read(0xffff, 1), 0x5a);
}

static void test_whole_port_space_can_be_claimed(void **state)
{
	struct fake_dev d = { .value = 0x77 };

	(void)state;
	assert_int_equal(io_register(0, 0xffff, &fake_ops, &d), 0);
	assert_int_equal(io_register(0xffff, 1, &uart_ops, &d), 0);
	assert_string_equal(io_owner(0), "fake");
	assert_string_equal(io_owner(0xfffe), "fake");
	assert_string_equal(io_owner(0xffff), "uart");
	assert_int_equal(io_register(0x1234, 1, &uart_ops, &d), -1);
}

static void test_full_table_rejected(void **state)
{
	struct fake_dev d = { .value = 0x33 };
	unsigned n = 0;

	(void)state;
	while (n < 1000 && io_register((uint16_t)(0x100 + 2 * n), 1, &fake_ops, &d) == 0)
		n++;
	assert_int_equal(n, 64); /* IOBUS_MAX_RANGES in core/iobus.c */
	assert_null(io_owner((uint16_t)(0x100 + 2 * n)));
	assert_int_equal(io_read((uint16_t)(0x100 + 2 * (n - 1)), 1), 0x33);
	assert_int_equal(io_read(0x100, 1), 0x33);
}

static void test_read_masked_to_access_size(void **state)
{
	struct fake_dev d = { .value = 0xffffffff };

	(void)state;
	assert_int_equal(io_register(0xcf8, 8, &fake_ops, &d), 0);
	assert_int_equal(io_read(0xcfc, 1), 0xff);
	assert_int_equal(io_read(0xcfc, 2), 0xffff);
	assert_int_equal(io_read(0xcfc, 4), 0xffffffff);
	d.value = 0x12345678;
	assert_int_equal(io_read(0xcfc, 1), 0x78);
	assert_int_equal(io_read(0xcfc, 2), 0x5678);
	assert_int_equal(io_read(0xcfc, 4), 0x12345678);
	assert_int_equal(d.size, 4);
}

static void test_write_masked_to_access_size(void **state)
{
	struct fake_dev d = { 0 };

	(void)state;
	assert_int_equal(io_register(0xcf8, 8, &fake_ops, &d), 0);
	io_write(0xcf8, 1, 0x12345678);
	assert_int_equal(d.written, 0x78);
	io_write(0xcf8, 2, 0x12345678);
	assert_int_equal(d.written, 0x5678);
	assert_int_equal(d.size, 2);
	io_write(0xcf8, 4, 0x12345678);
	assert_int_equal(d.written, 0x12345678);
}

static void test_unclaimed_reads_float_high(void **state)
{
	struct capture c;

	(void)state;
	capture_begin(&c);
	assert_int_equal(io_read(0x80, 1), 0xff);
	assert_int_equal(io_read(0x80, 2), 0xffff);
	assert_int_equal(io_read(0x80, 4), 0xffffffff);
	assert_int_equal(capture_end(&c), 4); /* 80h-83h, a byte cycle each */
}

static void test_unclaimed_writes_are_dropped(void **state)
{
	struct fake_dev d = { 0 };
	struct capture c;

	(void)state;
	assert_int_equal(io_register(0x60, 1, &fake_ops, &d), 0);
	capture_begin(&c);
	io_write(0x61, 1, 0xaa);
	io_write(0x5e, 2, 0xaa);
	assert_int_equal(capture_end(&c), 3); /* 61h, 5Eh, 5Fh */
	assert_int_equal(d.writes, 0);
	assert_int_equal(d.reads, 0);
}

/* A wide access whose first port no device decodes goes out as byte
 * cycles, each to its own port's owner; one that starts on a device's
 * port goes to it whole, even past the device's last port. */
static void test_wide_access_split_into_bytes(void **state)
{
	struct fake_dev pit = { .value = 0x5a };
	struct capture c;

	(void)state;
	assert_int_equal(io_register(0x40, 4, &fake_ops, &pit), 0);
	capture_begin(&c);
	io_write(0x3f, 4, 0x44332211);
	assert_int_equal(pit.writes, 3);
	assert_int_equal(pit.port, 0x42);
	assert_int_equal(pit.size, 1);
	assert_int_equal(pit.written, 0x44);
	assert_int_equal(io_read(0x3f, 2), 0x5aff);
	assert_int_equal(io_read(0x43, 2), 0x5a); /* runs past the device: still whole */
	assert_int_equal(pit.size, 2);
	assert_int_equal(capture_end(&c), 1);    /* 3Fh, once */
	assert_int_equal(io_read(0x40, 4), 0x5a);
	assert_int_equal(pit.size, 4);
	assert_int_equal(io_read(0xffff, 2), 0xffff); /* wraps to port 0 */
}

static void test_missing_handler_counts_as_unclaimed(void **state)
{
	struct fake_dev wo = { .value = 1 }, ro = { .value = 2 };
	struct capture c;

	(void)state;
	assert_int_equal(io_register(0x70, 2, &write_only_ops, &wo), 0);
	assert_int_equal(io_register(0x72, 2, &read_only_ops, &ro), 0);
	capture_begin(&c);
	assert_int_equal(io_read(0x70, 2), 0xffff);
	io_write(0x72, 1, 5);
	assert_int_equal(capture_end(&c), 2);
	assert_int_equal(wo.reads, 0);
	assert_int_equal(ro.writes, 0);
	io_write(0x71, 1, 9);
	assert_int_equal(wo.written, 9);
	assert_int_equal(io_read(0x73, 1), 2);
}

static void test_unclaimed_port_logged_once(void **state)
{
	struct capture c;

	(void)state;
	capture_begin(&c);
	io_read(0x80, 1);
	io_read(0x80, 1);
	io_write(0x80, 1, 0);
	io_read(0x80, 4);
	io_write(0x2f9, 1, 0);
	io_write(0x2f9, 1, 0);
	assert_int_equal(capture_end(&c), 5); /* 80h, 81h-83h (the dword read), 2F9h */
	assert_non_null(strstr(c.text, "unclaimed IN from port 0x80 size 1"));
	assert_non_null(strstr(c.text, "unclaimed OUT to port 0x2f9 size 1"));
}

static void test_adjacent_unclaimed_ports_logged_separately(void **state)
{
	struct capture c;

	(void)state;
	capture_begin(&c);
	for (unsigned p = 0x200; p < 0x210; p++)
		io_read((uint16_t)p, 1);
	io_read(0xffff, 1);
	io_read(0, 1);
	for (unsigned p = 0x200; p < 0x210; p++)
		io_read((uint16_t)p, 1);
	assert_int_equal(capture_end(&c), 18);
}

/* A sweep of the whole port space names 64 ports, then says it stops. */
static void test_unclaimed_log_is_capped(void **state)
{
	struct capture c;

	(void)state;
	capture_begin(&c);
	for (unsigned p = 0x1000; p < 0x1000 + 1000; p++)
		io_read((uint16_t)p, 1);
	assert_int_equal(capture_end(&c), 65);
	assert_non_null(strstr(c.text, "more than 64 unclaimed ports: no more are logged"));
}

static void test_claimed_ports_are_not_logged(void **state)
{
	struct fake_dev d = { 0 };
	struct capture c;

	(void)state;
	assert_int_equal(io_register(0x80, 1, &fake_ops, &d), 0);
	capture_begin(&c);
	io_read(0x80, 1);
	io_write(0x80, 1, 0);
	assert_int_equal(capture_end(&c), 0);
}

static void test_io_owner(void **state)
{
	struct fake_dev d = { 0 };

	(void)state;
	assert_int_equal(io_register(0x3f8, 8, &uart_ops, &d), 0);
	assert_int_equal(io_register(0x40, 4, &fake_ops, &d), 0);
	assert_string_equal(io_owner(0x3f8), "uart");
	assert_string_equal(io_owner(0x3ff), "uart");
	assert_string_equal(io_owner(0x43), "fake");
	assert_null(io_owner(0x400));
	assert_null(io_owner(0x3f7));
	assert_null(io_owner(0x44));
}

static void test_io_reset_forgets_devices_and_log(void **state)
{
	struct fake_dev d = { .value = 0x42 };
	struct capture c;

	(void)state;
	assert_int_equal(io_register(0x60, 1, &fake_ops, &d), 0);
	capture_begin(&c);
	io_read(0x64, 1);
	io_reset();
	assert_int_equal(io_read(0x60, 1), 0xff); /* no longer claimed */
	io_read(0x64, 1);                          /* logged again after reset */
	assert_int_equal(capture_end(&c), 3);
	assert_null(io_owner(0x60));
	assert_int_equal(d.reads, 0);
	assert_int_equal(io_register(0x60, 1, &fake_ops, &d), 0);
	assert_int_equal(io_read(0x60, 1), 0x42);
}

static void test_io_unregister(void **state)
{
	struct fake_dev a = { .value = 0x11 }, b = { .value = 0x22 }, c = { .value = 0x33 };
	struct capture cap;

	(void)state;
	assert_int_equal(io_register(0xc000, 16, &fake_ops, &a), 0);
	assert_int_equal(io_register(0xc010, 16, &uart_ops, &b), 0);
	/* only an exact (base, len) match is released */
	assert_int_equal(io_unregister(0xc000, 8), -1);
	assert_int_equal(io_unregister(0xc004, 16), -1);
	assert_int_equal(io_unregister(0xd000, 16), -1);
	assert_int_equal(io_unregister(0xc000, 16), 0);
	assert_int_equal(io_unregister(0xc000, 16), -1); /* already gone */
	capture_begin(&cap);
	assert_int_equal(io_read(0xc000, 1), 0xff);      /* unclaimed again */
	assert_int_equal(capture_end(&cap), 1);
	assert_int_equal(a.reads, 0);
	assert_null(io_owner(0xc00f));
	/* the other range still answers, the freed one can be claimed again */
	assert_int_equal(io_read(0xc010, 1), 0x22);
	assert_int_equal(io_register(0xc008, 8, &fake_ops, &c), 0);
	assert_int_equal(io_read(0xc00c, 1), 0x33);
	assert_int_equal(io_unregister(0xc010, 16), 0);
	assert_int_equal(io_read(0xc00c, 1), 0x33);
	assert_null(io_owner(0xc010));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_dispatch_to_owner, reset),
		cmocka_unit_test_setup(test_first_and_last_port_of_range, reset),
		cmocka_unit_test_setup(test_overlapping_ranges_rejected, reset),
		cmocka_unit_test_setup(test_zero_length_rejected, reset),
		cmocka_unit_test_setup(test_range_past_port_ffff_rejected, reset),
		cmocka_unit_test_setup(test_whole_port_space_can_be_claimed, reset),
		cmocka_unit_test_setup(test_full_table_rejected, reset),
		cmocka_unit_test_setup(test_read_masked_to_access_size, reset),
		cmocka_unit_test_setup(test_write_masked_to_access_size, reset),
		cmocka_unit_test_setup(test_unclaimed_reads_float_high, reset),
		cmocka_unit_test_setup(test_unclaimed_writes_are_dropped, reset),
		cmocka_unit_test_setup(test_wide_access_split_into_bytes, reset),
		cmocka_unit_test_setup(test_missing_handler_counts_as_unclaimed, reset),
		cmocka_unit_test_setup(test_unclaimed_port_logged_once, reset),
		cmocka_unit_test_setup(test_adjacent_unclaimed_ports_logged_separately, reset),
		cmocka_unit_test_setup(test_unclaimed_log_is_capped, reset),
		cmocka_unit_test_setup(test_claimed_ports_are_not_logged, reset),
		cmocka_unit_test_setup(test_io_owner, reset),
		cmocka_unit_test_setup(test_io_reset_forgets_devices_and_log, reset),
		cmocka_unit_test_setup(test_io_unregister, reset),
	};

	return cmocka_run_group_tests_name("iobus", tests, NULL, NULL);
}
