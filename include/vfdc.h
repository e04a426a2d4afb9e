/*
 * Virtual floppy disk controller: an Intel 82077AA in PC-AT mode with one
 * 3.5"/5.25" drive (A:) holding an in-RAM disk image.
 *
 * Ports 0x3F0-0x3F5 and 0x3F7 (0x3F6 belongs to the IDE controller),
 * IRQ6, ISA DMA channel 2.  Commands execute at once when their last
 * byte arrives: the data moves through the 8237A (vdma_transfer()), the
 * interrupt rises and the result phase starts, so the guest never sees
 * an execution phase.  Non-DMA (PIO) data transfer is not provided: with
 * SPECIFY's ND bit set, data commands end in an overrun.
 *
 * The image holds cylinders x heads x sectors of 512 bytes in the usual
 * order; its size picks one of the standard PC formats and with it the
 * data rate the medium answers at.  Writes change the image in place.
 */
#ifndef LAMINA_VFDC_H
#define LAMINA_VFDC_H

#include "irq.h"
#include "types.h"
#include "vdma.h"

#define VFDC_BASE 0x3f0
#define VFDC_DIR_PORT 0x3f7
#define VFDC_IRQ 6
#define VFDC_DMA_CHANNEL VDMA_CH_FLOPPY
#define VFDC_SECTOR_SIZE 512
#define VFDC_DRIVES 4
#define VFDC_MAX_CMD 9
#define VFDC_MAX_RESULT 10

struct vfdc_geometry {
	uint32_t size;
	uint8_t cylinders, heads, sectors;
	uint8_t cmos_type; /* CMOS 0x10 nibble of the drive that reads it */
	uint8_t rate;      /* DSR/CCR data-rate code the medium is read at */
};

struct vfdc {
	struct irq_line irq;
	bool irq_level;             /* what the IRQ6 line was last set to */
	bool intr;                  /* the 82077AA INT output (before DOR gating) */
	struct vdma *dma;

	uint8_t *image;             /* NULL: no disk in drive A */
	const struct vfdc_geometry *geo;
	bool dskchg;                /* drive A's disk-change latch */

	uint8_t dor, tdr, rate;
	uint8_t phase;              /* command or result */
	uint8_t cmd[VFDC_MAX_CMD], cmd_len, cmd_pos;
	uint8_t res[VFDC_MAX_RESULT], res_len, res_pos;

	uint8_t pcn[VFDC_DRIVES];   /* present cylinder number per drive */
	uint8_t busy;               /* MSR drive-busy bits (seek pending) */
	uint8_t sense_pending;      /* drives with interrupt status to report */
	uint8_t sense_st0[VFDC_DRIVES];

	uint8_t specify[2];         /* SRT/HUT, HLT/ND */
	uint8_t config, pretrk;     /* CONFIGURE */
	uint8_t perpendicular;      /* D3-D0, GAP, WGATE */
	uint8_t last_eot;           /* SC/EOT byte of DUMPREG */
	bool lock;

	uint8_t sector[VFDC_SECTOR_SIZE]; /* a sector arriving from memory */
};

/* Power-on: DOR = 0 holds the controller in reset, no disk.  irq6 may be
 * NULL; dma carries channel 2. */
void vfdc_init(struct vfdc *f, const struct irq_line *irq6, struct vdma *dma);

/* Put a disk image into drive A (it stays owned by the caller and must
 * outlive the controller).  -1 if size is not a standard PC format. */
int vfdc_insert(struct vfdc *f, void *image, uint32_t size);

/* Claim ports 0x3F0-0x3F5 and 0x3F7. */
int vfdc_attach(struct vfdc *f);

/* The port handlers vfdc_attach() installs. */
uint32_t vfdc_read(void *opaque, uint16_t port, unsigned size);
void vfdc_write(void *opaque, uint16_t port, unsigned size, uint32_t val);

/* Drive A's type for CMOS register 0x10 bits 7-4 (1 = 360K, 2 = 1.2M,
 * 3 = 720K, 4 = 1.44M, 5 = 2.88M), or 0 with no disk inserted. */
uint8_t vfdc_cmos_type(const struct vfdc *f);

#endif
