/*
 * The ATA command set of the IDE hard disk (see include/ide.h), after
 * ATA/ATAPI-6 ("ATA-6") section 8 (commands), 6.2 (CHS and LBA
 * addressing), 6.20 (48-bit addressing) and 9 (protocols).
 *
 * Every address and count comes from the guest: a command is checked
 * against the image before any data phase starts, so a transfer never
 * reaches past the image (IDNF instead, with nothing moved).
 */
#include "ide_internal.h"
#include "lib.h"

#define ATA_LBA28_MAX 0x0fffffffu
#define ATA_MAX_CYLS 16383
#define ATA_MAX_CUR_CYLS 65535

/* IDENTIFY DEVICE word numbers (ATA-6 8.15, table 13). */
#define ID_CONFIG 0
#define ID_CYLS 1
#define ID_HEADS 3
#define ID_SECTORS 6
#define ID_SERIAL 10     /* 10 words */
#define ID_FIRMWARE 23   /* 4 words */
#define ID_MODEL 27      /* 20 words */
#define ID_MAX_MULTIPLE 47
#define ID_CAPABILITIES 49
#define ID_CAPABILITIES2 50
#define ID_PIO_TIMING 51
#define ID_FIELD_VALID 53
#define ID_CUR_CYLS 54
#define ID_CUR_HEADS 55
#define ID_CUR_SECTORS 56
#define ID_CUR_CAPACITY 57 /* 2 words */
#define ID_MULTIPLE 59
#define ID_LBA28_CAPACITY 60 /* 2 words */
#define ID_MWDMA 63
#define ID_PIO_MODES 64
#define ID_MWDMA_MIN_CYCLE 65
#define ID_MWDMA_REC_CYCLE 66
#define ID_PIO_MIN_CYCLE 67
#define ID_PIO_IORDY_CYCLE 68
#define ID_MAJOR_VERSION 80
#define ID_MINOR_VERSION 81
#define ID_CMDSET1 82
#define ID_CMDSET2 83
#define ID_CMDSET_EXT 84
#define ID_CMDSET1_EN 85
#define ID_CMDSET2_EN 86
#define ID_CMDSET_EXT_EN 87
#define ID_UDMA 88
#define ID_HW_RESET 93
#define ID_LBA48_CAPACITY 100 /* 4 words */

#define ID_CONFIG_ATA_FIXED 0x0040       /* word 0: ATA, not removable */
#define ID_MULTIPLE_HIGH 0x8000          /* word 47 bits 15:8 = 80h */
#define ID_MULTIPLE_VALID 0x0100         /* word 59 bit 8 */
#define ID_CAP_IORDY 0x0800              /* word 49 */
#define ID_CAP_LBA 0x0200
#define ID_CAP_DMA 0x0100
#define ID_WORD_VALID 0x4000             /* bit 14 = 1, bit 15 = 0 */
#define ID_VALID_54_58 0x0001            /* word 53 */
#define ID_VALID_64_70 0x0002
#define ID_VALID_88 0x0004
#define ID_PIO_MODES_3_4 0x0003          /* word 64 */
#define ID_MWDMA_0_2 0x0007              /* word 63 bits 2:0 */
#define ID_UDMA_0_5 0x003f               /* word 88 bits 5:0 */
#define ID_MODE_SELECTED_SHIFT 8
#define ID_CYCLE_NS 120                  /* PIO 4 / MWDMA 2 cycle time */
#define ID_ATA_1_TO_6 0x007e             /* word 80 */
#define ID_ATA6_MINOR 0x0022             /* word 81: ATA/ATAPI-6 published */
#define ID_CMD_PM 0x0008                 /* words 82/85 */
#define ID_CMD_WCACHE 0x0020
#define ID_CMD_FLUSH_EXT 0x2000          /* words 83/86 */
#define ID_CMD_FLUSH 0x1000
#define ID_CMD_LBA48 0x0400
#define ID_HW_RESET_80W 0x6001           /* word 93: 80-wire cable, dev 0 */

static const char ata_model[] = "lamina ATA disk";
static const char ide_firmware[] = "1.0";

/* --- IDENTIFY DEVICE ----------------------------------------------------- */

static void id_put(uint8_t *id, unsigned word, uint16_t v)
{
	ide_put_le16(id + 2 * word, v);
}

