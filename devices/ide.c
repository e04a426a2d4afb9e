/*
 * PIIX3 IDE controller: the legacy channel registers, interrupts, resets
 * and the PIO data engine (see include/ide.h).
 *
 * The command sets live in devices/ide_ata.c and devices/ide_atapi.c,
 * bus-master DMA and the PCI function in devices/ide_bm.c.
 * Everything the guest writes is hostile: transfer lengths are checked
 * against the image before a command starts, the data port never walks
 * outside the current DRQ block, and a PRD table is validated entry by
 * entry through gpa_to_hva() before the first byte moves.
 */
#include "ide_internal.h"
#include "iobus.h"
#include "kprintf.h"
#include "lib.h"

static struct ide_drive *ide_cur(struct ide_channel *c)
{
	return &c->drive[c->cur];
}

/* --- Reply helpers ------------------------------------------------------- */

void ide_put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

void ide_put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

void ide_put_be32(uint8_t *p, uint32_t v)
{
	ide_put_be16(p, (uint16_t)(v >> 16));
	ide_put_be16(p + 2, (uint16_t)v);
}

/* ATA-6 7.16.6 / 8.15: IDENTIFY strings store the first character of
 * each pair in the high byte of the word, so byte i lands at i ^ 1. */
void ide_id_string(uint8_t *id, unsigned word, unsigned nwords, const char *s)
{
	size_t len = strlen(s);

	for (unsigned i = 0; i < 2 * nwords; i++)
		id[2 * word + (i ^ 1)] = (uint8_t)(i < len ? s[i] : ' ');
}

/* ATA-6 8.15.62 word 255: bits 7:0 = A5h, bits 15:8 = the two's
 * complement of the sum of bytes 0-510. */
void ide_id_checksum(uint8_t *id)
{
	uint8_t sum = 0;

	id[510] = 0xa5;
	for (unsigned i = 0; i < 511; i++)
		sum = (uint8_t)(sum + id[i]);
	id[511] = (uint8_t)-sum;
}

/* --- Interrupts ---------------------------------------------------------- */

/* ATA-6 5.2.9: INTRQ reaches the host only while nIEN is 0; the PIIX3
 * passes it on to IRQ14/15 (legacy mode).  Only level changes are sent,
 * so the 8259 sees one edge per assertion. */
static void ide_update_irq(struct ide_channel *c)
{
	bool level = c->intrq && !(c->devctl & ATA_DC_NIEN);

	if (level != c->irq_level) {
		c->irq_level = level;
		irq_set(&c->irq, level);
	}
}

/* The device asserts INTRQ.  PIIX3 BMISx bit 2 latches the rising edge
 * of the interrupt line, whether or not a DMA transfer ran. */
void ide_raise_irq(struct ide_channel *c)
{
	c->intrq = true;
	if (!(c->devctl & ATA_DC_NIEN))
		c->bm_status |= BM_STATUS_INT;
	ide_update_irq(c);
}

/* ATA-6 5.2.9: reading Status or writing Command clears the pending
 * interrupt (Alternate Status does not). */
void ide_lower_irq(struct ide_channel *c)
{
	c->intrq = false;
	ide_update_irq(c);
}

/* --- Command completion -------------------------------------------------- */

/* Normal completion: ATA-6 "Normal outputs" of every non-data and
 * data-out command, with an interrupt. */
void ide_cmd_ok(struct ide_channel *c, struct ide_drive *d)
{
	d->status = ide_ready_status(d);
	ide_raise_irq(c);
}

/* Error outputs: ERR in the status, the cause in the error register,
 * DRQ clear so no data moves, and an interrupt (ATA-6 section 8). */
void ide_cmd_error(struct ide_channel *c, struct ide_drive *d, uint8_t error)
{
	d->pio_len = d->pio_pos = 0;
	d->xfer_left = 0;
	d->dma_pending = false;
	d->error = error;
	d->status = ide_ready_status(d) | ATA_SR_ERR;
	ide_raise_irq(c);
}

