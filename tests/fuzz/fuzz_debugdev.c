/*
 * Fuzzes the debug ports (devices/debugdev.c): E9h console, 402h firmware
 * log (with bioslog on or off from the first input byte), 80h POST code,
 * F4h isa-debug-exit, E0h-E3h test register.
 * Invariants: the 402h line buffer index stays inside it and every line
 * handed to log_line is NUL-terminated within the buffer.
 */
#include <string.h>

#include "debugdev.h"
#include "fuzz_io.h"

static const uint16_t ports[] = { 0xe9, 0x402, 0x80, 0xf4, 0xe0, 0xe1, 0xe2, 0xe3 };

static struct debugdev dev;

static void putc_cb(void *opaque, uint8_t c)
{
	(void)opaque;
	(void)c;
}

static void exit_cb(void *opaque, uint32_t code)
{
	(void)opaque;
	(void)code;
}

static void log_line_cb(void *opaque, const char *line)
{
	(void)opaque;
	FUZZ_CHECK(line == dev.line);
	FUZZ_CHECK(memchr(line, 0, sizeof(dev.line)) != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct fuzz_op op;

	fuzz_reset();
	dev = (struct debugdev){ .putc = putc_cb, .exit = exit_cb, .log_line = log_line_cb };
	dev.bios_log = fuzz_take(&in, 1) & 1;
	FUZZ_CHECK(debugdev_attach(&dev) == 0);
	while (fuzz_next_op(&in, ports, ARRAY_SIZE(ports), &op)) {
		fuzz_do_io(&op);
		FUZZ_CHECK(dev.line_len < sizeof(dev.line));
	}
	return 0;
}