/* A serial number unique per unit ("LAMINA-IDE-0" .. "-3"). */
static void ide_serial(char *out, unsigned unit)
{
	static const char base[] = "LAMINA-IDE-0";

	memcpy(out, base, sizeof(base));
	out[sizeof(base) - 2] = (char)('0' + unit);
}

/* ATA-6 8.15 IDENTIFY DEVICE data: the geometry and capacity words, the
 * supported and selected transfer modes, and the feature sets this
 * model implements (48-bit addressing, FLUSH CACHE (EXT), write cache,
 * power management). */
static void ata_identify(struct ide_drive *d)
{
	uint8_t *id = d->buf;
	uint64_t lba28 = d->nsectors < ATA_LBA28_MAX ? d->nsectors : ATA_LBA28_MAX;
	uint32_t cur = (uint32_t)d->cur_cyls * d->cur_heads * d->cur_sectors;
	char serial[16];

	memset(id, 0, ATA_SECTOR_SIZE);
	ide_serial(serial, d->unit);
	id_put(id, ID_CONFIG, ID_CONFIG_ATA_FIXED);
	id_put(id, ID_CYLS, d->cyls);
	id_put(id, ID_HEADS, d->heads);
	id_put(id, ID_SECTORS, d->sectors);
	ide_id_string(id, ID_SERIAL, 10, serial);
	ide_id_string(id, ID_FIRMWARE, 4, ide_firmware);
	ide_id_string(id, ID_MODEL, 20, ata_model);
	id_put(id, ID_MAX_MULTIPLE, ID_MULTIPLE_HIGH | ATA_MAX_MULTIPLE);
	id_put(id, ID_CAPABILITIES, ID_CAP_IORDY | ID_CAP_LBA | ID_CAP_DMA);
	id_put(id, ID_CAPABILITIES2, ID_WORD_VALID);
	id_put(id, ID_PIO_TIMING, 0x0200); /* obsolete: PIO mode 2 timing */
	id_put(id, ID_FIELD_VALID, ID_VALID_54_58 | ID_VALID_64_70 | ID_VALID_88);
	id_put(id, ID_CUR_CYLS, d->cur_cyls);
	id_put(id, ID_CUR_HEADS, d->cur_heads);
	id_put(id, ID_CUR_SECTORS, d->cur_sectors);
	id_put(id, ID_CUR_CAPACITY, (uint16_t)cur);
	id_put(id, ID_CUR_CAPACITY + 1, (uint16_t)(cur >> 16));
	id_put(id, ID_MULTIPLE, d->mult ? ID_MULTIPLE_VALID | d->mult : 0);
	id_put(id, ID_LBA28_CAPACITY, (uint16_t)lba28);
	id_put(id, ID_LBA28_CAPACITY + 1, (uint16_t)(lba28 >> 16));
	id_put(id, ID_MWDMA, ID_MWDMA_0_2 | (d->mwdma_mode != ATA_MODE_NONE ?
			     1u << (ID_MODE_SELECTED_SHIFT + d->mwdma_mode) : 0));
	id_put(id, ID_PIO_MODES, ID_PIO_MODES_3_4);
	id_put(id, ID_MWDMA_MIN_CYCLE, ID_CYCLE_NS);
	id_put(id, ID_MWDMA_REC_CYCLE, ID_CYCLE_NS);
	id_put(id, ID_PIO_MIN_CYCLE, ID_CYCLE_NS);
	id_put(id, ID_PIO_IORDY_CYCLE, ID_CYCLE_NS);
	id_put(id, ID_MAJOR_VERSION, ID_ATA_1_TO_6);
	id_put(id, ID_MINOR_VERSION, ID_ATA6_MINOR);
	id_put(id, ID_CMDSET1, ID_CMD_PM | ID_CMD_WCACHE);
	id_put(id, ID_CMDSET2, ID_WORD_VALID | ID_CMD_FLUSH_EXT | ID_CMD_FLUSH | ID_CMD_LBA48);
	id_put(id, ID_CMDSET_EXT, ID_WORD_VALID);
	id_put(id, ID_CMDSET1_EN, ID_CMD_PM | (d->wcache ? ID_CMD_WCACHE : 0));
	id_put(id, ID_CMDSET2_EN, ID_CMD_FLUSH_EXT | ID_CMD_FLUSH | ID_CMD_LBA48);
	id_put(id, ID_CMDSET_EXT_EN, ID_WORD_VALID);
	id_put(id, ID_UDMA, ID_UDMA_0_5 | (d->udma_mode != ATA_MODE_NONE ?
			    1u << (ID_MODE_SELECTED_SHIFT + d->udma_mode) : 0));
	id_put(id, ID_HW_RESET, ID_HW_RESET_80W);
	for (unsigned i = 0; i < 4; i++)
		id_put(id, ID_LBA48_CAPACITY + i, (uint16_t)(d->nsectors >> (16 * i)));
	ide_id_checksum(id);
}

