/*
 * The ATAPI CD-ROM (see include/ide.h): the PACKET protocol of ATA-6
 * 8.21 and 9.10 (INF-8020i) and the packet commands SeaBIOS's El Torito
 * boot, Linux's sr/libata and DOS CD drivers use, after MMC-2 (READ
 * CAPACITY, READ(10/12), READ TOC, MODE SENSE(10), GET CONFIGURATION,
 * GET EVENT STATUS NOTIFICATION, MECHANISM STATUS, START STOP UNIT,
 * PREVENT ALLOW MEDIUM REMOVAL) and SPC (TEST UNIT READY, REQUEST
 * SENSE, INQUIRY).
 *
 * Errors end the command with CHECK CONDITION: ERR in the status, the
 * sense key in error register bits 7:4 and full sense data kept for
 * REQUEST SENSE.  Replies are cut to the allocation length; reads are
 * checked against the medium before any data phase.
 */
#include "ide_internal.h"
#include "lib.h"

/* Packet opcodes (SPC, MMC-2). */
#define GPCMD_TEST_UNIT_READY 0x00
#define GPCMD_REQUEST_SENSE 0x03
#define GPCMD_INQUIRY 0x12
#define GPCMD_START_STOP_UNIT 0x1b
#define GPCMD_PREVENT_ALLOW_MEDIUM_REMOVAL 0x1e
#define GPCMD_READ_CAPACITY 0x25
#define GPCMD_READ_10 0x28
#define GPCMD_READ_TOC 0x43
#define GPCMD_GET_CONFIGURATION 0x46
#define GPCMD_GET_EVENT_STATUS_NOTIFICATION 0x4a
#define GPCMD_MODE_SENSE_10 0x5a
#define GPCMD_READ_12 0xa8
#define GPCMD_MECHANISM_STATUS 0xbd

/* SPC sense keys and additional sense codes. */
#define SENSE_NONE 0x00
#define SENSE_ILLEGAL_REQUEST 0x05
#define ASC_INVALID_OPCODE 0x20
#define ASC_LBA_OUT_OF_RANGE 0x21
#define ASC_INVALID_FIELD_IN_CDB 0x24
#define ASC_SAVING_NOT_SUPPORTED 0x39
#define SENSE_FIXED_CURRENT 0x70
#define SENSE_FIXED_LEN 18
#define SENSE_ADDITIONAL_LEN 10

/* INQUIRY (SPC 7.3.2; ATAPI devices report version 0, format 21h). */
#define INQ_TYPE_CDROM 0x05
#define INQ_RMB 0x80
#define INQ_ATAPI_FORMAT 0x21
#define INQ_LEN 36

/* MMC-2 READ TOC. */
#define TOC_MSF 0x02
#define TOC_FORMAT_TOC 0
#define TOC_FORMAT_SESSION 1
#define TOC_LEADOUT 0xaa
#define TOC_ADR_DATA 0x14     /* ADR 1, control: data track */
#define MSF_FRAMES_PER_SEC 75
#define MSF_SECS_PER_MIN 60
#define MSF_LEAD_IN 150       /* LBA 0 = 00:02:00 */

/* MMC-2 mode pages. */
#define MODE_PAGE_ERROR_RECOVERY 0x01
#define MODE_PAGE_CAPABILITIES 0x2a
#define MODE_PAGE_ALL 0x3f
#define MODE_PC_CHANGEABLE 1
#define MODE_PC_SAVED 3
#define MODE_HEADER_LEN 8
#define MODE_MEDIUM_CD_DATA 0x01  /* 120 mm CD-ROM, data only */
#define CAP_MULTISESSION 0x40
#define CAP_TRAY_EJECT_LOCK 0x29  /* tray loader, eject, lock */
#define CAP_LOCK_STATE 0x02
#define CAP_SPEED_4X 706          /* KB/s */
#define CAP_BUFFER_KB 512

/* MMC-3 GET CONFIGURATION. */
#define PROFILE_CDROM 0x0008
#define FEAT_PROFILE_LIST 0x0000
#define FEAT_CORE 0x0001
#define FEAT_REMOVABLE_MEDIUM 0x0003
#define FEAT_RANDOM_READABLE 0x0010
#define FEAT_CD_READ 0x001e
#define FEAT_CURRENT_PERSISTENT 0x03
#define CORE_INTERFACE_ATAPI 2
#define GC_RT_ALL 0
#define GC_RT_ONE 2