/* ATA-6 9.12: after a reset or diagnostic, sector count and LBA low are
 * 01h, LBA mid/high 00h/00h for ATA and 14h/EBh for a PACKET device,
 * the device register 00h. */
void ide_set_signature(struct ide_drive *d)
{
	bool atapi = d->media == IDE_MEDIA_CD;

	d->nsect = ATA_SIG_NSECT;
	d->lba_low = ATA_SIG_LBA_LOW;
	d->lba_mid = atapi ? ATAPI_SIG_LBA_MID : 0;
	d->lba_high = atapi ? ATAPI_SIG_LBA_HIGH : 0;
	d->hob_nsect = d->hob_lba_low = d->hob_lba_mid = d->hob_lba_high = 0;
	d->select &= ATA_DEV_DEV;
}

/* The part of a reset that every kind (SRST, DEVICE RESET, diagnostic)
 * shares: any command in progress is abandoned, the signature is set,
 * the diagnostic code passed.  ATA devices come back ready; PACKET
 * devices leave DRDY clear (ATA-6 9.2 and 9.12). */
static void ide_reset_drive(struct ide_drive *d)
{
	if (d->media == IDE_MEDIA_NONE)
		return;
	d->pio_len = d->pio_pos = 0;
	d->xfer_left = 0;
	d->dma_pending = false;
	d->cmd = 0;
	ide_set_signature(d);
	d->error = ATA_DIAG_PASSED;
	d->status = d->media == IDE_MEDIA_CD ? 0 : ATA_SR_DRDY | ATA_SR_DSC;
}

/* ATA-6 8.11 EXECUTE DEVICE DIAGNOSTIC: both devices run their
 * diagnostics, device 0 reports for the pair, device 0 is selected and
 * an interrupt follows.  Device 1 being absent counts as passed. */
void ide_diagnostic(struct ide_channel *c)
{
	for (unsigned i = 0; i < IDE_DRIVES_PER_CHANNEL; i++) {
		ide_reset_drive(&c->drive[i]);
		c->drive[i].select = 0;
	}
	c->cur = 0;
	ide_raise_irq(c);
}

/* --- PIO data engine ----------------------------------------------------- */

/* The transfer has no bytes left: hand the command back to its set. */
static void ide_xfer_end(struct ide_channel *c, struct ide_drive *d)
{
	d->pio_len = d->pio_pos = 0;
	if (d->media == IDE_MEDIA_CD) {
		if (d->cmd == ATA_CMD_PACKET && d->pio_out)
			atapi_packet(c, d);
		else
			atapi_xfer_done(c, d);
	} else {
		ata_xfer_done(c, d);
	}
}

/* Offer the next DRQ block.  ATA-6 9.7 (PIO data-in) and 9.8 (PIO
 * data-out): the device sets DRQ for each block and interrupts, except
 * before the first block of a data-out command, which the host sends
 * without waiting.  A PACKET device also reports the block's size in the
 * byte count registers and "data to host" in the interrupt reason
 * (ATA-6 9.10). */
static void ide_pio_next(struct ide_channel *c, struct ide_drive *d, bool first)
{
	uint32_t n;

	if (d->xfer_left == 0) {
		ide_xfer_end(c, d);
		return;
	}
	n = d->xfer_left < d->blk_max ? (uint32_t)d->xfer_left : d->blk_max;
	d->pio_ptr = d->xfer_ptr;
	d->pio_pos = 0;
	d->pio_len = n;
	d->xfer_ptr += n;
	d->xfer_left -= n;
	d->status = ide_ready_status(d) | ATA_SR_DRQ;
	if (d->cmd == ATA_CMD_PACKET) {
		d->nsect = d->pio_out ? 0 : ATAPI_IR_IO;
		d->lba_mid = (uint8_t)n;
		d->lba_high = (uint8_t)(n >> 8);
	}
	if (!(first && d->pio_out))
		ide_raise_irq(c);
}

void ide_pio_start(struct ide_channel *c, struct ide_drive *d, uint8_t *ptr, uint64_t len,
		   uint32_t blk, bool out)
{
	d->xfer_ptr = ptr;
	d->xfer_left = len;
	d->blk_max = blk;
	d->pio_out = out;
	ide_pio_next(c, d, true);
}