/* --- Addressing ---------------------------------------------------------- */

/*
 * The first sector and the count of a read/write/verify command from the
 * task file.  LBA48 (ATA-6 6.20): 48 bits from the current and previous
 * LBA registers, count 0 = 65536.  LBA28 (6.2.2): device register bits
 * 3:0 are LBA 27:24, count 0 = 256.  CHS (6.2.1): cylinder in LBA
 * mid/high, head in the device register, sector (from 1) in LBA low,
 * translated through the current geometry; an address outside it does
 * not exist.  false: no such sectors (IDNF).
 */
static bool ata_range(struct ide_drive *d, bool lba48, uint64_t *lba, uint32_t *count)
{
	if (lba48) {
		d->addr_mode = IDE_ADDR_LBA48;
		*lba = (uint64_t)d->hob_lba_high << 40 | (uint64_t)d->hob_lba_mid << 32 |
		       (uint64_t)d->hob_lba_low << 24 | (uint64_t)d->lba_high << 16 |
		       (uint64_t)d->lba_mid << 8 | d->lba_low;
		*count = (uint32_t)d->hob_nsect << 8 | d->nsect;
		if (*count == 0)
			*count = 65536;
	} else {
		*count = d->nsect ? d->nsect : 256;
		if (d->select & ATA_DEV_LBA) {
			d->addr_mode = IDE_ADDR_LBA28;
			*lba = (uint64_t)(d->select & ATA_DEV_HEAD_MASK) << 24 |
			       (uint64_t)d->lba_high << 16 | (uint64_t)d->lba_mid << 8 |
			       d->lba_low;
		} else {
			unsigned cyl = (unsigned)d->lba_high << 8 | d->lba_mid;
			unsigned head = d->select & ATA_DEV_HEAD_MASK;
			unsigned sect = d->lba_low;

			d->addr_mode = IDE_ADDR_CHS;
			if (sect == 0 || sect > d->cur_sectors || head >= d->cur_heads ||
			    cyl >= d->cur_cyls)
				return false;
			*lba = ((uint64_t)cyl * d->cur_heads + head) * d->cur_sectors + sect - 1;
		}
	}
	return *lba < d->nsectors && *count <= d->nsectors - *lba;
}

/* ATA-3 and later outputs: after a transfer the task file holds the
 * address of the last sector moved, in the mode the command used
 * (drivers use it to resume after an error). */
static void ata_set_address(struct ide_drive *d, uint64_t lba)
{
	if (d->addr_mode == IDE_ADDR_CHS) {
		uint32_t track = (uint32_t)(lba / d->cur_sectors);
		uint32_t cyl = track / d->cur_heads;

		d->lba_low = (uint8_t)(lba % d->cur_sectors + 1);
		d->lba_mid = (uint8_t)cyl;
		d->lba_high = (uint8_t)(cyl >> 8);
		d->select = (uint8_t)((d->select & ~ATA_DEV_HEAD_MASK) | track % d->cur_heads);
		return;
	}
	d->lba_low = (uint8_t)lba;
	d->lba_mid = (uint8_t)(lba >> 8);
	d->lba_high = (uint8_t)(lba >> 16);
	if (d->addr_mode == IDE_ADDR_LBA28) {
		d->select = (uint8_t)((d->select & ~ATA_DEV_HEAD_MASK) |
				      ((lba >> 24) & ATA_DEV_HEAD_MASK));
	} else {
		d->hob_lba_low = (uint8_t)(lba >> 24);
		d->hob_lba_mid = (uint8_t)(lba >> 32);
		d->hob_lba_high = (uint8_t)(lba >> 40);
	}
}

static bool ata_is_dma(uint8_t cmd)
{
	return cmd == ATA_CMD_READ_DMA || cmd == ATA_CMD_READ_DMA_NORETRY ||
	       cmd == ATA_CMD_READ_DMA_EXT || cmd == ATA_CMD_WRITE_DMA ||
	       cmd == ATA_CMD_WRITE_DMA_NORETRY || cmd == ATA_CMD_WRITE_DMA_EXT;
}

