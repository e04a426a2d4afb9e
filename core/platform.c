/*
 * The guest's PC: which device model sits on which ports and IRQ lines,
 * and how they reach the outside world (design.md section 4).
 * Interrupts: the 8259 pair's INTR output is what the run loop injects
 * (no APIC, see exit_cpuid.c).  IRQ0 PIT, IRQ1/12 i8042, IRQ3/4 serial
 * ports, IRQ8 RTC.  PCI: the i440FX host bridge and PIIX3 ISA bridge;
 * firmware configuration through QEMU's fw_cfg, so SeaBIOS runs unchanged.
 */
#include "console.h"
#include "fwcfg.h"
#include "guest.h"
#include "hostrtc.h"
#include "ide.h"
#include "iobus.h"
#include "irq.h"
#include "kprintf.h"
#include "lib.h"
#include "pci.h"
#include "piix3_rcr.h"
#include "platform.h"
#include "selfcheck.h"
#include "trace.h"
#include "vatpic.h"
#include "vatpit.h"
#include "vdma.h"
#include "vfdc.h"
#include "vkbc.h"
#include "vrtc.h"
#include "vuart.h"

#define IRQ_PIT 0
#define IRQ_KBD 1
#define IRQ_COM2 3
#define IRQ_COM1 4
#define IRQ_FLOPPY 6
#define IRQ_RTC 8
#define IRQ_AUX 12
#define IRQ_IDE0 14
#define IRQ_IDE1 15

static struct vatpic pic;
static struct vatpit pit;
static struct vrtc rtc;
static struct vuart com1, com2;
static struct vkbc kbc;
static struct pci_bus pci;
static struct fwcfg fwcfg;
static struct piix3_rcr rcr;
static struct vdma dma;
static struct vfdc fdc;
static struct ide ide;
static int console_pending = -1; /* a byte read from the console, not yet taken */

static struct irq_line pic_line(unsigned irq)
{
	return (struct irq_line){ vatpic_set_irq, &pic, irq };
}

/* Guest serial output is lamina's console output. */
static void serial_tx(void *opaque, uint8_t byte)
{
	(void)opaque;
	console_queue(byte);
}

static int64_t host_time(void *opaque)
{
	(void)opaque;
	return hostrtc_unix_time();
}

/* The i8042's output port bit 0 (command 0xFE) or port 0x92 bit 0 pulsed
 * the CPU's reset line. */
static void kbc_reset(void *opaque)
{
	(void)opaque;
	guest_request_reset("the i8042 or port 0x92 pulsed the reset line");
}

/* The 440FX's PAM registers moved a BIOS shadow segment between ROM and RAM. */
static void pam_changed(void *opaque, uint64_t gpa, uint64_t size, bool readable, bool writable)
{
	(void)opaque;
	(void)readable; /* the shadow RAM holds the ROM's bytes: see guest_set_shadow_perm */
	guest_set_shadow_perm(gpa, size, writable);
}

/* The PIIX3's reset control register at 0xCF9 (SeaBIOS's reboot). */
static void rcr_reset(void *opaque, bool hard)
{
	(void)opaque;
	guest_request_reset(hard ? "hard reset through port 0xCF9" : "soft reset through port 0xCF9");
}

static const struct pci_chipset_ops chipset_ops = { .pam_changed = pam_changed };

/* boot.order= letters (a floppy, c hard disk, d CD-ROM) into the three
 * CMOS nibbles SeaBIOS reads. */
static void set_cmos_boot_order(const char *letters)
{
	enum vrtc_boot_dev dev[3] = { VRTC_BOOT_NONE, VRTC_BOOT_NONE, VRTC_BOOT_NONE };

	for (unsigned i = 0; i < 3 && letters[i]; i++)
		dev[i] = letters[i] == 'a' ? VRTC_BOOT_FLOPPY :
			 letters[i] == 'c' ? VRTC_BOOT_HDD : VRTC_BOOT_CDROM;
	vrtc_set_boot_order(&rtc, dev[0], dev[1], dev[2]);
}

