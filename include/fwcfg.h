/*
 * QEMU's firmware configuration device (fw_cfg), I/O port flavour: how
 * SeaBIOS learns the machine's memory map, its serial console, and finds
 * a floppy image to boot.  The guest picks an item with a 16-bit key and
 * reads its bytes one at a time through the data port, or has them
 * copied into its memory by the DMA interface.
 *
 * Reference: QEMU docs/specs/fw_cfg.rst ("fw_cfg.rst" below), the key
 * list in QEMU include/standard-headers/linux/qemu_fw_cfg.h, and QEMU
 * hw/nvram/fw_cfg.c for what the spec leaves open.
 *
 * Item data is kept by pointer, never copied: it must stay valid (and
 * unchanged) while the guest runs.  struct fwcfg points into itself, so
 * it must not be moved after fwcfg_init().
 */
#ifndef LAMINA_FWCFG_H
#define LAMINA_FWCFG_H

#include "gpa_map.h"
#include "types.h"

/* fw_cfg.rst "Register Locations": the x86 I/O ports. */
#define FW_CFG_PORT_SEL 0x510   /* 16-bit write: select an item */
#define FW_CFG_PORT_DATA 0x511  /* 8-bit read: next byte of the item */
#define FW_CFG_PORT_DMA 0x514   /* 0x514 high, 0x518 low half of the address */
#define FW_CFG_DMA_PORTS 8

/* Item keys (qemu_fw_cfg.h).  0x20 and up are the files in FILE_DIR. */
#define FW_CFG_SIGNATURE 0x00
#define FW_CFG_ID 0x01
#define FW_CFG_UUID 0x02
#define FW_CFG_RAM_SIZE 0x03
#define FW_CFG_NOGRAPHIC 0x04
#define FW_CFG_NB_CPUS 0x05
#define FW_CFG_NUMA 0x0d
#define FW_CFG_BOOT_MENU 0x0e
#define FW_CFG_MAX_CPUS 0x0f
#define FW_CFG_FILE_DIR 0x19
#define FW_CFG_FILE_FIRST 0x20
#define FW_CFG_WRITE_CHANNEL 0x4000
#define FW_CFG_ARCH_LOCAL 0x8000

/* fw_cfg.rst "Revision / feature bitmap": FW_CFG_ID bits. */
#define FW_CFG_VERSION 0x01     /* traditional (data port) interface */
#define FW_CFG_VERSION_DMA 0x02 /* DMA interface */

/* fw_cfg.rst "Guest-side DMA Interface": FWCfgDmaAccess.control bits. */
#define FW_CFG_DMA_CTL_ERROR 0x01
#define FW_CFG_DMA_CTL_READ 0x02
#define FW_CFG_DMA_CTL_SKIP 0x04
#define FW_CFG_DMA_CTL_SELECT 0x08  /* selector in bits 31-16 */
#define FW_CFG_DMA_CTL_WRITE 0x10

#define FW_CFG_MAX_FILE_PATH 56     /* FWCfgFile.name, NUL included */
#define FW_CFG_FILE_ENTRY_SIZE 64   /* be32 size, be16 select, be16 reserved, name */
#define FW_CFG_DMA_ACCESS_SIZE 16   /* be32 control, be32 length, be64 address */

/* etc/e820 entries, as SeaBIOS's qemu_cfg_e820() reads them: le64
 * address, le64 length, le32 type (1 = RAM, 2 = reserved). */
#define E820_RAM 1
#define FWCFG_E820_ENTRY_SIZE 20
#define FWCFG_E820_MAX_ENTRIES 3

#define FWCFG_MAX_FILES 32 /* QEMU's default number of file slots */

struct fwcfg_entry {
	const uint8_t *data; /* NULL: no such item */
	uint32_t len;
};

struct fwcfg_file {
	char name[FW_CFG_MAX_FILE_PATH]; /* NUL-padded */
	struct fwcfg_entry entry;
};

