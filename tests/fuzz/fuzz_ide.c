/*
 * Fuzzes the PIIX3 IDE controller (devices/ide*.c): both legacy channels
 * (1F0h-1F7h + 3F6h, 170h-177h + 376h), the bus-master window that setup
 * places at C000h through BAR4 (the guest may move it through CF8h/CFCh),
 * with an ATA hard disk as primary master (128K), another as secondary
 * slave (8K) and an ATAPI CD-ROM as secondary master (64K): exact-size
 * images reset to a pattern per input.  PRD tables and DMA buffers are in
 * fake guest RAM (fuzz_ram.h).  DEVICE op: poke 4 bytes into low RAM
 * (fuzz_ram_poke: PRD entries).
 * Invariants: every PIO / transfer / DMA pointer the model keeps, with its
 * length, lies inside the drive's image, its buffer or its packet; the PIO
 * position never passes the block; ROM is never written.
 */
#include "fuzz_ram.h"
#include "ide.h"
#include "pci.h"

static const uint16_t ports[] = {
	0x1f0, 0x1f0, 0x1f0, 0x1f1, 0x1f2, 0x1f3, 0x1f4, 0x1f5, 0x1f6, 0x1f7, 0x3f6,
	0x170, 0x170, 0x170, 0x171, 0x172, 0x173, 0x174, 0x175, 0x176, 0x177, 0x376,
	0xc000, 0xc002, 0xc004, 0xc008, 0xc00a, 0xc00c, 0xcf8, 0xcfc, 0xcfe,
};

static const struct {
	unsigned unit;
	enum ide_media media;
	uint32_t size;
} disks[] = {
	{ 0, IDE_MEDIA_HD, 0x20000 },
	{ 2, IDE_MEDIA_CD, 0x10000 },
	{ 3, IDE_MEDIA_HD, 0x2000 },
};

static struct ide ide;
static struct pci_bus bus;
static struct fuzz_ram ram;
static uint8_t *images[ARRAY_SIZE(disks)];

static bool inside(const uint8_t *p, uint64_t len, const uint8_t *base, uint64_t size)
{
	return p >= base && p <= base + size && len <= (uint64_t)(base + size - p);
}

/* ptr[0, len) lies in the drive's image, buffer or packet. */
static bool drive_owns(const struct ide_drive *d, const uint8_t *ptr, uint64_t len)
{
	if (!ptr)
		return true;
	return (d->image && inside(ptr, len, d->image, d->size)) ||
	       inside(ptr, len, d->buf, sizeof(d->buf)) ||
	       inside(ptr, len, d->packet, sizeof(d->packet));
}

static void check(void)
{
	for (unsigned c = 0; c < IDE_CHANNELS; c++) {
		FUZZ_CHECK(ide.ch[c].cur < IDE_DRIVES_PER_CHANNEL);
		for (unsigned i = 0; i < IDE_DRIVES_PER_CHANNEL; i++) {
			const struct ide_drive *d = &ide.ch[c].drive[i];

			FUZZ_CHECK(d->pio_pos <= d->pio_len);
			FUZZ_CHECK(drive_owns(d, d->pio_ptr, d->pio_len));
			FUZZ_CHECK(!d->xfer_left || drive_owns(d, d->xfer_ptr, d->xfer_left));
			FUZZ_CHECK(!d->dma_pending || drive_owns(d, d->dma_ptr, d->dma_len));
		}
	}
}

static void irq_set_rec(void *opaque, unsigned irq, int level)
{
	(void)opaque;
	(void)level;
	FUZZ_CHECK(irq == IDE_PRIMARY_IRQ || irq == IDE_SECONDARY_IRQ);
}

static void pam_changed(void *opaque, uint64_t gpa, uint64_t size, bool r, bool w)
{
	(void)opaque;
	(void)gpa;
	(void)size;
	(void)r;
	(void)w;
}

static void pirq_changed(void *opaque, unsigned pirq, int isa_irq)
{
	(void)opaque;
	(void)pirq;
	(void)isa_irq;
}

static const struct pci_chipset_ops chipset = { pam_changed, pirq_changed };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct irq_line irq14 = { irq_set_rec, NULL, IDE_PRIMARY_IRQ };
	struct irq_line irq15 = { irq_set_rec, NULL, IDE_SECONDARY_IRQ };
	struct fuzz_op op;

	fuzz_reset();
	fuzz_ram_reset(&ram);
	pci_init(&bus, &chipset, NULL);
	ide_init(&ide, &irq14, &irq15, &ram.map);
	for (unsigned i = 0; i < ARRAY_SIZE(disks); i++) {
		if (!images[i])
			images[i] = fuzz_alloc_pages(disks[i].size);
		for (uint32_t b = 0; b < disks[i].size; b += 512)
			memset(images[i] + b, (uint8_t)(b >> 9), 512);
		FUZZ_CHECK(ide_attach_disk(&ide, disks[i].unit, images[i], disks[i].size,
					   disks[i].media) == 0);
	}
	FUZZ_CHECK(pci_attach(&bus) == 0);
	FUZZ_CHECK(ide_attach(&ide, &bus) == 0);
	/* What a BIOS does: BAR4 at C000h, I/O and bus mastering on. */
	io_write(0xcf8, 4, 0x80000000u | PCI_DEVFN(IDE_PCI_DEV, IDE_PCI_FN) << 8 | 0x20);
	io_write(0xcfc, 4, 0xc001);
	io_write(0xcf8, 4, 0x80000000u | PCI_DEVFN(IDE_PCI_DEV, IDE_PCI_FN) << 8 | 0x04);
	io_write(0xcfc, 2, PCI_COMMAND_IO | PCI_COMMAND_MASTER);
	FUZZ_CHECK(ide.bm_base == 0xc000);
	while (fuzz_next_op(&in, ports, ARRAY_SIZE(ports), &op)) {
		if (op.kind == FUZZ_DEVICE)
			fuzz_ram_poke(&ram, &in);
		else
			fuzz_do_io(&op);
		check();
	}
	fuzz_ram_check_rom(&ram);
	return 0;
}
