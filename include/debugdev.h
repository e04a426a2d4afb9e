/*
 * Debug devices every test guest and SeaBIOS can use (design.md section 4):
 *  - 0xE9 debug console (Bochs/QEMU "port E9 hack"): bytes go to lamina's console
 *  - 0x402 SeaBIOS debug log: with bioslog=on, to lamina's console a whole
 *    line at a time after "bios: " (so it does not interleave with the
 *    guest's serial output), else dropped
 *  - 0x80 POST code: the last value is kept and shown in reports
 *  - 0xF4 isa-debug-exit: a write ends the guest with that status
 *  - 0xE0-0xE3 test device (as QEMU's pc-testdev): a 32-bit register that
 *    reads back what was written, at any size and byte offset
 */
#ifndef LAMINA_DEBUGDEV_H
#define LAMINA_DEBUGDEV_H

#include "types.h"

struct debugdev {
	void (*putc)(void *opaque, uint8_t c);     /* 0xE9 output */
	void (*exit)(void *opaque, uint32_t code); /* 0xF4 write */
	void (*log_line)(void *opaque, const char *line); /* a 0x402 line */
	bool bios_log;                             /* pass 0x402 lines to log_line */
	char line[120];
	unsigned line_len;
	void *opaque;
	uint8_t post_code;
	uint32_t scratch;
};

#define DEBUGCON_PORT 0xe9
#define BIOSLOG_PORT 0x402
#define DEBUGEXIT_PORT 0xf4
#define POST_PORT 0x80
#define TESTDEV_PORT 0xe0

uint32_t debugdev_read(void *opaque, uint16_t port, unsigned size);
void debugdev_write(void *opaque, uint16_t port, unsigned size, uint32_t val);
int debugdev_attach(struct debugdev *d);

#endif
