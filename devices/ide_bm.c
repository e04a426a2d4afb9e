/*
 * PIIX3 bus-master IDE (BMICx/BMISx/BMIDTPx per channel, PRD tables) and
 * the IDE function's PCI configuration (see include/ide.h).
 *
 * Reference: Intel 82371FB/SB PIIX/PIIX3 data sheet ("PIIX3"), 2.7 bus
 * master IDE I/O registers and the bus master IDE function description
 * (PRD table format, the Interrupt/Active bit table), the IDE function's
 * configuration registers (PCICMD, BMIBA, IDETIM, SIDETIM); PCI 2.1 6.2.
 *
 * A PRD table comes from the guest: every entry and every region is
 * checked through gpa_to_hva() before the first byte moves, and the walk
 * is bounded by the 64 KiB page the table must stay in.
 */
#include "ide_internal.h"
#include "iobus.h"
#include "kprintf.h"
#include "lib.h"

#define BM_PRDT_MASK 0xfffffffcu /* dword aligned, bits 1-0 read 0 */

/* PIIX3 2.7 figure "PRD table entry": base address bits 31:1, byte count
 * bits 15:1 (0 = 64 KiB), EOT in bit 31 of the second dword. */
#define PRD_ENTRY_SIZE 8
#define PRD_ADDR_MASK 0xfffffffeu
#define PRD_COUNT_MASK 0xfffeu
#define PRD_COUNT_64K 0x10000u
#define PRD_EOT 0x80
#define PRD_TABLE_PAGE 0x10000u /* the table may not cross 64 KiB */

/* PIIX3 IDE function: identity as QEMU's piix3-ide (class 01h/01h,
 * prog-if 80h: bus-master capable, both channels fixed in legacy mode). */
#define PIIX3_IDE_CLASS 0x010180
#define PIIX3_IDE_PCISTS 0x0280      /* fast back-to-back, medium DEVSEL# */
#define PIIX3_SIDETIM 0x44           /* slave IDE timing */
#define PIIX3_IDETIM_WMASK 0xf3ff    /* bits 11:10 reserved */
#define PCI_SUBVENDOR_QEMU 0x1af4    /* QEMU's default subsystem IDs */
#define PCI_SUBDEVICE_QEMU 0x1100

/* --- Bus-master DMA ------------------------------------------------------ */

enum prd_result {
	PRD_EXACT,   /* the table ended (EOT) exactly with the transfer */
	PRD_LARGER,  /* the transfer ended before the table did */
	PRD_SHORT,   /* the table ended before the transfer did */
	PRD_FAULT,   /* an entry or region outside guest RAM, or no EOT */
};

/* Copy len bytes between the device buffer and guest memory at gpa,
 * one gpa_map region at a time (RAM may be split, e.g. at the PAM
 * segments).  With copy false only check that every byte is reachable.
 * false if some byte is not (a PCI master abort on the PIIX3). */
static bool bm_move(const struct gpa_map *mem, uint64_t gpa, uint8_t *buf, uint64_t len,
		    bool to_memory, bool copy)
{
	while (len) {
		const struct gpa_region *r = gpa_map_find(mem, gpa);
		uint64_t piece;
		uint8_t *p;

		if (!r)
			return false;
		piece = r->gpa + r->size - gpa;
		if (piece > len)
			piece = len;
		p = gpa_to_hva(mem, gpa, piece, to_memory);
		if (!p)
			return false;
		if (copy && to_memory)
			memcpy(p, buf, piece);
		else if (copy)
			memcpy(buf, p, piece);
		gpa += piece;
		buf += piece;
		len -= piece;
	}
	return true;
}

/*
 * Walk the channel's PRD table (PIIX3 2.7, "Physical Region Descriptor
 * Table"): 8-byte entries from BMIDTPx on, each a region of guest memory
 * (count 0 = 64 KiB), until EOT.  The table must not cross a 64 KiB
 * boundary, which also bounds the walk to 8192 entries: an unterminated
 * table is a fault.  *moved is how much of len the table covered.
 */
