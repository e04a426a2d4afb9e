/*
 * Intel 82077AA floppy disk controller in PC-AT mode (see include/vfdc.h).
 *
 * Reference: Intel 82077AA CHMOS Single-Chip Floppy Disk Controller data
 * sheet ("82077AA"): section 2 (register descriptions: DOR, TDR, MSR,
 * DSR, FIFO, DIR, CCR), section 5 (command set, status registers ST0-ST3
 * and the table of C, H, R, N after termination), section 6 (polling after
 * reset).  The command bytes and the MSR handshake SeaBIOS relies on are
 * those of its src/hw/floppy.c.
 *
 * Everything the guest sends is hostile: cylinder, head and sector come
 * from the command and are checked against the medium before any byte of
 * the image is touched; guest memory is reached only through the 8237A
 * model.
 */
#include "vfdc.h"
#include "iobus.h"
#include "lib.h"

/* Register offsets from 0x3F0 (82077AA section 2); SRA (0) and SRB (1)
 * exist only in PS/2 mode. */
#define FD_DOR 2
#define FD_TDR 3
#define FD_MSR 4 /* read */
#define FD_DSR 4 /* write */
#define FD_FIFO 5
#define FD_NPORTS 6

/* Digital output register. */
#define FD_DOR_DRIVE_MASK 0x03
#define FD_DOR_NRESET 0x04
#define FD_DOR_DMA_GATE 0x08 /* AT mode: gates DRQ/DACK and INT */
#define FD_DOR_MOTOR_A 0x10

#define FD_TDR_MASK 0x03

/* Main status register. */
#define FD_MSR_CB 0x10
#define FD_MSR_DIO 0x40
#define FD_MSR_RQM 0x80

/* Data-rate select (DSR bits 1-0, CCR bits 1-0). */
#define FD_DSR_SWRESET 0x80
#define FD_RATE_MASK 0x03
#define FD_RATE_500K 0
#define FD_RATE_300K 1
#define FD_RATE_250K 2
#define FD_RATE_1M 3

#define FD_DIR_DSKCHG 0x80

/* Command opcodes (bits 4-0) and the option bits in bits 7-5. */
#define FD_CMD_SPECIFY 0x03
#define FD_CMD_SENSE_DRIVE_STATUS 0x04
#define FD_CMD_WRITE_DATA 0x05
#define FD_CMD_READ_DATA 0x06
#define FD_CMD_RECALIBRATE 0x07
#define FD_CMD_SENSE_INTERRUPT 0x08
#define FD_CMD_READ_ID 0x0a
#define FD_CMD_FORMAT_TRACK 0x0d
#define FD_CMD_DUMPREG 0x0e
#define FD_CMD_SEEK 0x0f
#define FD_CMD_VERSION 0x10
#define FD_CMD_PERPENDICULAR 0x12
#define FD_CMD_CONFIGURE 0x13
#define FD_CMD_LOCK 0x14
#define FD_CMD_OPCODE_MASK 0x1f
#define FD_CMD_MT 0x80
#define FD_CMD_MFM 0x40
#define FD_CMD_SK 0x20
#define FD_CMD_LOCK_BIT 0x80

/* Second command byte: HDS and DS1-DS0. */
#define FD_SEL_DRIVE_MASK 0x03
#define FD_SEL_HEAD_SHIFT 2

/* ST0. */
#define FD_ST0_HEAD 0x04
#define FD_ST0_NR 0x08
#define FD_ST0_EC 0x10
#define FD_ST0_SE 0x20
#define FD_ST0_IC_ABNORMAL 0x40
#define FD_ST0_IC_INVALID 0x80
#define FD_ST0_IC_POLLING 0xc0

/* ST1. */
#define FD_ST1_MA 0x01
#define FD_ST1_NW 0x02
#define FD_ST1_ND 0x04
#define FD_ST1_OR 0x10
#define FD_ST1_EN 0x80

/* ST2. */
#define FD_ST2_WC 0x10

/* ST3: bits 5 and 3 are always 1 on the 82077AA. */
#define FD_ST3_HEAD 0x04
#define FD_ST3_ONES 0x28
#define FD_ST3_T0 0x10

/* SPECIFY second byte bit 0: non-DMA mode. */
#define FD_SPECIFY_ND 0x01