/* The host has moved the last byte of the current DRQ block. */
static void ide_pio_block_done(struct ide_channel *c, struct ide_drive *d)
{
	d->status &= (uint8_t)~ATA_SR_DRQ;
	ide_pio_next(c, d, false);
}

/* One 16-bit read of the data register (ATA-6 7.6).  Without DRQ (or
 * with the data going the other way) nothing drives the bus: all ones.
 * The per-word path: two byte loads and a compare. */
static uint16_t ide_data_in(struct ide_channel *c)
{
	struct ide_drive *d = ide_cur(c);
	uint32_t pos = d->pio_pos;
	uint16_t v;

	if (!(d->status & ATA_SR_DRQ) || d->pio_out || pos >= d->pio_len)
		return 0xffff;
	v = d->pio_ptr[pos];
	if (pos + 1 < d->pio_len) /* odd ATAPI byte count: last byte alone */
		v |= (uint16_t)(d->pio_ptr[pos + 1] << 8);
	d->pio_pos = pos + 2;
	if (d->pio_pos >= d->pio_len)
		ide_pio_block_done(c, d);
	return v;
}

/* One 16-bit write of the data register; ignored without DRQ. */
static void ide_data_out(struct ide_channel *c, uint16_t v)
{
	struct ide_drive *d = ide_cur(c);
	uint32_t pos = d->pio_pos;

	if (!(d->status & ATA_SR_DRQ) || !d->pio_out || pos >= d->pio_len)
		return;
	d->pio_ptr[pos] = (uint8_t)v;
	if (pos + 1 < d->pio_len)
		d->pio_ptr[pos + 1] = (uint8_t)(v >> 8);
	d->pio_pos = pos + 2;
	if (d->pio_pos >= d->pio_len)
		ide_pio_block_done(c, d);
}

/* --- Legacy channel registers ------------------------------------------- */

/* Reads of the command block (ATA-6 7.1).  An absent device answers 0
 * for everything but the device register (QEMU's behaviour, which
 * SeaBIOS's and Linux's probes rely on: the 55h/AAh echo test fails and
 * status 0 is "nothing there").  With HOB set, the 48-bit registers give
 * their previous contents (ATA-6 6.20). */
uint32_t ide_cmd_read(void *opaque, uint16_t port, unsigned size)
{
	struct ide_channel *c = opaque;
	struct ide_drive *d = ide_cur(c);
	unsigned reg = port & 7;
	bool hob = c->devctl & ATA_DC_HOB;

	if (reg == ATA_REG_DATA) {
		uint32_t v = ide_data_in(c);

		if (size == 4) /* the PIIX3 splits a dword into two word cycles */
			v |= (uint32_t)ide_data_in(c) << 16;
		return v;
	}
	if (reg == ATA_REG_STATUS)
		ide_lower_irq(c); /* an absent device drives no INTRQ either */
	if (d->media == IDE_MEDIA_NONE)
		return reg == ATA_REG_DEVICE ? d->select : 0;
	switch (reg) {
	case ATA_REG_ERROR:
		return d->error;
	case ATA_REG_NSECT:
		return hob ? d->hob_nsect : d->nsect;
	case ATA_REG_LBA_LOW:
		return hob ? d->hob_lba_low : d->lba_low;
	case ATA_REG_LBA_MID:
		return hob ? d->hob_lba_mid : d->lba_mid;
	case ATA_REG_LBA_HIGH:
		return hob ? d->hob_lba_high : d->lba_high;
	case ATA_REG_DEVICE:
		return d->select;
	default: /* ATA_REG_STATUS */
		return d->status;
	}
}

/* A new command (ATA-6 7.4): it clears the pending interrupt and
 * abandons whatever transfer the device was in.  Commands to an absent
 * device are ignored, as are commands during a software reset. */