/* ATA-6 9.7/9.8/9.9: at the end of a data command the task file holds
 * the last address; data-out and DMA commands interrupt once more, a
 * PIO data-in command does not (its last interrupt came with the last
 * block).  IDENTIFY DEVICE leaves the task file alone. */
void ata_xfer_done(struct ide_channel *c, struct ide_drive *d)
{
	if (d->cmd != ATA_CMD_IDENTIFY_DEVICE) {
		ata_set_address(d, d->end_lba);
		d->nsect = d->hob_nsect = 0;
	}
	d->standby = false;
	if (d->pio_out || ata_is_dma(d->cmd))
		ide_cmd_ok(c, d);
	else
		d->status = ATA_SR_DRDY | ATA_SR_DSC;
}

/* --- Data commands ------------------------------------------------------- */

/* READ/WRITE SECTORS (EXT) (ATA-6 8.27, 8.28, 8.57, 8.58): one sector
 * per DRQ block; READ/WRITE MULTIPLE (EXT) (8.24, 8.25, 8.54, 8.55):
 * the SET MULTIPLE count per block, aborted while multiple mode is off.
 * Sectors past the end: IDNF, nothing moved. */
static void ata_rw_pio(struct ide_channel *c, struct ide_drive *d, bool lba48, bool multiple,
		       bool write)
{
	uint64_t lba;
	uint32_t count;

	if (multiple && !d->mult) {
		ide_cmd_error(c, d, ATA_ER_ABRT);
		return;
	}
	if (!ata_range(d, lba48, &lba, &count)) {
		ide_cmd_error(c, d, ATA_ER_IDNF);
		return;
	}
	d->end_lba = lba + count - 1;
	ide_pio_start(c, d, d->image + lba * ATA_SECTOR_SIZE, (uint64_t)count * ATA_SECTOR_SIZE,
		      (multiple ? d->mult : 1) * ATA_SECTOR_SIZE, write);
}

/* READ/WRITE DMA (EXT) (ATA-6 8.23, 8.53 and 8.22, 8.52): the sectors
 * move through the PIIX3 bus master once the guest starts it. */
static void ata_rw_dma(struct ide_channel *c, struct ide_drive *d, bool lba48, bool write)
{
	uint64_t lba;
	uint32_t count;

	if (!ata_range(d, lba48, &lba, &count)) {
		ide_cmd_error(c, d, ATA_ER_IDNF);
		return;
	}
	d->end_lba = lba + count - 1;
	d->pio_out = write;
	ide_dma_start(c, d, d->image + lba * ATA_SECTOR_SIZE, (uint64_t)count * ATA_SECTOR_SIZE,
		      !write);
}

/* READ VERIFY SECTORS (EXT) (ATA-6 8.30, 8.31): like a read without the
 * data phase; the in-RAM medium always verifies. */
static void ata_verify(struct ide_channel *c, struct ide_drive *d, bool lba48)
{
	uint64_t lba;
	uint32_t count;

	if (!ata_range(d, lba48, &lba, &count)) {
		ide_cmd_error(c, d, ATA_ER_IDNF);
		return;
	}
	ata_set_address(d, lba + count - 1);
	d->nsect = d->hob_nsect = 0;
	ide_cmd_ok(c, d);
}

/* SEEK (ATA-6 8.36): the address must exist; nothing else happens. */
static void ata_seek(struct ide_channel *c, struct ide_drive *d)
{
	uint8_t nsect = d->nsect;
	uint64_t lba;
	uint32_t count;
	bool ok;

	d->nsect = 1; /* only the address matters */
	ok = ata_range(d, false, &lba, &count);
	d->nsect = nsect;
	if (!ok) {
		ide_cmd_error(c, d, ATA_ER_IDNF);
		return;
	}
	ide_cmd_ok(c, d);
}

/* --- Settings ------------------------------------------------------------ */

/* SET MULTIPLE MODE (ATA-6 8.39): a power of two up to IDENTIFY word
 * 47's maximum enables multiple mode; 0 disables it; anything else is
 * aborted and the old setting stays. */
