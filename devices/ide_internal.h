/*
 * What devices/ide.c (registers, PIO and bus-master engines, PCI),
 * devices/ide_ata.c (ATA commands) and devices/ide_atapi.c (ATAPI)
 * share.  Not part of the monitor's interface: see include/ide.h.
 */
#ifndef LAMINA_IDE_INTERNAL_H
#define LAMINA_IDE_INTERNAL_H

#include "ide.h"

/* ATA-6 7.1 table 9: command block register offsets from 0x1F0/0x170. */
#define ATA_REG_DATA 0
#define ATA_REG_ERROR 1    /* read */
#define ATA_REG_FEATURE 1  /* write */
#define ATA_REG_NSECT 2    /* sector count; ATAPI interrupt reason */
#define ATA_REG_LBA_LOW 3  /* sector number */
#define ATA_REG_LBA_MID 4  /* cylinder low; ATAPI byte count low */
#define ATA_REG_LBA_HIGH 5 /* cylinder high; ATAPI byte count high */
#define ATA_REG_DEVICE 6   /* device/head */
#define ATA_REG_STATUS 7   /* read */
#define ATA_REG_COMMAND 7  /* write */

/* ATA-6 7.15.6 status register. */
#define ATA_SR_BSY 0x80
#define ATA_SR_DRDY 0x40
#define ATA_SR_DF 0x20
#define ATA_SR_DSC 0x10    /* obsolete in ATA-6, QEMU and old drivers want it */
#define ATA_SR_DRQ 0x08
#define ATA_SR_ERR 0x01

/* ATA-6 7.9.6 error register. */
#define ATA_ER_ICRC 0x80
#define ATA_ER_UNC 0x40
#define ATA_ER_IDNF 0x10
#define ATA_ER_ABRT 0x04
/* ATA-6 9.1: diagnostic code "device 0 passed, device 1 passed or absent". */
#define ATA_DIAG_PASSED 0x01

/* ATA-6 7.10.6 device register. */
#define ATA_DEV_OBS 0xa0
#define ATA_DEV_LBA 0x40
#define ATA_DEV_DEV 0x10
#define ATA_DEV_HEAD_MASK 0x0f

/* ATA-6 7.8.6 device control register. */
#define ATA_DC_HOB 0x80
#define ATA_DC_SRST 0x04
#define ATA_DC_NIEN 0x02

/* INF-8020i 5.1 / ATA-6 8.21: PACKET interrupt reason (sector count). */
#define ATAPI_IR_COD 0x01
#define ATAPI_IR_IO 0x02
/* ATA-6 8.21 PACKET features register. */
#define ATAPI_FEAT_DMA 0x01
#define ATAPI_FEAT_OVL 0x02

/* ATA-6 9.12: the signatures a reset or diagnostic leaves behind. */
#define ATA_SIG_NSECT 0x01
#define ATA_SIG_LBA_LOW 0x01
#define ATAPI_SIG_LBA_MID 0x14
#define ATAPI_SIG_LBA_HIGH 0xeb