static void ide_command(struct ide_channel *c, uint8_t cmd)
{
	struct ide_drive *d = ide_cur(c);

	if (d->media == IDE_MEDIA_NONE || (c->devctl & ATA_DC_SRST))
		return;
	ide_lower_irq(c);
	d->pio_len = d->pio_pos = 0;
	d->xfer_left = 0;
	d->dma_pending = false;
	d->cmd = cmd;
	d->error = 0;
	if (d->media == IDE_MEDIA_CD)
		atapi_command(c, d, cmd);
	else
		ata_command(c, d, cmd);
}

/* Writes of the command block.  Both devices latch every register but
 * Command (ATA-6 7.1); the 48-bit registers are two-deep FIFOs (ATA-6
 * 6.20) and any such write clears HOB in the device control register. */
void ide_cmd_write(void *opaque, uint16_t port, unsigned size, uint32_t val)
{
	struct ide_channel *c = opaque;
	unsigned reg = port & 7;
	uint8_t b = (uint8_t)val;

	if (reg == ATA_REG_DATA) {
		ide_data_out(c, (uint16_t)val);
		if (size == 4)
			ide_data_out(c, (uint16_t)(val >> 16));
		return;
	}
	if (reg == ATA_REG_COMMAND) {
		ide_command(c, b);
		return;
	}
	c->devctl &= (uint8_t)~ATA_DC_HOB;
	for (unsigned i = 0; i < IDE_DRIVES_PER_CHANNEL; i++) {
		struct ide_drive *d = &c->drive[i];

		switch (reg) {
		case ATA_REG_FEATURE:
			d->hob_feature = d->feature;
			d->feature = b;
			break;
		case ATA_REG_NSECT:
			d->hob_nsect = d->nsect;
			d->nsect = b;
			break;
		case ATA_REG_LBA_LOW:
			d->hob_lba_low = d->lba_low;
			d->lba_low = b;
			break;
		case ATA_REG_LBA_MID:
			d->hob_lba_mid = d->lba_mid;
			d->lba_mid = b;
			break;
		case ATA_REG_LBA_HIGH:
			d->hob_lba_high = d->lba_high;
			d->lba_high = b;
			break;
		default: /* ATA_REG_DEVICE */
			d->select = b;
			break;
		}
	}
	if (reg == ATA_REG_DEVICE) {
		c->cur = (b & ATA_DEV_DEV) ? 1 : 0;
		ide_update_irq(c);
	}
}

/* Alternate Status (ATA-6 7.3): the status without acknowledging the
 * interrupt; 0 for an absent device. */
uint32_t ide_ctrl_read(void *opaque, uint16_t port, unsigned size)
{
	struct ide_channel *c = opaque;
	struct ide_drive *d = ide_cur(c);

	(void)port;
	(void)size;
	return d->media == IDE_MEDIA_NONE ? 0 : d->status;
}

/* Device control (ATA-6 7.8): nIEN masks INTRQ at once; SRST set puts
 * both devices into reset (BSY), SRST cleared lets them come out with
 * their signatures and device 0 selected (ATA-6 9.2).  Settings such as
 * the multiple count and transfer mode survive (as after SET FEATURES
 * 66h, "disable reverting to power-on defaults"). */
void ide_ctrl_write(void *opaque, uint16_t port, unsigned size, uint32_t val)
{
	struct ide_channel *c = opaque;
	uint8_t old = c->devctl;

	(void)port;
	(void)size;
	c->devctl = (uint8_t)val;
	if ((val & ATA_DC_SRST) && !(old & ATA_DC_SRST)) {
		for (unsigned i = 0; i < IDE_DRIVES_PER_CHANNEL; i++) {
			struct ide_drive *d = &c->drive[i];

			if (d->media == IDE_MEDIA_NONE)
				continue;
			ide_reset_drive(d);
			d->status = ATA_SR_BSY;
		}
		c->intrq = false;
	} else if (!(val & ATA_DC_SRST) && (old & ATA_DC_SRST)) {
		for (unsigned i = 0; i < IDE_DRIVES_PER_CHANNEL; i++) {
			ide_reset_drive(&c->drive[i]);
			c->drive[i].select = 0;
		}
		c->cur = 0;
	}
	ide_update_irq(c);
}