/* MMC-2 GET EVENT STATUS NOTIFICATION. */
#define GESN_POLLED 0x01
#define GESN_CLASS_MEDIA 0x04
#define GESN_MEDIA_MASK 0x10
#define GESN_NEA 0x80
#define GESN_MEDIA_PRESENT 0x02

#define MECH_STATUS_LEN 8

/* IDENTIFY PACKET DEVICE (ATA-6 8.16, table 16). */
#define ID_PKT_CONFIG 0x85c0  /* ATAPI, CD-ROM, removable, 50 us DRQ, 12 bytes */
#define ID_PKT_CMD_PACKET 0x0010
#define ID_PKT_CMD_PM 0x0008

static const char atapi_model[] = "lamina ATAPI CD-ROM";

static uint32_t be16(const uint8_t *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t be32(const uint8_t *p)
{
	return be16(p) << 16 | be16(p + 2);
}

/* ATA-6 8.16 IDENTIFY PACKET DEVICE data. */
static void atapi_identify(struct ide_drive *d)
{
	uint8_t *id = d->buf;
	char serial[] = "LAMINA-IDE-0";

	serial[sizeof(serial) - 2] = (char)('0' + d->unit);
	memset(id, 0, ATA_SECTOR_SIZE);
	ide_put_le16(id + 0, ID_PKT_CONFIG);
	ide_id_string(id, 10, 10, serial);
	ide_id_string(id, 23, 4, "1.0");
	ide_id_string(id, 27, 20, atapi_model);
	ide_put_le16(id + 2 * 49, 0x0b00);   /* IORDY, LBA, DMA */
	ide_put_le16(id + 2 * 50, 0x4000);
	ide_put_le16(id + 2 * 53, 0x0006);   /* words 64-70 and 88 valid */
	ide_put_le16(id + 2 * 63, 0x0007 | (d->mwdma_mode != ATA_MODE_NONE ?
					    1u << (8 + d->mwdma_mode) : 0));
	ide_put_le16(id + 2 * 64, 0x0003);   /* PIO 3 and 4 */
	for (unsigned w = 65; w <= 68; w++)
		ide_put_le16(id + 2 * w, 120);
	ide_put_le16(id + 2 * 80, 0x007e);   /* ATA/ATAPI-1 to -6 */
	ide_put_le16(id + 2 * 82, ID_PKT_CMD_PACKET | ID_PKT_CMD_PM);
	ide_put_le16(id + 2 * 83, 0x4000);
	ide_put_le16(id + 2 * 84, 0x4000);
	ide_put_le16(id + 2 * 85, ID_PKT_CMD_PACKET | ID_PKT_CMD_PM);
	ide_put_le16(id + 2 * 87, 0x4000);
	ide_put_le16(id + 2 * 88, 0x003f | (d->udma_mode != ATA_MODE_NONE ?
					    1u << (8 + d->udma_mode) : 0));
	ide_id_checksum(id);
}

/* --- Status phase -------------------------------------------------------- */

/* ATA-6 9.10 (PACKET protocol) status phase: interrupt reason I/O and
 * C/D set, DRQ clear, an interrupt.  GOOD status clears the sense. */
static void atapi_ok(struct ide_channel *c, struct ide_drive *d)
{
	d->sense_key = SENSE_NONE;
	d->asc = d->ascq = 0;
	d->error = 0;
	d->nsect = ATAPI_IR_IO | ATAPI_IR_COD;
	ide_cmd_ok(c, d);
}

/* CHECK CONDITION: the sense is kept for REQUEST SENSE; the error
 * register carries the sense key in bits 7:4 (INF-8020i 5.13). */
static void atapi_check(struct ide_channel *c, struct ide_drive *d, uint8_t key, uint8_t asc,
			uint8_t ascq)
{
	d->sense_key = key;
	d->asc = asc;
	d->ascq = ascq;
	ide_cmd_error(c, d, (uint8_t)(key << 4));
	d->nsect = ATAPI_IR_IO | ATAPI_IR_COD;
}

static void atapi_bad_field(struct ide_channel *c, struct ide_drive *d)
{
	atapi_check(c, d, SENSE_ILLEGAL_REQUEST, ASC_INVALID_FIELD_IN_CDB, 0);
}

/* A PIO or DMA data phase (or, for an IDENTIFY PACKET DEVICE, its PIO
 * data-in, which ends without an interrupt) has moved its last byte. */
void atapi_xfer_done(struct ide_channel *c, struct ide_drive *d)
{
	if (d->cmd == ATA_CMD_IDENTIFY_PACKET_DEVICE) {
		d->status = ATA_SR_DRDY;
		return;
	}
	atapi_ok(c, d);
}

/*
 * Data to the host: at most alloc bytes of the len at ptr.  With the
 * PACKET command's DMA bit, through the bus master; otherwise in DRQ
 * blocks of at most the byte count limit the host put into LBA mid/high
 * (ATA-6 8.21): made even, 0 taken as the largest (FFFEh), and whole
 * 2048-byte blocks for medium reads when the limit allows.
 */
static void atapi_send(struct ide_channel *c, struct ide_drive *d, uint8_t *ptr, uint64_t len,
		       uint64_t alloc, bool medium)
{
	uint32_t limit = (uint32_t)d->lba_high << 8 | d->lba_mid;

	if (len > alloc)
		len = alloc;
	if (len == 0) {
		atapi_ok(c, d);
		return;
	}
	if (d->atapi_dma) {
		ide_dma_start(c, d, ptr, len, true);
		return;
	}
	if (limit == 0)
		limit = 0xfffe;
	limit &= ~1u;
	if (limit == 0)
		limit = 2;
	if (medium && limit >= ATAPI_SECTOR_SIZE)
		limit -= limit % ATAPI_SECTOR_SIZE;
	ide_pio_start(c, d, ptr, len, limit, false);
}

/* --- Packet commands ----------------------------------------------------- */

/* SPC REQUEST SENSE: fixed-format sense data of the last command; the
 * sense is consumed. */
static void atapi_request_sense(struct ide_channel *c, struct ide_drive *d)
{
	uint8_t *b = d->buf;

	memset(b, 0, SENSE_FIXED_LEN);
	b[0] = SENSE_FIXED_CURRENT;
	b[2] = d->sense_key;
	b[7] = SENSE_ADDITIONAL_LEN;
	b[12] = d->asc;
	b[13] = d->ascq;
	d->sense_key = SENSE_NONE;
	d->asc = d->ascq = 0;
	atapi_send(c, d, b, SENSE_FIXED_LEN, d->packet[4], false);
}

/* SPC INQUIRY standard data (vital product data pages: invalid field). */
static void atapi_inquiry(struct ide_channel *c, struct ide_drive *d)
{
	uint8_t *b = d->buf;

	if (d->packet[1] & 0x01) {
		atapi_bad_field(c, d);
		return;
	}
	memset(b, 0, INQ_LEN);
	b[0] = INQ_TYPE_CDROM;
	b[1] = INQ_RMB;
	b[3] = INQ_ATAPI_FORMAT;
	b[4] = INQ_LEN - 5;
	memcpy(b + 8, "LAMINA  ", 8);
	memcpy(b + 16, "ATAPI CD-ROM    ", 16);
	memcpy(b + 32, "1.0 ", 4);
	atapi_send(c, d, b, INQ_LEN, be16(d->packet + 3), false);
}

/* MMC-2 READ CAPACITY: the last LBA and the block length. */
static void atapi_read_capacity(struct ide_channel *c, struct ide_drive *d)
{
	uint64_t last = d->nsectors - 1;

	ide_put_be32(d->buf, last > 0xffffffffu ? 0xffffffffu : (uint32_t)last);
	ide_put_be32(d->buf + 4, ATAPI_SECTOR_SIZE);
	atapi_send(c, d, d->buf, 8, 8, false);
}

/* MMC-2 READ(10)/READ(12): count blocks of 2048 bytes from lba, straight
 * out of the image; past the end: LOGICAL BLOCK ADDRESS OUT OF RANGE. */
static void atapi_read(struct ide_channel *c, struct ide_drive *d, uint32_t lba, uint32_t count)
{
	if (lba >= d->nsectors || count > d->nsectors - lba) {
		atapi_check(c, d, SENSE_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE, 0);
		return;
	}
	d->standby = false;
	atapi_send(c, d, d->image + (uint64_t)lba * ATAPI_SECTOR_SIZE,
		   (uint64_t)count * ATAPI_SECTOR_SIZE, (uint64_t)count * ATAPI_SECTOR_SIZE, true);
}

/* MMC-2 TOC addresses: a plain LBA, or minute/second/frame counted from
 * the start of the program area's 2-second pregap. */
static void toc_addr(uint8_t *p, uint64_t lba, bool msf)
{
	if (!msf) {
		ide_put_be32(p, (uint32_t)lba);
		return;
	}
	lba += MSF_LEAD_IN;
	p[0] = 0;
	p[1] = (uint8_t)(lba / (MSF_FRAMES_PER_SEC * MSF_SECS_PER_MIN));
	p[2] = (uint8_t)(lba / MSF_FRAMES_PER_SEC % MSF_SECS_PER_MIN);
	p[3] = (uint8_t)(lba % MSF_FRAMES_PER_SEC);
}

/* One TOC track descriptor (MMC-2 READ TOC format 0000b). */
static uint8_t *toc_track(uint8_t *p, uint8_t track, uint64_t lba, bool msf)
{
	p[0] = 0;
	p[1] = TOC_ADR_DATA;
	p[2] = track;
	p[3] = 0;
	toc_addr(p + 4, lba, msf);
	return p + 8;
}

/* MMC-2 READ TOC: the medium is one data track in one session.  Format
 * 0 lists track 1 (from the starting track on) and the lead-out; format
 * 1 the first track of the last session.  The old SFF-8020 format field
 * in the control byte's top bits is honoured. */
static void atapi_read_toc(struct ide_channel *c, struct ide_drive *d)
{
	const uint8_t *k = d->packet;
	bool msf = k[1] & TOC_MSF;
	unsigned format = k[2] & 0x0f, track = k[6];
	uint8_t *b = d->buf, *p = b + 4;

	if (format == 0)
		format = k[9] >> 6;
	if (format == TOC_FORMAT_TOC) {
		if (track > 1 && track != TOC_LEADOUT) {
			atapi_bad_field(c, d);
			return;
		}
		if (track <= 1)
			p = toc_track(p, 1, 0, msf);
		p = toc_track(p, TOC_LEADOUT, d->nsectors, msf);
	} else if (format == TOC_FORMAT_SESSION) {
		p = toc_track(p, 1, 0, msf);
	} else {
		atapi_bad_field(c, d);
		return;
	}
	ide_put_be16(b, (uint16_t)(p - b - 2));
	b[2] = 1; /* first track / session */
	b[3] = 1; /* last track / session */
	atapi_send(c, d, b, (uint64_t)(p - b), be16(k + 7), false);
}

/* MMC-2 read error recovery parameters page (01h). */
static uint8_t *mode_page_error_recovery(uint8_t *p, bool changeable)
{
	memset(p, 0, 12);
	p[0] = MODE_PAGE_ERROR_RECOVERY;
	p[1] = 10;
	if (!changeable)
		p[3] = 5; /* read retry count */
	return p + 12;
}

/* MMC-2 CD capabilities and mechanical status page (2Ah): a 4x tray
 * drive that reads multisession CDs, can eject and lock its tray. */
static uint8_t *mode_page_capabilities(struct ide_drive *d, uint8_t *p, bool changeable)
{
	memset(p, 0, 20);
	p[0] = MODE_PAGE_CAPABILITIES;
	p[1] = 18;
	if (changeable)
		return p + 20;
	p[4] = CAP_MULTISESSION;
	p[6] = CAP_TRAY_EJECT_LOCK | (d->prevent ? CAP_LOCK_STATE : 0);
	ide_put_be16(p + 8, CAP_SPEED_4X);
	ide_put_be16(p + 12, CAP_BUFFER_KB);
	ide_put_be16(p + 14, CAP_SPEED_4X);
	return p + 20;
}

/* MMC-2 MODE SENSE(10): header without block descriptors, then the page
 * (or all pages for 3Fh).  Changeable values are all 0; saved values are
 * not supported; other pages: INVALID FIELD IN CDB. */
static void atapi_mode_sense(struct ide_channel *c, struct ide_drive *d)
{
	unsigned pc = d->packet[2] >> 6, page = d->packet[2] & 0x3f;
	uint8_t *b = d->buf, *p = b + MODE_HEADER_LEN;

	if (pc == MODE_PC_SAVED) {
		atapi_check(c, d, SENSE_ILLEGAL_REQUEST, ASC_SAVING_NOT_SUPPORTED, 0);
		return;
	}
	memset(b, 0, MODE_HEADER_LEN);
	if (page == MODE_PAGE_ERROR_RECOVERY || page == MODE_PAGE_ALL)
		p = mode_page_error_recovery(p, pc == MODE_PC_CHANGEABLE);
	if (page == MODE_PAGE_CAPABILITIES || page == MODE_PAGE_ALL)
		p = mode_page_capabilities(d, p, pc == MODE_PC_CHANGEABLE);
	if (p == b + MODE_HEADER_LEN) {
		atapi_bad_field(c, d);
		return;
	}
	ide_put_be16(b, (uint16_t)(p - b - 2));
	b[2] = MODE_MEDIUM_CD_DATA;
	atapi_send(c, d, b, (uint64_t)(p - b), be16(d->packet + 7), false);
}

/* One GET CONFIGURATION feature descriptor header; returns its data. */
static uint8_t *gc_feature(uint8_t *p, uint16_t code, uint8_t len)
{
	ide_put_be16(p, code);
	p[2] = FEAT_CURRENT_PERSISTENT;
	p[3] = len;
	memset(p + 4, 0, len);
	return p + 4;
}

/* MMC-3 GET CONFIGURATION: current profile CD-ROM and the features a
 * read-only CD drive has (profile list, core over ATAPI, removable
 * medium, random readable with 2048-byte blocks, CD read), from the
 * starting feature on (RT 0/1) or just that one (RT 2). */
static void atapi_get_configuration(struct ide_channel *c, struct ide_drive *d)
{
	static const uint16_t codes[] = { FEAT_PROFILE_LIST, FEAT_CORE, FEAT_REMOVABLE_MEDIUM,
					  FEAT_RANDOM_READABLE, FEAT_CD_READ };
	unsigned rt = d->packet[1] & 0x03, start = be16(d->packet + 2);
	uint8_t *b = d->buf, *p = b + 8;

	if (rt > GC_RT_ONE) {
		atapi_bad_field(c, d);
		return;
	}
	memset(b, 0, 8);
	ide_put_be16(b + 6, PROFILE_CDROM);
	for (unsigned i = 0; i < ARRAY_SIZE(codes); i++) {
		uint8_t *f;

		if (rt == GC_RT_ONE ? codes[i] != start : codes[i] < start)
			continue;
		switch (codes[i]) {
		case FEAT_PROFILE_LIST:
			f = gc_feature(p, codes[i], 4);
			ide_put_be16(f, PROFILE_CDROM);
			f[2] = 0x01; /* current */
			p = f + 4;
			break;
		case FEAT_CORE:
			f = gc_feature(p, codes[i], 4);
			ide_put_be32(f, CORE_INTERFACE_ATAPI);
			p = f + 4;
			break;
		case FEAT_REMOVABLE_MEDIUM:
			f = gc_feature(p, codes[i], 4);
			f[0] = CAP_TRAY_EJECT_LOCK | (d->prevent ? CAP_LOCK_STATE : 0);
			p = f + 4;
			break;
		case FEAT_RANDOM_READABLE:
			f = gc_feature(p, codes[i], 8);
			ide_put_be32(f, ATAPI_SECTOR_SIZE);
			ide_put_be16(f + 4, 1); /* blocking */
			p = f + 8;
			break;
		default: /* FEAT_CD_READ */
			p = gc_feature(p, codes[i], 4) + 4;
			break;
		}
	}
	ide_put_be32(b, (uint32_t)(p - b - 4));
	atapi_send(c, d, b, (uint64_t)(p - b), be16(d->packet + 7), false);
}

/* MMC-2 GET EVENT STATUS NOTIFICATION, polled only: the media class
 * reports "no change, medium present, door closed"; any other request
 * gets "no event available". */
static void atapi_event_status(struct ide_channel *c, struct ide_drive *d)
{
	uint8_t *b = d->buf;
	unsigned len;

	if (!(d->packet[1] & GESN_POLLED)) {
		atapi_bad_field(c, d);
		return;
	}
	memset(b, 0, 8);
	b[3] = GESN_MEDIA_MASK;
	if (d->packet[4] & GESN_MEDIA_MASK) {
		ide_put_be16(b, 6);
		b[2] = GESN_CLASS_MEDIA;
		b[5] = GESN_MEDIA_PRESENT;
		len = 8;
	} else {
		ide_put_be16(b, 2);
		b[2] = GESN_NEA;
		len = 4;
	}
	atapi_send(c, d, b, len, be16(d->packet + 7), false);
}

/* MMC-2 MECHANISM STATUS: no changer, idle, no slots. */
static void atapi_mechanism_status(struct ide_channel *c, struct ide_drive *d)
{
	memset(d->buf, 0, MECH_STATUS_LEN);
	atapi_send(c, d, d->buf, MECH_STATUS_LEN, be16(d->packet + 8), false);
}

/* The packet has arrived (ATA-6 9.10): execute it. */
void atapi_packet(struct ide_channel *c, struct ide_drive *d)
{
	const uint8_t *k = d->packet;

	d->status = ATA_SR_DRDY;
	switch (k[0]) {
	case GPCMD_TEST_UNIT_READY:
	case GPCMD_START_STOP_UNIT: /* the image cannot leave the tray */
		atapi_ok(c, d);
		break;
	case GPCMD_PREVENT_ALLOW_MEDIUM_REMOVAL:
		d->prevent = k[4] & 0x01;
		atapi_ok(c, d);
		break;
	case GPCMD_REQUEST_SENSE:
		atapi_request_sense(c, d);
		break;
	case GPCMD_INQUIRY:
		atapi_inquiry(c, d);
		break;
	case GPCMD_READ_CAPACITY:
		atapi_read_capacity(c, d);
		break;
	case GPCMD_READ_10:
		atapi_read(c, d, be32(k + 2), be16(k + 7));
		break;
	case GPCMD_READ_12:
		atapi_read(c, d, be32(k + 2), be32(k + 6));
		break;
	case GPCMD_READ_TOC:
		atapi_read_toc(c, d);
		break;
	case GPCMD_MODE_SENSE_10:
		atapi_mode_sense(c, d);
		break;
	case GPCMD_GET_CONFIGURATION:
		atapi_get_configuration(c, d);
		break;
	case GPCMD_GET_EVENT_STATUS_NOTIFICATION:
		atapi_event_status(c, d);
		break;
	case GPCMD_MECHANISM_STATUS:
		atapi_mechanism_status(c, d);
		break;
	default:
		atapi_check(c, d, SENSE_ILLEGAL_REQUEST, ASC_INVALID_OPCODE, 0);
		break;
	}
}

/* --- ATA commands to the PACKET device ----------------------------------- */

/*
 * ATA-6 8.21 PACKET: DRQ with interrupt reason C/D for the 12 command
 * bytes (no interrupt: IDENTIFY PACKET word 0 says DRQ within 50 us).
 * Overlapped operation is not supported (ABRT).  8.16 IDENTIFY PACKET
 * DEVICE: PIO data-in.  8.10 DEVICE RESET: the device alone resets,
 * without interrupt.  IDENTIFY DEVICE and the ATA read/write commands
 * are aborted with the PACKET signature in the task file (ATA-6 8.15,
 * 8.27), which is how drivers tell a CD-ROM from a disk.
 */
void atapi_command(struct ide_channel *c, struct ide_drive *d, uint8_t cmd)
{
	switch (cmd) {
	case ATA_CMD_PACKET:
		if (d->feature & ATAPI_FEAT_OVL) {
			ide_cmd_error(c, d, ATA_ER_ABRT);
			return;
		}
		d->atapi_dma = d->feature & ATAPI_FEAT_DMA;
		d->pio_ptr = d->packet;
		d->pio_pos = 0;
		d->pio_len = ATAPI_PACKET_SIZE;
		d->xfer_left = 0;
		d->pio_out = true;
		d->nsect = ATAPI_IR_COD;
		d->status = ATA_SR_DRDY | ATA_SR_DRQ;
		break;
	case ATA_CMD_IDENTIFY_PACKET_DEVICE:
		atapi_identify(d);
		ide_pio_start(c, d, d->buf, ATA_SECTOR_SIZE, ATA_SECTOR_SIZE, false);
		break;
	case ATA_CMD_DEVICE_RESET:
		ide_set_signature(d);
		d->error = ATA_DIAG_PASSED;
		d->status = 0;
		break;
	case ATA_CMD_IDENTIFY_DEVICE:
	case ATA_CMD_READ_SECTORS:
	case ATA_CMD_READ_SECTORS_NORETRY:
	case ATA_CMD_READ_SECTORS_EXT:
	case ATA_CMD_READ_MULTIPLE:
	case ATA_CMD_READ_DMA:
	case ATA_CMD_READ_DMA_EXT:
		ide_set_signature(d);
		ide_cmd_error(c, d, ATA_ER_ABRT);
		break;
	default:
		ata_common_command(c, d, cmd);
		break;
	}
}