/* ATA-6 command opcodes (section 8, table in annex B). */
#define ATA_CMD_NOP 0x00
#define ATA_CMD_DEVICE_RESET 0x08
#define ATA_CMD_RECALIBRATE 0x10 /* 10h-1Fh */
#define ATA_CMD_READ_SECTORS 0x20
#define ATA_CMD_READ_SECTORS_NORETRY 0x21
#define ATA_CMD_READ_SECTORS_EXT 0x24
#define ATA_CMD_READ_DMA_EXT 0x25
#define ATA_CMD_READ_MULTIPLE_EXT 0x29
#define ATA_CMD_WRITE_SECTORS 0x30
#define ATA_CMD_WRITE_SECTORS_NORETRY 0x31
#define ATA_CMD_WRITE_SECTORS_EXT 0x34
#define ATA_CMD_WRITE_DMA_EXT 0x35
#define ATA_CMD_WRITE_MULTIPLE_EXT 0x39
#define ATA_CMD_READ_VERIFY_SECTORS 0x40
#define ATA_CMD_READ_VERIFY_SECTORS_NORETRY 0x41
#define ATA_CMD_READ_VERIFY_SECTORS_EXT 0x42
#define ATA_CMD_SEEK 0x70 /* 70h-7Fh */
#define ATA_CMD_EXECUTE_DEVICE_DIAGNOSTIC 0x90
#define ATA_CMD_INITIALIZE_DEVICE_PARAMETERS 0x91
#define ATA_CMD_PACKET 0xa0
#define ATA_CMD_IDENTIFY_PACKET_DEVICE 0xa1
#define ATA_CMD_READ_MULTIPLE 0xc4
#define ATA_CMD_WRITE_MULTIPLE 0xc5
#define ATA_CMD_SET_MULTIPLE_MODE 0xc6
#define ATA_CMD_READ_DMA 0xc8
#define ATA_CMD_READ_DMA_NORETRY 0xc9
#define ATA_CMD_WRITE_DMA 0xca
#define ATA_CMD_WRITE_DMA_NORETRY 0xcb
#define ATA_CMD_STANDBY_IMMEDIATE 0xe0
#define ATA_CMD_IDLE_IMMEDIATE 0xe1
#define ATA_CMD_STANDBY 0xe2
#define ATA_CMD_IDLE 0xe3
#define ATA_CMD_CHECK_POWER_MODE 0xe5
#define ATA_CMD_FLUSH_CACHE 0xe7
#define ATA_CMD_FLUSH_CACHE_EXT 0xea
#define ATA_CMD_IDENTIFY_DEVICE 0xec
#define ATA_CMD_SET_FEATURES 0xef

/* ATA-6 8.37 SET FEATURES subcommands (features register). */
#define ATA_SF_ENABLE_WCACHE 0x02
#define ATA_SF_SET_XFER_MODE 0x03
#define ATA_SF_DISABLE_REVERT 0x66
#define ATA_SF_DISABLE_LOOKAHEAD 0x55
#define ATA_SF_DISABLE_WCACHE 0x82
#define ATA_SF_ENABLE_LOOKAHEAD 0xaa
#define ATA_SF_ENABLE_REVERT 0xcc
/* ATA-6 8.37.10 table 44: transfer mode in the sector count register. */
#define ATA_XFER_PIO_DEFAULT 0x00
#define ATA_XFER_PIO_DEFAULT_NOIORDY 0x01
#define ATA_XFER_PIO_FLOW 0x08  /* | mode 0-4 */
#define ATA_XFER_MWDMA 0x20     /* | mode 0-2 */
#define ATA_XFER_UDMA 0x40      /* | mode 0-5 */
#define ATA_XFER_MODE_MASK 0x07
#define ATA_MAX_PIO_MODE 4
#define ATA_MAX_MWDMA_MODE 2
#define ATA_MAX_UDMA_MODE 5
#define ATA_MODE_NONE 0xff

/* CHECK POWER MODE results (ATA-6 8.6). */
#define ATA_POWER_STANDBY 0x00
#define ATA_POWER_ACTIVE 0xff

/* PIIX3 2.7: the bus master registers of one channel (primary at BAR4 +
 * 0, secondary at + 8). */
#define BM_REG_CMD 0      /* BMICx */
#define BM_REG_STATUS 2   /* BMISx */
#define BM_REG_PRDT 4     /* BMIDTPx, 4 bytes */
#define BM_CHANNEL_PORTS 8

#define BM_CMD_START 0x01       /* SSBM */
#define BM_CMD_WRITE 0x08       /* RWCON: 1 = bus master writes memory */
#define BM_CMD_MASK (BM_CMD_START | BM_CMD_WRITE)