/* CONFIGURE third byte; reset state is EFIFO (FIFO disabled). */
#define FD_CONFIG_EIS 0x40
#define FD_CONFIG_EFIFO 0x20
#define FD_CONFIG_FIFOTHR 0x0f
#define FD_CONFIG_LOCKED (FD_CONFIG_EFIFO | FD_CONFIG_FIFOTHR)

/* PERPENDICULAR MODE byte. */
#define FD_PERP_OW 0x80
#define FD_PERP_DRIVES 0x3c
#define FD_PERP_GAP_WGATE 0x03

#define FD_VERSION_82077AA 0x90
#define FD_SECTOR_N 2 /* size code of 512-byte sectors */
#define FD_FORMAT_ID_BYTES 4

#define FD_PHASE_COMMAND 0
#define FD_PHASE_RESULT 1

/* The standard PC formats.  cmos_type is the drive SeaBIOS is told
 * about; rate is the first one SeaBIOS tries for that drive type (its
 * FloppyInfo[] table), so its media sense finds the disk at once. */
static const struct vfdc_geometry fd_formats[] = {
	{ 163840, 40, 1, 8, 1, FD_RATE_300K },   { 184320, 40, 1, 9, 1, FD_RATE_300K },
	{ 327680, 40, 2, 8, 1, FD_RATE_300K },   { 368640, 40, 2, 9, 1, FD_RATE_300K },
	{ 737280, 80, 2, 9, 3, FD_RATE_250K },   { 1228800, 80, 2, 15, 2, FD_RATE_500K },
	{ 1474560, 80, 2, 18, 4, FD_RATE_500K }, { 2949120, 80, 2, 36, 5, FD_RATE_1M },
};

/* --- Interrupt --------------------------------------------------------- */

/* In PC-AT mode the INT pin reaches IRQ6 only while DOR's DMA gate bit
 * is set (82077AA section 2.1.2). */
static void fd_update_irq(struct vfdc *f)
{
	bool level = f->intr && (f->dor & FD_DOR_DMA_GATE);

	if (level != f->irq_level) {
		f->irq_level = level;
		irq_set(&f->irq, level);
	}
}

static void fd_set_intr(struct vfdc *f, bool on)
{
	f->intr = on;
	fd_update_irq(f);
}

/* --- Phases ------------------------------------------------------------ */

/* Back to the command phase, ready for a new opcode. */
static void fd_to_command(struct vfdc *f)
{
	f->phase = FD_PHASE_COMMAND;
	f->cmd_pos = 0;
	f->res_pos = 0;
	f->res_len = 0;
}

/* Enter the result phase with n bytes for the CPU; data commands also
 * raise INT at the end of their execution phase. */
static void fd_result(struct vfdc *f, const uint8_t *bytes, unsigned n, bool interrupt)
{
	memcpy(f->res, bytes, n);
	f->res_len = (uint8_t)n;
	f->res_pos = 0;
	f->phase = FD_PHASE_RESULT;
	if (interrupt)
		fd_set_intr(f, true);
}

/* An opcode the chip does not know: one result byte, ST0 = 80h, no
 * interrupt (82077AA "Invalid Command"). */
static void fd_invalid(struct vfdc *f)
{
	uint8_t st0 = FD_ST0_IC_INVALID;

	fd_result(f, &st0, 1, false);
}

/* Software reset (DOR /RESET low, or DSR bit 7): the command machine,
 * pending interrupts and drive-busy bits clear.  SPECIFY and the data
 * rate survive; CONFIGURE's FIFO settings and PRETRK survive only if
 * LOCKed; PERPENDICULAR keeps its drive bits but loses GAP and WGATE
 * (82077AA section 6 "Reset" and the LOCK and PERPENDICULAR MODE
 * command descriptions). */
static void fd_soft_reset(struct vfdc *f)
{
	fd_to_command(f);
	fd_set_intr(f, false);
	f->busy = 0;
	f->sense_pending = 0;
	if (f->lock) {
		f->config &= FD_CONFIG_LOCKED;
	} else {
		f->config = FD_CONFIG_EFIFO;
		f->pretrk = 0;
	}
	f->perpendicular &= FD_PERP_DRIVES;
}

/* Leaving reset, polling is enabled and the chip reports a ready-line
 * change on all four drives: INT rises, and each of four SENSE INTERRUPT
 * STATUS commands returns ST0 = C0h + drive (82077AA section 6). */