struct fwcfg {
	const struct gpa_map *mem; /* guest RAM the DMA interface may touch */
	uint16_t selector;         /* the selected key */
	uint32_t offset;           /* next byte of the selected item */
	uint32_t dma_addr_high;    /* written to 0x514, consumed at 0x518 */
	struct fwcfg_entry items[FW_CFG_FILE_FIRST];
	struct fwcfg_file files[FWCFG_MAX_FILES]; /* sorted by name */
	unsigned nfiles;
	/* Storage for the items fwcfg builds itself. */
	uint8_t dir[4 + FWCFG_MAX_FILES * FW_CFG_FILE_ENTRY_SIZE];
	uint8_t id[4];
	uint8_t ram_size[8], nb_cpus[2], max_cpus[2], numa[8], boot_menu[2], nographic[2];
	uint8_t e820[FWCFG_E820_MAX_ENTRIES * FWCFG_E820_ENTRY_SIZE];
	uint8_t sercon_port[2];
	uint8_t boot_fail_wait[4];
};

/* Reset: the signature "QEMU", FW_CFG_ID = traditional | DMA, an empty
 * file directory, FW_CFG_SIGNATURE selected.  DMA reaches only the RAM
 * in mem (through gpa_to_hva). */
void fwcfg_init(struct fwcfg *fw, const struct gpa_map *mem);

/* Guest reset: the items stay, FW_CFG_SIGNATURE is selected again and
 * the DMA address register is 0. */
void fwcfg_reset(struct fwcfg *fw);

/* Claim 0x510-0x511 and 0x514-0x51B on the I/O bus.  0 or -1. */
int fwcfg_attach(struct fwcfg *fw);

/* A numbered item, key 0x02-0x1F except FW_CFG_FILE_DIR.  -1 if the key
 * is taken or out of range, or data is NULL. */
int fwcfg_add_item(struct fwcfg *fw, uint16_t key, const void *data, uint32_t len);

/* A named file (1-55 characters).  Files get keys 0x20, 0x21, ... in
 * name order, so add them all before the guest runs.  -1 if the name is
 * bad or taken, the directory is full, or data is NULL. */
int fwcfg_add_file(struct fwcfg *fw, const char *name, const void *data, uint32_t len);

/* Publishing helpers: each builds its item inside struct fwcfg (unless
 * noted) and returns 0, or -1 if it was already published or is invalid. */

/* FW_CFG_RAM_SIZE, FW_CFG_NB_CPUS, FW_CFG_MAX_CPUS = ncpus, FW_CFG_NUMA
 * with no nodes, FW_CFG_BOOT_MENU = 0, FW_CFG_NOGRAPHIC = 1. */
int fwcfg_publish_machine(struct fwcfg *fw, uint64_t ram_size, uint16_t ncpus);

/* etc/e820 for ram_size bytes of RAM (more than 1 MiB): 0-0x9FC00 and
 * 1 MiB up to min(ram_size, 0xE0000000), the rest from 4 GiB, as
 * vrtc_set_memory() describes the same RAM in CMOS. */
int fwcfg_publish_e820(struct fwcfg *fw, uint64_t ram_size);

/* etc/sercon-port: SeaBIOS mirrors its text screen to this UART. */
int fwcfg_publish_sercon_port(struct fwcfg *fw, uint16_t port);

/* etc/boot-fail-wait: ms before SeaBIOS reboots when nothing boots
 * (0xFFFFFFFF: never, it waits for ever). */
int fwcfg_publish_boot_fail_wait(struct fwcfg *fw, uint32_t ms);

/* bootorder: newline-separated device paths, e.g. "/rom@floppyimg/x.img\n".
 * Kept by pointer; the item includes the terminating NUL, as QEMU's. */
int fwcfg_publish_bootorder(struct fwcfg *fw, const char *lines);

/* floppyimg/<name>: a floppy image SeaBIOS copies to RAM and boots as
 * drive A:.  Its size must be one SeaBIOS knows (160/180/320/360/720 KiB,
 * 1.2/1.44/2.88 MB).  Kept by pointer.  Publish one: SeaBIOS takes only
 * the first "floppyimg/" file it finds. */
int fwcfg_publish_floppy(struct fwcfg *fw, const char *name, const void *image, uint32_t len);

#endif