static enum prd_result bm_walk(struct ide *s, struct ide_channel *c, uint8_t *buf,
			       uint64_t len, bool to_memory, bool copy, uint64_t *moved)
{
	uint32_t addr = c->bm_prdt;
	uint64_t done = 0;

	for (;;) {
		const uint8_t *e = gpa_to_hva(s->mem, addr, PRD_ENTRY_SIZE, false);
		uint32_t base, count;
		uint64_t n;

		if (!e)
			return PRD_FAULT;
		base = ((uint32_t)e[0] | (uint32_t)e[1] << 8 | (uint32_t)e[2] << 16 |
			(uint32_t)e[3] << 24) & PRD_ADDR_MASK;
		count = ((uint32_t)e[4] | (uint32_t)e[5] << 8) & PRD_COUNT_MASK;
		if (count == 0)
			count = PRD_COUNT_64K;
		n = len - done < count ? len - done : count;
		if (n && !bm_move(s->mem, base, buf + done, n, to_memory, copy))
			return PRD_FAULT;
		done += n;
		*moved = done;
		if (done == len)
			return (e[7] & PRD_EOT) && n == count ? PRD_EXACT : PRD_LARGER;
		if (e[7] & PRD_EOT)
			return PRD_SHORT;
		if ((addr & ~(PRD_TABLE_PAGE - 1)) !=
		    ((addr + PRD_ENTRY_SIZE) & ~(PRD_TABLE_PAGE - 1)))
			return PRD_FAULT;
		addr += PRD_ENTRY_SIZE;
	}
}

/*
 * Run the armed DMA transfer of d now that the bus master is started.
 * The table is checked in full before anything moves, so a bad entry
 * never leaves a partial transfer.  PIIX3 2.7 BMISx table "Interrupt /
 * Active bit interaction":
 *   table == transfer: Active 0, Interrupt 1 (normal completion);
 *   table  > transfer: Active 1, Interrupt 1 (driver clears START);
 *   table  < transfer: Active 0, Interrupt 0: the device never finishes
 *     (here: it gives up with ERR/ABRT but raises no interrupt);
 *   master abort (memory outside guest RAM, runaway table): Error 1,
 *     and the device ends the command with ERR/ABRT and an interrupt.
 * The R/W bit is not compared with the command, as in QEMU: the device's
 * command decides the direction.
 */
static void ide_dma_run(struct ide *s, struct ide_channel *c, struct ide_drive *d)
{
	uint64_t moved = 0;
	enum prd_result r;

	d->dma_pending = false;
	r = bm_walk(s, c, d->dma_ptr, d->dma_len, d->dma_to_memory, false, &moved);
	if (r == PRD_FAULT) {
		c->bm_status = (uint8_t)((c->bm_status & ~BM_STATUS_ACTIVE) | BM_STATUS_ERROR);
		ide_cmd_error(c, d, ATA_ER_ABRT);
		return;
	}
	/* A disk takes whole sectors only. */
	if (r == PRD_SHORT && !d->dma_to_memory)
		moved = ALIGN_DOWN(moved, ATA_SECTOR_SIZE);
	if (moved)
		bm_walk(s, c, d->dma_ptr, moved, d->dma_to_memory, true, &moved);
	if (r == PRD_SHORT) {
		c->bm_status &= (uint8_t)~BM_STATUS_ACTIVE;
		d->error = ATA_ER_ABRT;
		d->status = ide_ready_status(d) | ATA_SR_ERR;
		return;
	}
	if (r == PRD_EXACT)
		c->bm_status &= (uint8_t)~BM_STATUS_ACTIVE;
	if (d->media == IDE_MEDIA_CD)
		atapi_xfer_done(c, d);
	else
		ata_xfer_done(c, d);
}

/* ATA-6 9.9 DMA protocol: the device has its data ready (DRQ) and the
 * transfer happens whenever the host's bus master runs: at once if the
 * guest set BMICx START first, else on the START write. */
void ide_dma_start(struct ide_channel *c, struct ide_drive *d, uint8_t *ptr, uint64_t len,
		   bool to_memory)
{
	d->dma_ptr = ptr;
	d->dma_len = len;
	d->dma_to_memory = to_memory;
	d->dma_pending = true;
	d->pio_len = d->pio_pos = 0;
	d->xfer_left = 0;
	d->status = ide_ready_status(d) | ATA_SR_DRQ;
	if (c->bm_cmd & BM_CMD_START)
		ide_dma_run(c->ide, c, d);
}