static void fd_leave_reset(struct vfdc *f)
{
	for (unsigned d = 0; d < VFDC_DRIVES; d++)
		f->sense_st0[d] = (uint8_t)(FD_ST0_IC_POLLING | d);
	f->sense_pending = (1u << VFDC_DRIVES) - 1;
	fd_set_intr(f, true);
}

/* --- Drive and medium -------------------------------------------------- */

/* Only drive A exists. */
static bool fd_drive_present(unsigned drive)
{
	return drive == 0;
}

static bool fd_disk_ready(const struct vfdc *f, unsigned drive)
{
	return fd_drive_present(drive) && f->image;
}

/* Step drive's head to cylinder.  A step pulse with a disk in the
 * drive clears its disk-change line (82077AA DIR bit 7 description). */
static void fd_step_to(struct vfdc *f, unsigned drive, uint8_t cyl)
{
	if (cyl != f->pcn[drive] && fd_disk_ready(f, drive))
		f->dskchg = false;
	f->pcn[drive] = cyl;
}

/* The track under the head has ID fields only if the medium has that
 * cylinder and side, was written in MFM and is read at its data rate;
 * otherwise the chip finds no ID address mark (ST1 MA). */
static bool fd_track_readable(const struct vfdc *f, unsigned drive, unsigned head, bool mfm)
{
	return mfm && f->rate == f->geo->rate && f->pcn[drive] < f->geo->cylinders &&
	       head < f->geo->heads;
}

/* --- Data commands ----------------------------------------------------- */

/* The state of a READ/WRITE DATA command as it moves over the track. */
struct fd_xfer {
	unsigned drive, head;    /* physical head (HDS) */
	uint8_t c, h, r, n, eot; /* the sector ID being looked for */
	bool mt, write;
	uint8_t st0, st1, st2;
};

/* Find ID field (C, H, R, N) on the current track: the medium has
 * C = PCN, H = physical head, R = 1..sectors, N = 2.  Sets ST1 ND (and
 * ST2 WC for a wrong cylinder) when no such ID exists, ST1 MA when the
 * track cannot be read; returns the image offset or -1. */
static long fd_find_sector(struct vfdc *f, struct fd_xfer *x, bool mfm)
{
	uint8_t pcn = f->pcn[x->drive];

	if (!fd_track_readable(f, x->drive, x->head, mfm)) {
		x->st1 |= FD_ST1_MA;
		return -1;
	}
	if (x->c != pcn) {
		x->st1 |= FD_ST1_ND;
		x->st2 |= FD_ST2_WC;
		return -1;
	}
	if (x->h != x->head || x->n != FD_SECTOR_N || x->r < 1 || x->r > f->geo->sectors) {
		x->st1 |= FD_ST1_ND;
		return -1;
	}
	return (long)(((uint32_t)pcn * f->geo->heads + x->head) * f->geo->sectors + x->r - 1) *
	       VFDC_SECTOR_SIZE;
}

/* DMA requests reach the 8237A only with DOR's DMA gate open and in DMA
 * mode; otherwise no byte moves and the FIFO over/underruns. */
static uint32_t fd_dma(struct vfdc *f, void *buf, uint32_t len, bool to_memory, bool *tc)
{
	uint32_t moved = 0;

	*tc = false;
	if ((f->dor & FD_DOR_DMA_GATE) && !(f->specify[1] & FD_SPECIFY_ND) && f->dma) {
		moved = vdma_transfer(f->dma, VFDC_DMA_CHANNEL, buf, len, to_memory);
		*tc = vdma_eop(f->dma, VFDC_DMA_CHANNEL);
	}
	return moved;
}

/* Move one sector between the image and memory.  A write that TC cuts
 * short fills the rest of the data field with zeros; one whose DMA
 * stops without TC is an underrun and leaves the sector unchanged.
 * Returns false on over/underrun. */
static bool fd_move_sector(struct vfdc *f, struct fd_xfer *x, uint32_t off, bool *tc)
{
	uint32_t moved;

	if (!x->write)
		return fd_dma(f, f->image + off, VFDC_SECTOR_SIZE, true, tc) == VFDC_SECTOR_SIZE || *tc;
	moved = fd_dma(f, f->sector, VFDC_SECTOR_SIZE, false, tc);
	if (moved < VFDC_SECTOR_SIZE && !*tc)
		return false;
	memset(f->sector + moved, 0, VFDC_SECTOR_SIZE - moved);
	memcpy(f->image + off, f->sector, VFDC_SECTOR_SIZE);
	return true;
}