/* --- The live exit trace ------------------------------------------------- */

/* The name of an ATA command opcode (ATA-6 chapter 8), for people. */
static const char *ata_command_name(uint8_t cmd)
{
	switch (cmd) {
	case ATA_CMD_READ_SECTORS: case ATA_CMD_READ_SECTORS_NORETRY: return "READ SECTORS";
	case ATA_CMD_READ_SECTORS_EXT: return "READ SECTORS EXT";
	case ATA_CMD_WRITE_SECTORS: case ATA_CMD_WRITE_SECTORS_NORETRY: return "WRITE SECTORS";
	case ATA_CMD_WRITE_SECTORS_EXT: return "WRITE SECTORS EXT";
	case ATA_CMD_READ_MULTIPLE: return "READ MULTIPLE";
	case ATA_CMD_WRITE_MULTIPLE: return "WRITE MULTIPLE";
	case ATA_CMD_READ_DMA: case ATA_CMD_READ_DMA_NORETRY: return "READ DMA";
	case ATA_CMD_READ_DMA_EXT: return "READ DMA EXT";
	case ATA_CMD_WRITE_DMA: case ATA_CMD_WRITE_DMA_NORETRY: return "WRITE DMA";
	case ATA_CMD_WRITE_DMA_EXT: return "WRITE DMA EXT";
	case ATA_CMD_IDENTIFY_DEVICE: return "IDENTIFY DEVICE";
	case ATA_CMD_IDENTIFY_PACKET_DEVICE: return "IDENTIFY PACKET DEVICE";
	case ATA_CMD_PACKET: return "PACKET";
	case ATA_CMD_SET_FEATURES: return "SET FEATURES";
	case ATA_CMD_SET_MULTIPLE_MODE: return "SET MULTIPLE MODE";
	case ATA_CMD_FLUSH_CACHE: case ATA_CMD_FLUSH_CACHE_EXT: return "FLUSH CACHE";
	case ATA_CMD_EXECUTE_DEVICE_DIAGNOSTIC: return "EXECUTE DEVICE DIAGNOSTIC";
	case ATA_CMD_INITIALIZE_DEVICE_PARAMETERS: return "INITIALIZE DEVICE PARAMETERS";
	default: return NULL;
	}
}

/* Command block: the register touched, the command written, or the
 * status bits read (ATA-6 7.15 Status register). */
static int ide_cmd_explain(void *opaque, uint16_t port, unsigned size, bool in, uint32_t val,
			   char *buf, unsigned len)
{
	static const char *const reg_in[8] = { "data", "error", "sector count", "LBA low",
					       "LBA mid", "LBA high", "device", "status" };
	static const char *const reg_out[8] = { "data", "features", "sector count", "LBA low",
						"LBA mid", "LBA high", "device", "command" };
	const struct ide_channel *ch = opaque;
	unsigned reg = port & 7;
	const char *name;

	(void)size;
	if (!in && reg == ATA_REG_COMMAND) {
		name = ata_command_name((uint8_t)val);
		return name ? ksnprintf(buf, len, "ch%u %s", ch->index, name)
			    : ksnprintf(buf, len, "ch%u command %#x", ch->index, (unsigned)val);
	}
	if (in && reg == ATA_REG_STATUS)
		return ksnprintf(buf, len, "ch%u status%s%s%s%s", ch->index,
				 val & ATA_SR_BSY ? " BSY" : "", val & ATA_SR_DRDY ? " DRDY" : "",
				 val & ATA_SR_DRQ ? " DRQ" : "", val & ATA_SR_ERR ? " ERR" : "");
	return ksnprintf(buf, len, "ch%u %s", ch->index, in ? reg_in[reg] : reg_out[reg]);
}

