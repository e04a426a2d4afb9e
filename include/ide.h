/*
 * The PIIX3 IDE controller (PCI function 00:01.1) with up to four
 * devices: ATA hard disks and ATAPI CD-ROMs, each an in-RAM image.
 *
 * Two legacy channels: primary 0x1F0-0x1F7 + 0x3F6 on IRQ14, secondary
 * 0x170-0x177 + 0x376 on IRQ15 (0x3F7/0x377 stay with the floppy
 * controller).  PIO through the data port and bus-master DMA through the
 * 16-byte I/O window of BAR4.  Every command executes at once when its
 * last register write arrives: BSY is never seen, data is ready the
 * moment DRQ is, and a DMA transfer completes inside the write that
 * started it.  Guest memory is reached only through gpa_to_hva().
 *
 * References: ATA/ATAPI-6 (T13/1410D, "ATA-6"), INF-8020i and MMC-2 for
 * the ATAPI packets ("MMC"), SPC for INQUIRY/REQUEST SENSE, the Intel
 * 82371FB/SB PIIX/PIIX3 data sheet ("PIIX3"): IDE function configuration
 * registers (IDETIM) and 2.7 bus master IDE I/O registers (BMICx, BMISx,
 * BMIDTPx) with the PRD table format, PCI Local Bus Specification 2.1.
 */
#ifndef LAMINA_IDE_H
#define LAMINA_IDE_H

#include "gpa_map.h"
#include "irq.h"
#include "pci.h"
#include "types.h"

#define IDE_CHANNELS 2
#define IDE_DRIVES_PER_CHANNEL 2
#define IDE_UNITS (IDE_CHANNELS * IDE_DRIVES_PER_CHANNEL)

/* Legacy compatibility-mode resources (PIIX3, ATA-6 table 1 ports). */
#define IDE_PRIMARY_BASE 0x1f0
#define IDE_PRIMARY_CTRL 0x3f6
#define IDE_PRIMARY_IRQ 14
#define IDE_SECONDARY_BASE 0x170
#define IDE_SECONDARY_CTRL 0x376
#define IDE_SECONDARY_IRQ 15
#define IDE_CMD_BLOCK_PORTS 8

#define IDE_PCI_DEV 1
#define IDE_PCI_FN 1
#define IDE_BM_BAR 4
#define IDE_BM_PORTS 16       /* 8 per channel */

/* PIIX3 IDETIM, one 16-bit register per channel; bit 15 enables the
 * channel's legacy port decode (0 at reset, the BIOS sets it). */
#define PIIX3_IDETIM_PRI 0x40
#define PIIX3_IDETIM_SEC 0x42
#define PIIX3_IDETIM_IDE_DECODE 0x8000

#define ATA_SECTOR_SIZE 512
#define ATAPI_SECTOR_SIZE 2048
#define ATAPI_PACKET_SIZE 12
#define ATA_MAX_MULTIPLE 16   /* IDENTIFY word 47: most sectors per DRQ block */
#define IDE_BUF_SIZE 512      /* IDENTIFY data and ATAPI replies */

/* How an ATA command addressed its sectors (ATA-6 6.2 and 6.20). */
#define IDE_ADDR_CHS 0
#define IDE_ADDR_LBA28 1
#define IDE_ADDR_LBA48 2

enum ide_media {
	IDE_MEDIA_NONE,
	IDE_MEDIA_HD,
	IDE_MEDIA_CD,
};

/* One device: its media, its copy of the task file (both devices of a
 * channel latch every command block write, ATA-6 7.1) and the transfer
 * in progress. */
struct ide_drive {
	enum ide_media media;
	uint8_t *image;
	uint64_t size;
	uint64_t nsectors;          /* in 512 (HD) or 2048 (CD) byte blocks */
	unsigned unit;

	/* Task file: current values and the previous ones (HOB, ATA-6 6.20). */
	uint8_t feature, nsect, lba_low, lba_mid, lba_high;
	uint8_t hob_feature, hob_nsect, hob_lba_low, hob_lba_mid, hob_lba_high;
	uint8_t select;             /* device/head register */
	uint8_t status, error;
	uint8_t cmd;                /* command being executed */

