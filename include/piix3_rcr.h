/*
 * PIIX3 Reset Control Register at I/O port 0xCF9 (Intel 82371SB PIIX3
 * datasheet 4.1.x "RC—Reset Control Register"): bit 1 chooses a hard or
 * soft reset, and a 0 -> 1 transition of bit 2 resets the CPU.  SeaBIOS
 * reboots by writing 0x02 then 0x06 here.
 */
#ifndef LAMINA_PIIX3_RCR_H
#define LAMINA_PIIX3_RCR_H

#include "types.h"

#define RCR_PORT 0xcf9
#define RCR_SYS_RST BIT(1) /* 1: hard reset (PCIRST# too), 0: soft (CPU INIT) */
#define RCR_RST_CPU BIT(2) /* 0 -> 1 starts the reset */

struct piix3_rcr {
	uint8_t value;
	void (*reset)(void *opaque, bool hard);
	void *opaque;
};

uint32_t piix3_rcr_read(void *opaque, uint16_t port, unsigned size);
void piix3_rcr_write(void *opaque, uint16_t port, unsigned size, uint32_t val);
int piix3_rcr_attach(struct piix3_rcr *r);

#endif