/* PIIX3 2.7 BMICx: a 0 -> 1 START transition sets Active and starts
 * the engine (on a pending command of either device); writing 0 stops it
 * and clears Active.  RWCON may not change while the engine runs. */
static void bm_write_cmd(struct ide_channel *c, uint8_t val)
{
	uint8_t old = c->bm_cmd;

	if (old & BM_CMD_START)
		val = (uint8_t)((val & BM_CMD_START) | (old & BM_CMD_WRITE));
	c->bm_cmd = val & BM_CMD_MASK;
	if (!(val & BM_CMD_START)) {
		c->bm_status &= (uint8_t)~BM_STATUS_ACTIVE;
		return;
	}
	if (old & BM_CMD_START)
		return;
	c->bm_status |= BM_STATUS_ACTIVE;
	for (unsigned i = 0; i < IDE_DRIVES_PER_CHANNEL; i++)
		if (c->drive[i].dma_pending) {
			ide_dma_run(c->ide, c, &c->drive[i]);
			break;
		}
}

/* One byte of a channel's bus master block. */
static uint8_t bm_read_byte(const struct ide_channel *c, unsigned reg)
{
	switch (reg) {
	case BM_REG_CMD:
		return c->bm_cmd;
	case BM_REG_STATUS:
		return c->bm_status;
	case BM_REG_PRDT:
	case BM_REG_PRDT + 1:
	case BM_REG_PRDT + 2:
	case BM_REG_PRDT + 3:
		return (uint8_t)(c->bm_prdt >> (8 * (reg - BM_REG_PRDT)));
	default:
		return 0; /* reserved */
	}
}

/* PIIX3 2.7: byte, word and dword accesses all work; BMISx's Error and
 * Interrupt bits are write-1-to-clear, its DMA-capable bits plain R/W,
 * BMIDTPx bits 1:0 always 0. */
static void bm_write_byte(struct ide_channel *c, unsigned reg, uint8_t val)
{
	unsigned shift;

	switch (reg) {
	case BM_REG_CMD:
		bm_write_cmd(c, val);
		break;
	case BM_REG_STATUS:
		c->bm_status = (uint8_t)((c->bm_status & ~(val & BM_STATUS_W1C) & ~BM_STATUS_RW) |
					 (val & BM_STATUS_RW));
		break;
	case BM_REG_PRDT:
	case BM_REG_PRDT + 1:
	case BM_REG_PRDT + 2:
	case BM_REG_PRDT + 3:
		shift = 8 * (reg - BM_REG_PRDT);
		c->bm_prdt = ((c->bm_prdt & ~(0xffu << shift)) | (uint32_t)val << shift) &
			     BM_PRDT_MASK;
		break;
	default:
		break;
	}
}

uint32_t ide_bm_read(void *opaque, uint16_t port, unsigned size)
{
	struct ide *s = opaque;
	unsigned off = (uint16_t)(port - s->bm_base);
	uint32_t val = 0;

	for (unsigned i = 0; i < size && off + i < IDE_BM_PORTS; i++) {
		unsigned o = off + i;

		val |= (uint32_t)bm_read_byte(&s->ch[o / BM_CHANNEL_PORTS], o % BM_CHANNEL_PORTS)
		       << (8 * i);
	}
	return val;
}

void ide_bm_write(void *opaque, uint16_t port, unsigned size, uint32_t val)
{
	struct ide *s = opaque;
	unsigned off = (uint16_t)(port - s->bm_base);

	/* Highest byte first: a dword write at +0 clears BMISx's
	 * write-1-to-clear bits before a START in byte 0 runs a transfer. */
	for (unsigned i = size; i-- > 0;) {
		unsigned o = off + i;

		if (o < IDE_BM_PORTS)
			bm_write_byte(&s->ch[o / BM_CHANNEL_PORTS], o % BM_CHANNEL_PORTS,
				      (uint8_t)(val >> (8 * i)));
	}
}