	/* ATA settings. */
	uint16_t cyls, heads, sectors;          /* default CHS geometry */
	uint16_t cur_cyls, cur_heads, cur_sectors; /* INITIALIZE DEVICE PARAMETERS */
	uint8_t mult;               /* SET MULTIPLE MODE, 0 = disabled */
	uint8_t pio_mode, mwdma_mode, udma_mode; /* SET FEATURES 03h; 0xff = none */
	bool wcache;
	bool standby;               /* CHECK POWER MODE says 00h */

	/* PIO: the DRQ block being moved through the data port lies at
	 * pio_ptr[0, pio_len); the transfer goes on at xfer_ptr for
	 * xfer_left more bytes after it. */
	uint8_t *pio_ptr;
	uint32_t pio_pos, pio_len;
	uint8_t *xfer_ptr;
	uint64_t xfer_left;
	bool pio_out;               /* host -> device (write, packet) */
	uint32_t blk_max;           /* bytes per DRQ block */
	uint64_t end_lba;           /* ATA: last sector of the command */
	uint8_t addr_mode;          /* ATA: IDE_ADDR_CHS, _LBA28 or _LBA48 */

	/* DMA command waiting for the bus master (BMICx start). */
	bool dma_pending;
	bool dma_to_memory;
	uint8_t *dma_ptr;
	uint64_t dma_len;

	/* ATAPI. */
	uint8_t packet[ATAPI_PACKET_SIZE];
	uint8_t sense_key, asc, ascq;
	bool prevent;
	bool atapi_dma;             /* feature bit 0 of the PACKET command */

	uint8_t buf[IDE_BUF_SIZE];
};

struct ide;

struct ide_channel {
	struct ide *ide;
	unsigned index;
	struct ide_drive drive[IDE_DRIVES_PER_CHANNEL];
	unsigned cur;               /* DEV bit of the last device register write */
	uint8_t devctl;             /* device control register */
	bool intrq;                 /* the selected device's INTRQ is asserted */
	bool irq_level;             /* what the IRQ line was last set to */
	struct irq_line irq;

	/* PIIX3 2.7 bus master IDE registers of this channel. */
	uint8_t bm_cmd, bm_status;
	uint32_t bm_prdt;
};

struct ide {
	struct ide_channel ch[IDE_CHANNELS];
	const struct gpa_map *mem;
	struct pci_function *pci;
	uint16_t bm_base;           /* 0: BM window not on the I/O bus */
};

/* Power-on: no devices, both channels idle.  The IRQ lines may be NULL;
 * mem is the guest-physical map bus-master DMA goes through. */
void ide_init(struct ide *s, const struct irq_line *irq14, const struct irq_line *irq15,
	      const struct gpa_map *mem);

/* unit 0 = primary master, 1 = primary slave, 2 = secondary master,
 * 3 = secondary slave.  image stays owned by the caller; writes change it
 * in place.  -1 on bad args (size 0, not a multiple of 512 for HD /
 * 2048 for CD, unit taken or out of range, media not HD/CD). */
int ide_attach_disk(struct ide *s, unsigned unit, void *image, uint64_t size,
		    enum ide_media media);

/* Claim the legacy ports of both channels and add PCI function 00:01.1
 * (8086:7010).  The bus-master window moves with BAR4 and PCI_COMMAND_IO.
 * 0, or -1 if a port range or the PCI slot is taken. */
int ide_attach(struct ide *s, struct pci_bus *bus);

/* The port handlers ide_attach() installs (opaque = struct ide_channel *
 * for the legacy ports, struct ide * for the bus-master window). */
uint32_t ide_cmd_read(void *opaque, uint16_t port, unsigned size);
void ide_cmd_write(void *opaque, uint16_t port, unsigned size, uint32_t val);
uint32_t ide_ctrl_read(void *opaque, uint16_t port, unsigned size);
void ide_ctrl_write(void *opaque, uint16_t port, unsigned size, uint32_t val);
uint32_t ide_bm_read(void *opaque, uint16_t port, unsigned size);
void ide_bm_write(void *opaque, uint16_t port, unsigned size, uint32_t val);

#endif