/*
 * What QEMU's firmware configuration device tells SeaBIOS: RAM size and
 * the e820 map (matching the CMOS bytes), the serial console port, and
 * the floppy image to boot (module "floppy"), served as floppyimg/<name>,
 * and the boot order when there is a CD.
 */
static int publish_firmware_config(const struct boot_info *bi)
{
	const struct boot_module *floppy = boot_find_module(bi, "floppy");

	if (fwcfg_publish_machine(&fwcfg, the_guest.ram_size, 1) ||
	    fwcfg_publish_e820(&fwcfg, the_guest.ram_size) ||
	    fwcfg_publish_sercon_port(&fwcfg, 0x3f8) ||
	    fwcfg_publish_boot_fail_wait(&fwcfg, 5000))
		return -1;
	/* boot.order= sets the CMOS boot order as QEMU's -boot order= does
	 * (SeaBIOS boot_init() reads it).  Without it a CD on the secondary
	 * master boots first, as with QEMU's -cdrom: SeaBIOS's default order
	 * would try the hard disk before it.  The path is the one QEMU gives
	 * the PIIX3 IDE function's drive (SeaBIOS bootprio_find_ata_device). */
	if (the_guest.opt->boot_order[0])
		set_cmos_boot_order(the_guest.opt->boot_order);
	else if (boot_find_module(bi, "ide2") &&
		 fwcfg_publish_bootorder(&fwcfg, "/pci@i0cf8/ide@1,1/drive@1/disk@0\n"))
		return -1;
	if (floppy && !the_guest.opt->floppy_fdc &&
	    fwcfg_publish_floppy(&fwcfg, "floppy.img", (const void *)floppy->start,
				 (uint32_t)(floppy->end - floppy->start)))
		return -1;
	return 0;
}

/*
 * floppy=fdc: the floppy module becomes the disk in drive A: of the
 * floppy controller (ISA DMA channel 2, IRQ6), and CMOS says the drive is
 * there, so SeaBIOS uses its ordinary floppy driver.  The guest writes to
 * the module's memory, which nothing else uses.
 */
static int attach_floppy_controller(const struct boot_info *bi)
{
	const struct boot_module *floppy = boot_find_module(bi, "floppy");
	const struct irq_line irq6 = pic_line(IRQ_FLOPPY);

	vdma_init(&dma, &the_guest.mem);
	vfdc_init(&fdc, &irq6, &dma);
	if (floppy && the_guest.opt->floppy_fdc) {
		if (vfdc_insert(&fdc, (void *)floppy->start, (uint32_t)(floppy->end - floppy->start)))
			return -1;
		vrtc_set_floppy(&rtc, vfdc_cmos_type(&fdc));
	}
	return vdma_attach(&dma) || vfdc_attach(&fdc);
}

/*
 * The PIIX3's IDE function (00:01.1, legacy ports, IRQ14/15): modules
 * "ide0".."ide3" are the primary master/slave and secondary master/slave.
 * ide2 is an ATAPI CD-ROM (QEMU's -cdrom sits there too), the others ATA
 * hard disks.  Images live in the module's memory: guest writes change
 * that copy and are gone when lamina stops.
 */
static int attach_ide(const struct boot_info *bi)
{
	static const char *const names[IDE_UNITS] = { "ide0", "ide1", "ide2", "ide3" };
	const struct irq_line irq14 = pic_line(IRQ_IDE0), irq15 = pic_line(IRQ_IDE1);

	ide_init(&ide, &irq14, &irq15, &the_guest.mem);
	for (unsigned unit = 0; unit < IDE_UNITS; unit++) {
		const struct boot_module *m = boot_find_module(bi, names[unit]);
		enum ide_media media = unit == 2 ? IDE_MEDIA_CD : IDE_MEDIA_HD;

		if (!m)
			continue;
		if (ide_attach_disk(&ide, unit, (void *)m->start, m->end - m->start, media)) {
			kprintf("lamina: module %s: %llu bytes is not a whole number of %u-byte %s\n",
				names[unit], (unsigned long long)(m->end - m->start),
				media == IDE_MEDIA_CD ? ATAPI_SECTOR_SIZE : ATA_SECTOR_SIZE,
				media == IDE_MEDIA_CD ? "CD blocks" : "sectors");
			return -1;
		}
	}
	if (ide_attach(&ide, &pci))
		return -1;
	/* PIIX3 IDETIM (0x40/0x42) bit 15, IDE decode enable, resets to 0 and
	 * the BIOS sets it; Linux's ata_piix skips a channel that has it clear.
	 * Without a BIOS lamina does what the BIOS would have done. */
	if (the_guest.boot != BOOT_BIOS) {
		pci_config_set(ide.pci, PIIX3_IDETIM_PRI, 2, PIIX3_IDETIM_IDE_DECODE);
		pci_config_set(ide.pci, PIIX3_IDETIM_SEC, 2, PIIX3_IDETIM_IDE_DECODE);
	}
	return 0;
}

