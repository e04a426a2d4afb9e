/*
 * Virtual MC146818A real-time clock and the PC's 128 bytes of CMOS RAM
 * (index port 0x70, data port 0x71, interrupt on IRQ8).
 *
 * The clock is not a counter that ticks on every exit: the guest's time is
 * computed from vclock_now_ns() and a reference point, and the chip's
 * flags (periodic, alarm, update-ended) are worked out for the interval
 * since they were last looked at.  A vtimer is armed only when an enabled
 * interrupt is due, so an idle RTC costs nothing.
 */
#ifndef LAMINA_VRTC_H
#define LAMINA_VRTC_H

#include "irq.h"
#include "types.h"
#include "vclock.h"

#define VRTC_PORT_INDEX 0x70 /* write: bit 7 = NMI mask, bits 6-0 = register */
#define VRTC_PORT_DATA 0x71
#define VRTC_CMOS_SIZE 128
#define VRTC_IRQ 8

/* Boot device codes SeaBIOS reads from CMOS 0x3D and 0x38. */
enum vrtc_boot_dev {
	VRTC_BOOT_NONE = 0,
	VRTC_BOOT_FLOPPY = 1,
	VRTC_BOOT_HDD = 2,
	VRTC_BOOT_CDROM = 3,
};

/* Host wall-clock time in seconds since 1970-01-01 00:00:00 UTC. */
typedef int64_t (*vrtc_host_time_fn)(void *opaque);

struct vrtc {
	uint8_t cmos[VRTC_CMOS_SIZE]; /* time bytes here are live only while stopped */
	uint8_t index;                /* last byte written to port 0x70 */
	struct irq_line irq;
	bool irq_level;
	struct vtimer timer;
	uint64_t divider_ns;  /* when the divider chain last left reset */
	uint64_t update_ns;   /* an update instant ... */
	int64_t update_secs;  /* ... and the guest time it produced */
	uint64_t flags_ns;    /* register C holds every event up to here */
	uint8_t dow_offset;   /* guest's day-of-week minus the true one, mod 7 */
};

/* Power-on state: 24-hour BCD mode, 1024 Hz rate, time from host_time()
 * (called once, here).  vclock_now_ns() must already be running.
 * irq may be NULL (no interrupt wired). */
void vrtc_init(struct vrtc *rtc, const struct irq_line *irq,
	       vrtc_host_time_fn host_time, void *opaque);

/* Claim ports 0x70-0x71 on the I/O bus.  Returns 0 or -1. */
int vrtc_attach(struct vrtc *rtc);

/* The port handlers vrtc_attach() installs (struct io_ops signature). */
uint32_t vrtc_read(void *opaque, uint16_t port, unsigned size);
void vrtc_write(void *opaque, uint16_t port, unsigned size, uint32_t val);

/* Bit 7 of the last index write: the chipset's NMI mask. */
bool vrtc_nmi_masked(const struct vrtc *rtc);

/* Fill the memory-size bytes the BIOS reads (0x15-0x18, 0x30/0x31,
 * 0x34/0x35, 0x5B-0x5D) for a guest with ram_bytes of RAM laid out with
 * a hole from 0xE0000000 to 4 GiB, and refresh the checksum. */
void vrtc_set_memory(struct vrtc *rtc, uint64_t ram_bytes);

/* Drive A: of the given CMOS type (1 360K, 2 1.2M, 3 720K, 4 1.44M, 5 2.88M)
 * in byte 0x10, and "one floppy drive" in the equipment byte 0x14. */
void vrtc_set_floppy(struct vrtc *rtc, uint8_t type_a);

/* SeaBIOS boot order: CMOS 0x3D = second:first, 0x38 bits 7-4 = third. */
void vrtc_set_boot_order(struct vrtc *rtc, enum vrtc_boot_dev first,
			 enum vrtc_boot_dev second, enum vrtc_boot_dev third);

#endif