#define BM_STATUS_ACTIVE 0x01   /* BMIDEA, read-only */
#define BM_STATUS_ERROR 0x02    /* R/WC */
#define BM_STATUS_INT 0x04      /* IDEINTS, R/WC */
#define BM_STATUS_DMA0_CAP 0x20 /* R/W scratch bits */
#define BM_STATUS_DMA1_CAP 0x40
#define BM_STATUS_RW (BM_STATUS_DMA0_CAP | BM_STATUS_DMA1_CAP)
#define BM_STATUS_W1C (BM_STATUS_ERROR | BM_STATUS_INT)

/* The idle status of a device: ATA devices report DRDY and DSC; a PACKET
 * device's bit 4 means SERV (ATA-6 7.15.6), so it only gets DRDY. */
static inline uint8_t ide_ready_status(const struct ide_drive *d)
{
	return d->media == IDE_MEDIA_CD ? ATA_SR_DRDY : ATA_SR_DRDY | ATA_SR_DSC;
}

/* --- devices/ide.c: engines the command sets drive -------------------- */

/* The device asserts INTRQ (ATA-6 5.2.9) / the host acknowledges it. */
void ide_raise_irq(struct ide_channel *c);
void ide_lower_irq(struct ide_channel *c);

/* Start a PIO data transfer of len bytes at ptr in DRQ blocks of at most
 * blk bytes (host -> device when out). */
void ide_pio_start(struct ide_channel *c, struct ide_drive *d, uint8_t *ptr, uint64_t len,
		   uint32_t blk, bool out);


/* End a command: status DRDY (|DSC for ATA) and an interrupt. */
void ide_cmd_ok(struct ide_channel *c, struct ide_drive *d);
/* End a command with ERR and the given error bits, and an interrupt. */
void ide_cmd_error(struct ide_channel *c, struct ide_drive *d, uint8_t error);
/* ATA-6 9.12: put the device's signature into its task file. */
void ide_set_signature(struct ide_drive *d);
/* ATA-6 8.11 EXECUTE DEVICE DIAGNOSTIC on the whole channel. */
void ide_diagnostic(struct ide_channel *c);

/* Little helpers for building replies. */
void ide_put_le16(uint8_t *p, uint16_t v);
void ide_put_be16(uint8_t *p, uint16_t v);
void ide_put_be32(uint8_t *p, uint32_t v);
/* ATA-6 7.16.6 strings: two characters per word, the first in bits 15:8,
 * padded with spaces. */
void ide_id_string(uint8_t *id, unsigned word, unsigned nwords, const char *s);
/* ATA-6 8.15.62 word 255: signature A5h and a checksum making the 512
 * bytes sum to 0. */
void ide_id_checksum(uint8_t *id);

/* --- devices/ide_bm.c --------------------------------------------------- */

/* Arm a DMA transfer of len bytes at ptr; it runs when the channel's
 * bus master is (or gets) started. */
void ide_dma_start(struct ide_channel *c, struct ide_drive *d, uint8_t *ptr, uint64_t len,
		   bool to_memory);
/* Add PCI function 00:01.1 with BAR4 and the timing registers. */
int ide_pci_attach(struct ide *s, struct pci_bus *bus);

/* --- devices/ide_ata.c --------------------------------------------------- */

/* Execute an ATA command on a hard disk. */
void ata_command(struct ide_channel *c, struct ide_drive *d, uint8_t cmd);
/* The commands ATA and ATAPI devices share (SET FEATURES, power
 * management, diagnostics); anything else is aborted. */
void ata_common_command(struct ide_channel *c, struct ide_drive *d, uint8_t cmd);
/* A PIO (or DMA) transfer of an ATA command has moved its last byte. */
void ata_xfer_done(struct ide_channel *c, struct ide_drive *d);

/* --- devices/ide_atapi.c ------------------------------------------------- */

void atapi_command(struct ide_channel *c, struct ide_drive *d, uint8_t cmd);
/* The 12 packet bytes have arrived: execute the packet. */
void atapi_packet(struct ide_channel *c, struct ide_drive *d);
/* The data of a packet command has been moved: good status. */
void atapi_xfer_done(struct ide_channel *c, struct ide_drive *d);

#endif