static void ata_set_multiple(struct ide_channel *c, struct ide_drive *d)
{
	uint8_t n = d->nsect;

	if (n > ATA_MAX_MULTIPLE || (n & (n - 1))) {
		ide_cmd_error(c, d, ATA_ER_ABRT);
		return;
	}
	d->mult = n;
	ide_cmd_ok(c, d);
}

/* INITIALIZE DEVICE PARAMETERS (ATA-6 8.16): sectors per track from the
 * sector count, heads = device register bits 3:0 + 1; the cylinders
 * follow from the capacity (at most 65535).  A geometry the device
 * cannot use (0 sectors) is aborted. */
static void ata_init_params(struct ide_channel *c, struct ide_drive *d)
{
	unsigned spt = d->nsect, heads = (d->select & ATA_DEV_HEAD_MASK) + 1u;
	uint64_t cyls;

	if (spt == 0) {
		ide_cmd_error(c, d, ATA_ER_ABRT);
		return;
	}
	cyls = d->nsectors / (spt * heads);
	if (cyls > ATA_MAX_CUR_CYLS)
		cyls = ATA_MAX_CUR_CYLS;
	d->cur_sectors = (uint16_t)spt;
	d->cur_heads = (uint16_t)heads;
	d->cur_cyls = (uint16_t)cyls;
	ide_cmd_ok(c, d);
}

/* SET FEATURES 03h (ATA-6 8.37.10): the transfer mode in the sector
 * count; selecting a DMA mode deselects the other kind, as IDENTIFY
 * words 63 and 88 then show.  Unsupported modes are aborted. */
static bool ata_set_xfer_mode(struct ide_drive *d, uint8_t v)
{
	unsigned mode = v & ATA_XFER_MODE_MASK;

	switch (v & ~ATA_XFER_MODE_MASK) {
	case ATA_XFER_PIO_DEFAULT:
		if (mode > ATA_XFER_PIO_DEFAULT_NOIORDY)
			return false;
		d->pio_mode = 0;
		return true;
	case ATA_XFER_PIO_FLOW:
		if (mode > ATA_MAX_PIO_MODE)
			return false;
		d->pio_mode = (uint8_t)mode;
		return true;
	case ATA_XFER_MWDMA:
		if (mode > ATA_MAX_MWDMA_MODE)
			return false;
		d->mwdma_mode = (uint8_t)mode;
		d->udma_mode = ATA_MODE_NONE;
		return true;
	case ATA_XFER_UDMA:
		if (mode > ATA_MAX_UDMA_MODE)
			return false;
		d->udma_mode = (uint8_t)mode;
		d->mwdma_mode = ATA_MODE_NONE;
		return true;
	default:
		return false;
	}
}

/* SET FEATURES (ATA-6 8.37): transfer mode, write cache on/off (the
 * image is always written at once; only IDENTIFY word 85 changes),
 * read look-ahead and reverting to defaults (accepted, no effect).
 * Other subcommands are aborted. */
static void ata_set_features(struct ide_channel *c, struct ide_drive *d)
{
	bool ok = true;

	switch (d->feature) {
	case ATA_SF_SET_XFER_MODE:
		ok = ata_set_xfer_mode(d, d->nsect);
		break;
	case ATA_SF_ENABLE_WCACHE:
		d->wcache = true;
		break;
	case ATA_SF_DISABLE_WCACHE:
		d->wcache = false;
		break;
	case ATA_SF_ENABLE_LOOKAHEAD:
	case ATA_SF_DISABLE_LOOKAHEAD:
	case ATA_SF_ENABLE_REVERT:
	case ATA_SF_DISABLE_REVERT:
		break;
	default:
		ok = false;
		break;
	}
	if (ok)
		ide_cmd_ok(c, d);
	else
		ide_cmd_error(c, d, ATA_ER_ABRT);
}

/* --- Dispatch ------------------------------------------------------------ */

/* Commands for ATA and PACKET devices alike (ATA-6 8.6 CHECK POWER
 * MODE, 8.11 EXECUTE DEVICE DIAGNOSTIC, 8.17/8.18 IDLE (IMMEDIATE),
 * 8.45/8.46 STANDBY (IMMEDIATE), 8.37 SET FEATURES, 8.12/8.13 FLUSH
 * CACHE (EXT)); an opcode the device does not know: ABRT (ATA-6 6.5). */
