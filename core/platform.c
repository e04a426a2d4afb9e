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
#include "iobus.h"
#include "irq.h"
#include "lib.h"
#include "pci.h"
#include "piix3_rcr.h"
#include "platform.h"
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
static int console_pending = -1; /* a byte read from the console, not yet taken */

static struct irq_line pic_line(unsigned irq)
{
	return (struct irq_line){ vatpic_set_irq, &pic, irq };
}

/* Guest serial output is lamina's console output. */
static void serial_tx(void *opaque, uint8_t byte)
{
	(void)opaque;
	console_write((const char *)&byte, 1);
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

/*
 * What QEMU's firmware configuration device tells SeaBIOS: RAM size and
 * the e820 map (matching the CMOS bytes), the serial console port, and
 * the floppy image to boot (module "floppy"), served as floppyimg/<name>.
 */
static int publish_firmware_config(const struct boot_info *bi)
{
	const struct boot_module *floppy = boot_find_module(bi, "floppy");

	if (fwcfg_publish_machine(&fwcfg, the_guest.ram_size, 1) ||
	    fwcfg_publish_e820(&fwcfg, the_guest.ram_size) ||
	    fwcfg_publish_sercon_port(&fwcfg, 0x3f8) ||
	    fwcfg_publish_boot_fail_wait(&fwcfg, 5000))
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
	    attach_floppy_controller(bi))
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

/* Bytes typed on lamina's console go to the guest's COM1, one FIFO's
 * worth at a time; a byte the full FIFO refused waits for the next poll. */
void platform_poll(void)
{
	for (unsigned n = 0; n < 16; n++) {
		if (console_pending < 0)
			console_pending = console_getc();
		if (console_pending < 0 || vuart_rx_push(&com1, (uint8_t)console_pending))
			return;
		console_pending = -1;
	}
}