int platform_init(const struct boot_info *bi)
{
	const struct irq_line irq_pit = pic_line(IRQ_PIT), irq_kbd = pic_line(IRQ_KBD),
			      irq_aux = pic_line(IRQ_AUX), irq_rtc = pic_line(IRQ_RTC),
			      irq_com1 = pic_line(IRQ_COM1), irq_com2 = pic_line(IRQ_COM2);

	vatpic_init(&pic);
	vatpit_init(&pit, &irq_pit);
	vrtc_init(&rtc, &irq_rtc, host_time, NULL);
	vrtc_set_memory(&rtc, the_guest.ram_size);
	vuart_init(&com1, &irq_com1, serial_tx, NULL);
	vuart_init(&com2, &irq_com2, serial_tx, NULL);
	vkbc_init(&kbc, &irq_kbd, &irq_aux, kbc_reset, NULL, NULL);
	pci_init(&pci, &chipset_ops, NULL);
	rcr = (struct piix3_rcr){ .reset = rcr_reset };
	fwcfg_init(&fwcfg, &the_guest.mem);
	if (publish_firmware_config(bi))
		return -1;
	if (vatpic_attach(&pic) || vatpit_attach(&pit) || vrtc_attach(&rtc) ||
	    vuart_attach(&com1, 0x3f8) || vuart_attach(&com2, 0x2f8) || vkbc_attach(&kbc) ||
	    pci_attach(&pci) || fwcfg_attach(&fwcfg) || piix3_rcr_attach(&rcr) ||
	    attach_floppy_controller(bi) || attach_ide(bi))
		return -1;
	return 0;
}

int platform_pending_vector(void)
{
	return vatpic_pending_vector(&pic);
}

int platform_ack(void)
{
	return vatpic_ack(&pic);
}

/* Ctrl-A is lamina's console escape: Ctrl-A t/l/h are trace keys
 * (core/trace.c), Ctrl-A q stops the guest, Ctrl-A c checks the monitor's
 * own text (core/selfcheck.c), Ctrl-A Ctrl-A types one
 * Ctrl-A; any other key after Ctrl-A reaches the guest alone.  Returns
 * the byte for the guest, or -1. */
#define CONSOLE_ESCAPE 0x01
static int console_key(void)
{
	static bool escaped;
	int c = console_getc();

	if (c < 0)
		return -1;
	if (!escaped && c == CONSOLE_ESCAPE) {
		escaped = true;
		return -1;
	}
	if (!escaped)
		return c;
	escaped = false;
	if (c == 'q') {
		guest_stop(-1, "stopped from the console (Ctrl-A q)");
		return -1;
	}
	if (c == 'c') {
		selfcheck_verify("Ctrl-A c");
		return -1;
	}
	return trace_hotkey((char)c) ? -1 : c;
}

/* Bytes typed on lamina's console go to the guest's COM1, one FIFO's
 * worth at a time; a byte the full FIFO refused waits for the next poll. */
void platform_poll(void)
{
	for (unsigned n = 0; n < 16; n++) {
		if (console_pending < 0)
			console_pending = console_key();
		if (console_pending < 0 || vuart_rx_push(&com1, (uint8_t)console_pending))
			return;
		console_pending = -1;
	}
}