void ata_common_command(struct ide_channel *c, struct ide_drive *d, uint8_t cmd)
{
	switch (cmd) {
	case ATA_CMD_EXECUTE_DEVICE_DIAGNOSTIC:
		ide_diagnostic(c);
		break;
	case ATA_CMD_SET_FEATURES:
		ata_set_features(c, d);
		break;
	case ATA_CMD_CHECK_POWER_MODE:
		d->nsect = d->standby ? ATA_POWER_STANDBY : ATA_POWER_ACTIVE;
		ide_cmd_ok(c, d);
		break;
	case ATA_CMD_IDLE:
	case ATA_CMD_IDLE_IMMEDIATE:
		d->standby = false;
		ide_cmd_ok(c, d);
		break;
	case ATA_CMD_STANDBY:
	case ATA_CMD_STANDBY_IMMEDIATE:
		d->standby = true;
		ide_cmd_ok(c, d);
		break;
	case ATA_CMD_FLUSH_CACHE:
	case ATA_CMD_FLUSH_CACHE_EXT:
		ide_cmd_ok(c, d); /* writes reach the image at once */
		break;
	default:
		ide_cmd_error(c, d, ATA_ER_ABRT);
		break;
	}
}

/* The hard disk's command set.  PACKET, IDENTIFY PACKET DEVICE and
 * DEVICE RESET belong to PACKET devices and are aborted (ATA-6 8.10,
 * 8.16, 8.21). */
void ata_command(struct ide_channel *c, struct ide_drive *d, uint8_t cmd)
{
	if ((cmd & 0xf0) == ATA_CMD_RECALIBRATE) {
		/* ATA-6 obsolete, ATA-1 8.x: head to cylinder 0; a no-op here */
		ide_cmd_ok(c, d);
		return;
	}
	if ((cmd & 0xf0) == ATA_CMD_SEEK) {
		ata_seek(c, d);
		return;
	}
	switch (cmd) {
	case ATA_CMD_IDENTIFY_DEVICE:
		ata_identify(d);
		ide_pio_start(c, d, d->buf, ATA_SECTOR_SIZE, ATA_SECTOR_SIZE, false);
		break;
	case ATA_CMD_READ_SECTORS:
	case ATA_CMD_READ_SECTORS_NORETRY:
		ata_rw_pio(c, d, false, false, false);
		break;
	case ATA_CMD_READ_SECTORS_EXT:
		ata_rw_pio(c, d, true, false, false);
		break;
	case ATA_CMD_READ_MULTIPLE:
		ata_rw_pio(c, d, false, true, false);
		break;
	case ATA_CMD_READ_MULTIPLE_EXT:
		ata_rw_pio(c, d, true, true, false);
		break;
	case ATA_CMD_WRITE_SECTORS:
	case ATA_CMD_WRITE_SECTORS_NORETRY:
		ata_rw_pio(c, d, false, false, true);
		break;
	case ATA_CMD_WRITE_SECTORS_EXT:
		ata_rw_pio(c, d, true, false, true);
		break;
	case ATA_CMD_WRITE_MULTIPLE:
		ata_rw_pio(c, d, false, true, true);
		break;
	case ATA_CMD_WRITE_MULTIPLE_EXT:
		ata_rw_pio(c, d, true, true, true);
		break;
	case ATA_CMD_READ_DMA:
	case ATA_CMD_READ_DMA_NORETRY:
		ata_rw_dma(c, d, false, false);
		break;
	case ATA_CMD_READ_DMA_EXT:
		ata_rw_dma(c, d, true, false);
		break;
	case ATA_CMD_WRITE_DMA:
	case ATA_CMD_WRITE_DMA_NORETRY:
		ata_rw_dma(c, d, false, true);
		break;
	case ATA_CMD_WRITE_DMA_EXT:
		ata_rw_dma(c, d, true, true);
		break;
	case ATA_CMD_READ_VERIFY_SECTORS:
	case ATA_CMD_READ_VERIFY_SECTORS_NORETRY:
		ata_verify(c, d, false);
		break;
	case ATA_CMD_READ_VERIFY_SECTORS_EXT:
		ata_verify(c, d, true);
		break;
	case ATA_CMD_SET_MULTIPLE_MODE:
		ata_set_multiple(c, d);
		break;
	case ATA_CMD_INITIALIZE_DEVICE_PARAMETERS:
		ata_init_params(c, d);
		break;
	default:
		ata_common_command(c, d, cmd);
		break;
	}
}
