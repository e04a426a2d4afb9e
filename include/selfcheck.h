/*
 * Monitor integrity check: a CRC-32 of lamina's own .text and .rodata,
 * taken once at boot and compared again when the guest stops and on the
 * console hotkey Ctrl-A c, plus canary words at the bottom of the boot
 * stack.  .data and .bss change legitimately and are not covered.  A
 * guest that reached the monitor's code or constants (a nested-paging or
 * emulation bug) shows up as "lamina: MONITOR TEXT CHANGED".
 */
#ifndef LAMINA_SELFCHECK_H
#define LAMINA_SELFCHECK_H

#include "types.h"

/* CRC-32 (ISO-HDLC, the zlib/PNG one: reflected, polynomial 0xEDB88320);
 * start with crc = 0 and feed the previous result to continue. */
uint32_t crc32_update(uint32_t crc, const void *buf, size_t len);

#define SELFCHECK_CANARY_WORDS 16
#define SELFCHECK_CANARY 0x4c414d494e41cafeull /* "LAMINA" + cafe */

/* Remember the two read-only ranges and the canary area (may be NULL),
 * fill the canary, take the reference checksum and print it. */
void selfcheck_init(const void *text, const void *text_end, const void *rodata,
		    const void *rodata_end, uint64_t *canary);

/* Checksum again and print "lamina: monitor text intact (crc32 0x...)" or
 * a loud "lamina: MONITOR TEXT CHANGED" line; true when intact. */
bool selfcheck_verify(const char *when);

#endif