/* Advance to the ID of the sector after R (82077AA table "C, H, R, N
 * after termination"): R+1 before EOT; at EOT, R = 1 and MT complements
 * H; multi-track on head 0 goes on with head 1, otherwise the cylinder
 * ends (C+1).  Returns true if the command may go on. */
static bool fd_next_sector(struct fd_xfer *x)
{
	if (x->r != x->eot) {
		x->r++;
		return true;
	}
	x->r = 1;
	if (x->mt)
		x->h ^= 1;
	if (x->mt && x->head == 0)
		return true;
	x->c++;
	return false;
}

/* READ DATA / WRITE DATA (82077AA section 5.1): sector after sector
 * until TC ends the command normally; running past EOT without TC ends
 * it with ST1 EN, a missing sector with ND/MA, a stalled DMA with OR.
 * The result is ST0 ST1 ST2 and the ID of the next sector. */
static void fd_cmd_data(struct vfdc *f)
{
	struct fd_xfer x = {
		.drive = f->cmd[1] & FD_SEL_DRIVE_MASK,
		.head = (f->cmd[1] >> FD_SEL_HEAD_SHIFT) & 1,
		.c = f->cmd[2], .h = f->cmd[3], .r = f->cmd[4], .n = f->cmd[5], .eot = f->cmd[6],
		.mt = f->cmd[0] & FD_CMD_MT,
		.write = (f->cmd[0] & FD_CMD_OPCODE_MASK) == FD_CMD_WRITE_DATA,
	};
	bool mfm = f->cmd[0] & FD_CMD_MFM;

	f->last_eot = x.eot;
	if (!fd_disk_ready(f, x.drive)) {
		x.st0 = FD_ST0_IC_ABNORMAL | FD_ST0_NR;
	} else {
		if (f->config & FD_CONFIG_EIS)
			fd_step_to(f, x.drive, x.c);
		for (;;) {
			long off = fd_find_sector(f, &x, mfm);
			bool tc, more;

			if (off < 0) {
				x.st0 = FD_ST0_IC_ABNORMAL;
				break;
			}
			if (!fd_move_sector(f, &x, (uint32_t)off, &tc)) {
				x.st0 = FD_ST0_IC_ABNORMAL;
				x.st1 |= FD_ST1_OR;
				break;
			}
			more = fd_next_sector(&x);
			if (tc)
				break;
			if (!more) {
				x.st0 = FD_ST0_IC_ABNORMAL;
				x.st1 |= FD_ST1_EN;
				break;
			}
			x.head = x.h & 1; /* MT moved on to head 1 */
		}
	}
	x.st0 |= (uint8_t)(x.head << FD_SEL_HEAD_SHIFT | x.drive);
	fd_result(f, (const uint8_t[]){ x.st0, x.st1, x.st2, x.c, x.h, x.r, x.n }, 7, true);
}

/* READ ID (82077AA section 5.1): the first ID field found on the track
 * under the head, or MA if there is none. */
static void fd_cmd_read_id(struct vfdc *f)
{
	unsigned drive = f->cmd[1] & FD_SEL_DRIVE_MASK;
	unsigned head = (f->cmd[1] >> FD_SEL_HEAD_SHIFT) & 1;
	uint8_t st0 = (uint8_t)(head << FD_SEL_HEAD_SHIFT | drive), st1 = 0;

	if (!fd_disk_ready(f, drive)) {
		st0 |= FD_ST0_IC_ABNORMAL | FD_ST0_NR;
	} else if (!fd_track_readable(f, drive, head, f->cmd[0] & FD_CMD_MFM)) {
		st0 |= FD_ST0_IC_ABNORMAL;
		st1 = FD_ST1_MA;
	}
	fd_result(f, (const uint8_t[]){ st0, st1, 0, f->pcn[drive], (uint8_t)head, 1, FD_SECTOR_N },
		  7, true);
}

/* Whether a FORMAT TRACK's sector IDs lay the track out as the image
 * stores it: sectors 1..n of this cylinder and head, each once. */