/* PIIX3 2.7: which bus-master register, and a start/stop written. */
static int ide_bm_explain(void *opaque, uint16_t port, unsigned size, bool in, uint32_t val,
			  char *buf, unsigned len)
{
	const struct ide *s = opaque;
	unsigned off = (uint16_t)(port - s->bm_base), ch = off / 8;

	(void)size;
	switch (off & 7) {
	case 0:
		if (in)
			return ksnprintf(buf, len, "ch%u BM command", ch);
		return ksnprintf(buf, len, "ch%u BM %s%s", ch, val & BM_CMD_START ? "start" : "stop",
				 val & BM_CMD_START ? (val & BM_CMD_WRITE ? ", to memory" : ", from memory")
						    : "");
	case 2:
		return ksnprintf(buf, len, "ch%u BM status%s", ch, in ? "" : " (clear)");
	case 4: case 5: case 6: case 7:
		return ksnprintf(buf, len, "ch%u PRD table address", ch);
	default:
		return 0;
	}
}

static const struct io_ops ide_bm_ops = {
	.name = "ide-bm",
	.read = ide_bm_read,
	.write = ide_bm_write,
	.explain = ide_bm_explain,
};

/* --- PCI function 00:01.1 ----------------------------------------------- */

/* PCI 2.1 6.2.5: an I/O BAR decodes only while the command register's
 * I/O Space bit is set.  Move the bus-master window to wherever BAR4
 * says (or off the bus). */
static void ide_bm_remap(struct ide *s)
{
	uint32_t addr = pci_bar_address(s->pci, IDE_BM_BAR);
	bool on = (pci_config_get(s->pci, PCI_COMMAND, 2) & PCI_COMMAND_IO) && addr &&
		  addr + IDE_BM_PORTS <= 0x10000;
	uint16_t base = on ? (uint16_t)addr : 0;

	if (base == s->bm_base)
		return;
	if (s->bm_base)
		io_unregister(s->bm_base, IDE_BM_PORTS);
	s->bm_base = 0;
	if (base && io_register(base, IDE_BM_PORTS, &ide_bm_ops, s) == 0)
		s->bm_base = base;
}

/* After a config write: the window follows BAR4 and the I/O enable. */
static void ide_pci_config_write(void *opaque, struct pci_function *f, unsigned offset,
				 unsigned size, uint32_t old)
{
	unsigned bar = PCI_BASE_ADDRESS_0 + 4 * IDE_BM_BAR;

	(void)f;
	(void)old;
	if ((offset < PCI_COMMAND + 2 && offset + size > PCI_COMMAND) ||
	    (offset < bar + 4 && offset + size > bar))
		ide_bm_remap(opaque);
}

static const struct pci_function_ops ide_pci_ops = {
	.name = "piix3-ide",
	.vendor_id = PCI_VENDOR_ID_INTEL,
	.device_id = PCI_DEVICE_ID_INTEL_82371SB_1,
	.class_code = PIIX3_IDE_CLASS,
	.header_type = PCI_HEADER_TYPE_NORMAL,
	.subsystem_vendor_id = PCI_SUBVENDOR_QEMU,
	.subsystem_id = PCI_SUBDEVICE_QEMU,
	.interrupt_pin = 0, /* legacy mode: IRQ14/15, no INTx# */
	.config_write = ide_pci_config_write,
};

/* PIIX3 IDE function reset values: PCICMD 0 (the BIOS enables I/O and
 * bus mastering), PCISTS 0280h, IDETIM/SIDETIM 0 (the BIOS sets IDETIM
 * bit 15, IDE decode enable; Linux's ata_piix checks it), BMIBA an
 * unplaced 16-byte I/O window. */
int ide_pci_attach(struct ide *s, struct pci_bus *bus)
{
	struct pci_function *f = pci_add_function(bus, IDE_PCI_DEV, IDE_PCI_FN, &ide_pci_ops, s);

	if (!f)
		return -1;
	s->pci = f;
	s->bm_base = 0;
	pci_config_set(f, PCI_STATUS, 2, PIIX3_IDE_PCISTS);
	pci_set_bar(f, IDE_BM_BAR, IDE_BM_PORTS, PCI_BASE_ADDRESS_SPACE_IO);
	pci_set_writable(f, PIIX3_IDETIM_PRI, 2, PIIX3_IDETIM_WMASK);
	pci_set_writable(f, PIIX3_IDETIM_SEC, 2, PIIX3_IDETIM_WMASK);
	pci_set_writable(f, PIIX3_SIDETIM, 1, 0xff);
	return 0;
}