/* Control block: alternate status, or SRST/nIEN (ATA-6 7.9). */
static int ide_ctrl_explain(void *opaque, uint16_t port, unsigned size, bool in, uint32_t val,
			    char *buf, unsigned len)
{
	const struct ide_channel *ch = opaque;

	(void)port;
	(void)size;
	if (in)
		return ksnprintf(buf, len, "ch%u alternate status", ch->index);
	return ksnprintf(buf, len, "ch%u device control%s%s", ch->index,
			 val & ATA_DC_SRST ? " SRST" : "", val & ATA_DC_NIEN ? " nIEN" : "");
}

static const struct io_ops ide_cmd_ops = {
	.name = "ide",
	.read = ide_cmd_read,
	.write = ide_cmd_write,
	.explain = ide_cmd_explain,
};

static const struct io_ops ide_ctrl_ops = {
	.name = "ide",
	.read = ide_ctrl_read,
	.write = ide_ctrl_write,
	.explain = ide_ctrl_explain,
};

/* --- Set-up -------------------------------------------------------------- */

void ide_init(struct ide *s, const struct irq_line *irq14, const struct irq_line *irq15,
	      const struct gpa_map *mem)
{
	memset(s, 0, sizeof(*s));
	s->mem = mem;
	for (unsigned i = 0; i < IDE_CHANNELS; i++) {
		const struct irq_line *l = i ? irq15 : irq14;
		struct ide_channel *c = &s->ch[i];

		c->ide = s;
		c->index = i;
		if (l)
			c->irq = *l;
		for (unsigned j = 0; j < IDE_DRIVES_PER_CHANNEL; j++)
			c->drive[j].unit = i * IDE_DRIVES_PER_CHANNEL + j;
	}
}

/* ATA-6 8.15.9-8.15.11: the default translation is 16 heads and 63
 * sectors per track, with at most 16383 cylinders (the rest of a bigger
 * disk is reachable by LBA only). */
int ide_attach_disk(struct ide *s, unsigned unit, void *image, uint64_t size,
		    enum ide_media media)
{
	uint64_t block = media == IDE_MEDIA_CD ? ATAPI_SECTOR_SIZE : ATA_SECTOR_SIZE;
	struct ide_drive *d;
	uint64_t cyls;

	if (unit >= IDE_UNITS || !image || size == 0 || size % block ||
	    (media != IDE_MEDIA_HD && media != IDE_MEDIA_CD))
		return -1;
	d = &s->ch[unit / IDE_DRIVES_PER_CHANNEL].drive[unit % IDE_DRIVES_PER_CHANNEL];
	if (d->media != IDE_MEDIA_NONE)
		return -1;
	d->media = media;
	d->image = image;
	d->size = size;
	d->nsectors = size / block;
	d->heads = d->cur_heads = 16;
	d->sectors = d->cur_sectors = 63;
	cyls = d->nsectors / (16 * 63);
	if (cyls > 16383)
		cyls = 16383;
	if (cyls == 0)
		cyls = 1;
	d->cyls = d->cur_cyls = (uint16_t)cyls;
	d->mult = 0;
	d->pio_mode = ATA_MAX_PIO_MODE;
	d->mwdma_mode = ATA_MAX_MWDMA_MODE; /* what a BIOS would have set */
	d->udma_mode = ATA_MODE_NONE;
	d->wcache = true;
	ide_reset_drive(d);
	return 0;
}

/* PIIX3: the compatibility-mode ports of both channels (always decoded,
 * whatever IDETIM and PCICMD say), then the PCI function. */
int ide_attach(struct ide *s, struct pci_bus *bus)
{
	static const uint16_t base[IDE_CHANNELS] = { IDE_PRIMARY_BASE, IDE_SECONDARY_BASE };
	static const uint16_t ctrl[IDE_CHANNELS] = { IDE_PRIMARY_CTRL, IDE_SECONDARY_CTRL };

	for (unsigned i = 0; i < IDE_CHANNELS; i++) {
		if (io_register(base[i], IDE_CMD_BLOCK_PORTS, &ide_cmd_ops, &s->ch[i]) ||
		    io_register(ctrl[i], 1, &ide_ctrl_ops, &s->ch[i]))
			return -1;
	}
	return ide_pci_attach(s, bus);
}