static bool fd_format_ids_fit(const struct vfdc *f, const uint8_t *ids, unsigned n,
			      unsigned drive, unsigned head)
{
	uint64_t seen = 0;

	for (unsigned i = 0; i < n; i++) {
		const uint8_t *id = ids + i * FD_FORMAT_ID_BYTES;

		if (id[0] != f->pcn[drive] || id[1] != head || id[2] < 1 || id[2] > n ||
		    id[3] != FD_SECTOR_N || (seen & BIT(id[2])))
			return false;
		seen |= BIT(id[2]);
	}
	return true;
}

/* FORMAT TRACK (82077AA section 5.1): the sector IDs come by DMA, four
 * bytes each, and every data field is filled with D.  An image can only
 * hold the standard layout (same N and sectors per track, IDs 1..SC of
 * this track); any other layout is refused as not writable (ST1 NW). */
static void fd_cmd_format(struct vfdc *f)
{
	unsigned drive = f->cmd[1] & FD_SEL_DRIVE_MASK;
	unsigned head = (f->cmd[1] >> FD_SEL_HEAD_SHIFT) & 1;
	uint8_t n = f->cmd[2], sc = f->cmd[3], fill = f->cmd[5];
	uint8_t st0 = (uint8_t)(head << FD_SEL_HEAD_SHIFT | drive), st1 = 0;
	uint32_t len = (uint32_t)sc * FD_FORMAT_ID_BYTES;
	bool tc;

	f->last_eot = sc;
	if (!fd_disk_ready(f, drive)) {
		st0 |= FD_ST0_IC_ABNORMAL | FD_ST0_NR;
	} else if (!fd_track_readable(f, drive, head, f->cmd[0] & FD_CMD_MFM) ||
		   n != FD_SECTOR_N || sc != f->geo->sectors) {
		st0 |= FD_ST0_IC_ABNORMAL;
		st1 = FD_ST1_NW;
	} else if (fd_dma(f, f->sector, len, false, &tc) != len) {
		st0 |= FD_ST0_IC_ABNORMAL;
		st1 = FD_ST1_OR;
	} else if (!fd_format_ids_fit(f, f->sector, sc, drive, head)) {
		st0 |= FD_ST0_IC_ABNORMAL;
		st1 = FD_ST1_NW;
	} else {
		uint32_t track = ((uint32_t)f->pcn[drive] * f->geo->heads + head) * sc;

		memset(f->image + track * VFDC_SECTOR_SIZE, fill, len / FD_FORMAT_ID_BYTES *
								  VFDC_SECTOR_SIZE);
	}
	fd_result(f, (const uint8_t[]){ st0, st1, 0, f->pcn[drive], (uint8_t)head, 1, n }, 7, true);
}

/* --- Control commands -------------------------------------------------- */

/* SPECIFY: step rate, head load/unload times (no effect on an image)
 * and the ND bit.  No result phase. */
static void fd_cmd_specify(struct vfdc *f)
{
	f->specify[0] = f->cmd[1];
	f->specify[1] = f->cmd[2];
	fd_to_command(f);
}

/* SENSE DRIVE STATUS: ST3 with the head, drive, track-0 line; the image
 * is never write-protected. */
static void fd_cmd_sense_drive(struct vfdc *f)
{
	unsigned drive = f->cmd[1] & FD_SEL_DRIVE_MASK;
	uint8_t st3 = (uint8_t)(FD_ST3_ONES | (f->cmd[1] & FD_ST3_HEAD) | drive);

	if (fd_drive_present(drive) && f->pcn[drive] == 0)
		st3 |= FD_ST3_T0;
	fd_result(f, &st3, 1, false);
}

/* The end of a SEEK or RECALIBRATE: the drive is busy in MSR until a
 * SENSE INTERRUPT STATUS reports st0 for it, and INT rises. */
static void fd_seek_done(struct vfdc *f, unsigned drive, uint8_t st0)
{
	f->sense_st0[drive] = st0;
	f->sense_pending |= (uint8_t)BIT(drive);
	f->busy |= (uint8_t)BIT(drive);
	fd_to_command(f);
	fd_set_intr(f, true);
}

/* RECALIBRATE: step out until the drive's track-0 line answers.  A drive
 * that is not there never does: equipment check (ST0 EC). */
