/*
 * The PC's ISA DMA: two Intel 8237A controllers (Intel 8237A/8237A-5
 * "High Performance Programmable DMA Controller" data sheet, "8237A"
 * below) as the IBM PC/AT wires them.
 *
 *   DMA1, channels 0-3, 8-bit:  ports 0x00-0x0F, byte addresses, each
 *        channel's 16-bit address wraps inside its 64 KiB page.
 *   DMA2, channels 4-7, 16-bit: ports 0xC0-0xDE (even ports only; the
 *        AT drives the chip from address lines A1-A4), word addresses
 *        and counts, wrapping inside a 128 KiB page.  Channel 4 cascades
 *        DMA1 and never transfers.
 *   Page registers (74LS612): 0x87 ch0, 0x83 ch1, 0x81 ch2, 0x82 ch3,
 *        0x8F ch4, 0x8B ch5, 0x89 ch6, 0x8A ch7.  They supply address
 *        bits 16-23 and do not count: a transfer never carries into them.
 *
 * A device model requests a transfer with vdma_transfer(); it happens at
 * once, in as many bus cycles as the channel's count allows.  Guest
 * memory is reached only through gpa_to_hva(): a transfer that reaches
 * anything but guest RAM stops there.  Memory-to-memory transfers
 * (command register bit 0) are not modelled: the PC never uses them.
 */
#ifndef LAMINA_VDMA_H
#define LAMINA_VDMA_H

#include "gpa_map.h"
#include "types.h"

#define VDMA_CHANNELS 8
#define VDMA_CH_FLOPPY 2

struct vdma_channel {
	uint16_t base_addr, base_count; /* reloaded by auto-initialize */
	uint16_t cur_addr, cur_count;
	uint8_t mode;                   /* mode register (8237A "Mode Register") */
	uint8_t page;                   /* the 74LS612 page register */
	bool eop;                       /* the last transfer ended on terminal count */
};

struct vdma_chip {
	uint8_t command; /* command register */
	uint8_t status;  /* TC bits 0-3, request bits 4-7 */
	uint8_t request; /* software request bits 0-3 */
	uint8_t mask;    /* mask bits 0-3 */
	bool flipflop;   /* byte pointer: false = low byte next */
};

struct vdma {
	const struct gpa_map *mem;
	struct vdma_chip chip[2];
	struct vdma_channel ch[VDMA_CHANNELS];
};

/* Power-on state: every channel masked, registers cleared.  mem is the
 * guest-physical map all transfers go through. */
void vdma_init(struct vdma *d, const struct gpa_map *mem);

/* Claim the 8237A ports of both chips and the eight page registers. */
int vdma_attach(struct vdma *d);

/* The port handlers vdma_attach() installs. */
uint32_t vdma_read(void *opaque, uint16_t port, unsigned size);
void vdma_write(void *opaque, uint16_t port, unsigned size, uint32_t val);

/*
 * A device on `channel` moves up to len bytes: to_memory copies buf into
 * guest memory (the 8237A "write" transfer), otherwise guest memory into
 * buf ("read").  The transfer stops at terminal count, when it would
 * leave guest RAM, or at once when the channel is masked, its controller
 * disabled, or it is the cascade channel.  Returns the bytes moved
 * (whole words on channels 5-7).
 */
uint32_t vdma_transfer(struct vdma *d, unsigned channel, void *buf, uint32_t len, bool to_memory);

/* Whether the last vdma_transfer() on channel ended on terminal count:
 * the EOP pulse the 8237A drives to the device. */
bool vdma_eop(const struct vdma *d, unsigned channel);

#endif