static void fd_cmd_recalibrate(struct vfdc *f)
{
	unsigned drive = f->cmd[1] & FD_SEL_DRIVE_MASK;

	if (!fd_drive_present(drive)) {
		fd_seek_done(f, drive, (uint8_t)(FD_ST0_IC_ABNORMAL | FD_ST0_SE | FD_ST0_EC | drive));
		return;
	}
	fd_step_to(f, drive, 0);
	fd_seek_done(f, drive, (uint8_t)(FD_ST0_SE | drive));
}

/* SEEK: step to the new cylinder number; the chip has no feedback but
 * track 0, so a seek always ends normally. */
static void fd_cmd_seek(struct vfdc *f)
{
	unsigned drive = f->cmd[1] & FD_SEL_DRIVE_MASK;

	fd_step_to(f, drive, f->cmd[2]);
	fd_seek_done(f, drive, (uint8_t)(FD_ST0_SE | (f->cmd[1] & FD_ST0_HEAD) | drive));
}

/* SENSE INTERRUPT STATUS: ST0 and PCN of the lowest drive with status
 * to report (seek end or polling after reset); with none it is an
 * invalid command (82077AA section 5.2). */
static void fd_cmd_sense_interrupt(struct vfdc *f)
{
	for (unsigned d = 0; d < VFDC_DRIVES; d++) {
		if (f->sense_pending & BIT(d)) {
			f->sense_pending &= (uint8_t)~BIT(d);
			f->busy &= (uint8_t)~BIT(d);
			fd_result(f, (const uint8_t[]){ f->sense_st0[d], f->pcn[d] }, 2, false);
			return;
		}
	}
	fd_invalid(f);
}

/* VERSION: 90h identifies an 82077AA (an 8272A rejects the opcode). */
static void fd_cmd_version(struct vfdc *f)
{
	uint8_t v = FD_VERSION_82077AA;

	fd_result(f, &v, 1, false);
}

/* CONFIGURE: implied seek, FIFO, polling and threshold bits, PRETRK.
 * No result phase. */
static void fd_cmd_configure(struct vfdc *f)
{
	f->config = f->cmd[2];
	f->pretrk = f->cmd[3];
	fd_to_command(f);
}

/* LOCK: bit 7 of the opcode sets or clears the lock that keeps the FIFO
 * settings over a software reset; the result echoes it in bit 4. */
static void fd_cmd_lock(struct vfdc *f)
{
	uint8_t res;

	f->lock = f->cmd[0] & FD_CMD_LOCK_BIT;
	res = f->lock ? 0x10 : 0;
	fd_result(f, &res, 1, false);
}

/* DUMPREG: ten bytes of internal state (82077AA section 5.2). */
static void fd_cmd_dumpreg(struct vfdc *f)
{
	uint8_t r[10] = {
		f->pcn[0], f->pcn[1], f->pcn[2], f->pcn[3], f->specify[0], f->specify[1],
		f->last_eot, (uint8_t)((f->lock ? 0x80 : 0) | f->perpendicular), f->config,
		f->pretrk,
	};

	fd_result(f, r, sizeof(r), false);
}

/* PERPENDICULAR MODE: GAP and WGATE always, the per-drive bits only
 * with OW set.  Only matters for 2.88M media timing; no result. */
static void fd_cmd_perpendicular(struct vfdc *f)
{
	uint8_t v = f->cmd[1];

	if (v & FD_PERP_OW)
		f->perpendicular = (uint8_t)((f->perpendicular & ~FD_PERP_DRIVES) | (v & FD_PERP_DRIVES));
	f->perpendicular = (uint8_t)((f->perpendicular & ~FD_PERP_GAP_WGATE) | (v & FD_PERP_GAP_WGATE));
	fd_to_command(f);
}

/* --- Command decoding -------------------------------------------------- */

struct fd_command {
	uint8_t opcode;  /* bits 4-0 */
	uint8_t options; /* which of bits 7-5 the opcode may carry */
	uint8_t len;     /* bytes including the opcode */
	void (*exec)(struct vfdc *f);
};

/* 82077AA Table 5-1 (command set summary). */
static const struct fd_command fd_commands[] = {
	{ FD_CMD_READ_DATA, FD_CMD_MT | FD_CMD_MFM | FD_CMD_SK, 9, fd_cmd_data },
	{ FD_CMD_WRITE_DATA, FD_CMD_MT | FD_CMD_MFM, 9, fd_cmd_data },
	{ FD_CMD_READ_ID, FD_CMD_MFM, 2, fd_cmd_read_id },
	{ FD_CMD_FORMAT_TRACK, FD_CMD_MFM, 6, fd_cmd_format },
	{ FD_CMD_SPECIFY, 0, 3, fd_cmd_specify },
	{ FD_CMD_SENSE_DRIVE_STATUS, 0, 2, fd_cmd_sense_drive },
	{ FD_CMD_RECALIBRATE, 0, 2, fd_cmd_recalibrate },
	{ FD_CMD_SENSE_INTERRUPT, 0, 1, fd_cmd_sense_interrupt },
	{ FD_CMD_SEEK, 0, 3, fd_cmd_seek },
	{ FD_CMD_VERSION, 0, 1, fd_cmd_version },
	{ FD_CMD_CONFIGURE, 0, 4, fd_cmd_configure },
	{ FD_CMD_LOCK, FD_CMD_LOCK_BIT, 1, fd_cmd_lock },
	{ FD_CMD_DUMPREG, 0, 1, fd_cmd_dumpreg },
	{ FD_CMD_PERPENDICULAR, 0, 2, fd_cmd_perpendicular },
};

static const struct fd_command *fd_lookup(uint8_t byte)
{
	for (unsigned i = 0; i < ARRAY_SIZE(fd_commands); i++) {
		const struct fd_command *c = &fd_commands[i];

		if ((byte & FD_CMD_OPCODE_MASK) == c->opcode &&
		    !(byte & ~FD_CMD_OPCODE_MASK & ~c->options))
			return c;
	}
	return NULL;
}

/* A byte written to the FIFO in the command phase: the first byte picks
 * the command, the last one executes it. */
static void fd_write_fifo(struct vfdc *f, uint8_t val)
{
	const struct fd_command *c;

	if (f->phase != FD_PHASE_COMMAND)
		return;
	f->cmd[f->cmd_pos++] = val;
	c = fd_lookup(f->cmd[0]);
	if (!c) {
		fd_invalid(f);
		return;
	}
	if (f->cmd_pos == c->len)
		c->exec(f);
}

/* Reading the FIFO in the result phase hands out the next result byte;
 * the first one clears INT, the last one ends the command. */
static uint8_t fd_read_fifo(struct vfdc *f)
{
	uint8_t val;

	if (f->phase != FD_PHASE_RESULT)
		return 0xff;
	if (f->res_pos == 0)
		fd_set_intr(f, false);
	val = f->res[f->res_pos++];
	if (f->res_pos == f->res_len)
		fd_to_command(f);
	return val;
}

/* --- Registers --------------------------------------------------------- */

/* MSR: RQM whenever the FIFO is ready (never while reset is held), DIO
 * in the result phase, CB from the first command byte to the last result
 * byte, and the drive-busy bits of seeks not yet sensed.  NDMA stays 0:
 * there is no non-DMA execution phase. */
static uint8_t fd_read_msr(const struct vfdc *f)
{
	uint8_t msr = f->busy;

	if (!(f->dor & FD_DOR_NRESET))
		return 0;
	msr |= FD_MSR_RQM;
	if (f->phase == FD_PHASE_RESULT)
		msr |= FD_MSR_DIO | FD_MSR_CB;
	else if (f->cmd_pos)
		msr |= FD_MSR_CB;
	return msr;
}

/* DOR: /RESET low holds the chip in reset, going high starts it (with
 * the polling interrupt); DMA gate and the drive/motor bits are kept. */
static void fd_write_dor(struct vfdc *f, uint8_t val)
{
	uint8_t old = f->dor;

	f->dor = val;
	if ((old & FD_DOR_NRESET) && !(val & FD_DOR_NRESET))
		fd_soft_reset(f);
	else if (!(old & FD_DOR_NRESET) && (val & FD_DOR_NRESET))
		fd_leave_reset(f);
	fd_update_irq(f);
}

/* DSR: data rate, and bit 7, a self-clearing software reset. */
static void fd_write_dsr(struct vfdc *f, uint8_t val)
{
	f->rate = val & FD_RATE_MASK;
	if ((val & FD_DSR_SWRESET) && (f->dor & FD_DOR_NRESET)) {
		fd_soft_reset(f);
		fd_leave_reset(f);
	}
}

/* DIR bit 7: the selected drive's disk-change line; a drive is selected
 * on the AT only with its motor bit on.  An empty drive always reports a
 * change.  Bits 6-0 belong to the hard-disk controller and read 0. */
static uint8_t fd_read_dir(const struct vfdc *f)
{
	bool selected = (f->dor & FD_DOR_DRIVE_MASK) == 0 && (f->dor & FD_DOR_MOTOR_A);

	return selected && (!f->image || f->dskchg) ? FD_DIR_DSKCHG : 0;
}

/* Register reads.  SRA and SRB exist only in PS/2 mode; in AT mode their
 * ports float.  TDR bits 7-2 float too. */
static uint8_t fd_read_reg(struct vfdc *f, uint16_t port)
{
	if (port == VFDC_DIR_PORT)
		return fd_read_dir(f);
	switch (port - VFDC_BASE) {
	case FD_DOR:
		return f->dor;
	case FD_TDR:
		return (uint8_t)(~FD_TDR_MASK | f->tdr);
	case FD_MSR:
		return fd_read_msr(f);
	case FD_FIFO:
		return fd_read_fifo(f);
	default: /* SRA, SRB */
		return 0xff;
	}
}

static void fd_write_reg(struct vfdc *f, uint16_t port, uint8_t val)
{
	if (port == VFDC_DIR_PORT) {
		f->rate = val & FD_RATE_MASK; /* CCR */
		return;
	}
	switch (port - VFDC_BASE) {
	case FD_DOR:
		fd_write_dor(f, val);
		break;
	case FD_TDR:
		f->tdr = val & FD_TDR_MASK;
		break;
	case FD_DSR:
		fd_write_dsr(f, val);
		break;
	case FD_FIFO:
		if (f->dor & FD_DOR_NRESET)
			fd_write_fifo(f, val);
		break;
	default: /* SRA, SRB are read-only */
		break;
	}
}

/* Accesses wider than a byte are split into byte cycles on consecutive
 * ports; 0x3F6 is not ours and floats. */
static bool fd_our_port(uint16_t port)
{
	return (port >= VFDC_BASE && port < VFDC_BASE + FD_NPORTS) || port == VFDC_DIR_PORT;
}

uint32_t vfdc_read(void *opaque, uint16_t port, unsigned size)
{
	uint32_t val = 0;

	for (unsigned i = 0; i < size && i < 4; i++) {
		uint16_t p = (uint16_t)(port + i);

		val |= (uint32_t)(fd_our_port(p) ? fd_read_reg(opaque, p) : 0xff) << (8 * i);
	}
	return val;
}

void vfdc_write(void *opaque, uint16_t port, unsigned size, uint32_t val)
{
	for (unsigned i = 0; i < size && i < 4; i++) {
		uint16_t p = (uint16_t)(port + i);

		if (fd_our_port(p))
			fd_write_reg(opaque, p, (uint8_t)(val >> (8 * i)));
	}
}

/* --- Setup ------------------------------------------------------------- */

/* Hardware reset: DOR = 0 (reset held, motors off), 250 kb/s, no lock,
 * FIFO disabled, heads at cylinder 0. */
void vfdc_init(struct vfdc *f, const struct irq_line *irq6, struct vdma *dma)
{
	memset(f, 0, sizeof(*f));
	if (irq6)
		f->irq = *irq6;
	f->dma = dma;
	f->rate = FD_RATE_250K;
	fd_soft_reset(f);
}

/* A new disk: its geometry comes from its size, and the drive's
 * disk-change line goes active until the head steps. */
int vfdc_insert(struct vfdc *f, void *image, uint32_t size)
{
	for (unsigned i = 0; i < ARRAY_SIZE(fd_formats); i++) {
		if (fd_formats[i].size == size && image) {
			f->image = image;
			f->geo = &fd_formats[i];
			f->dskchg = true;
			return 0;
		}
	}
	return -1;
}

uint8_t vfdc_cmos_type(const struct vfdc *f)
{
	return f->image ? f->geo->cmos_type : 0;
}

int vfdc_attach(struct vfdc *f)
{
	static const struct io_ops vfdc_ops = {
		.name = "fdc",
		.read = vfdc_read,
		.write = vfdc_write,
	};

	if (io_register(VFDC_BASE, FD_NPORTS, &vfdc_ops, f) ||
	    io_register(VFDC_DIR_PORT, 1, &vfdc_ops, f))
		return -1;
	return 0;
}
