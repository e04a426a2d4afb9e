/*
 * Fuzzes the 8237A DMA pair and the 82077AA floppy controller together
 * (devices/vdma.c, devices/vfdc.c): DMA ports 00h-0Fh, C0h-DFh, the page
 * registers, FDC 3F0h-3F5h and 3F7h.  The first input byte picks the disk
 * in drive A (none, 160K, 360K, 1.44M: exact-size buffers, reset to a
 * pattern per input); DMA goes to fake guest RAM (fuzz_ram.h).  DEVICE
 * ops: arg 0 vdma_transfer() of 1-4096 bytes on channel b&7 (b bit 3:
 * to memory), as another ISA device would; arg 1 vdma_eop(b&7); arg 2 a
 * disk change (vfdc_insert of the same image).
 * Invariants: the FDC's command and result indexes stay inside their
 * buffers, a transfer moves no more than asked, ROM is never written.
 */
#include "fuzz_ram.h"
#include "vdma.h"
#include "vfdc.h"

static const uint16_t ports[] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d,
	0x0e, 0x0f, 0xc0, 0xc2, 0xc4, 0xc6, 0xc8, 0xca, 0xcc, 0xce, 0xd0, 0xd2, 0xd4, 0xd6,
	0xd8, 0xda, 0xdc, 0xde, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8a, 0x8b, 0x8f, 0x3f0, 0x3f1,
	0x3f2, 0x3f3, 0x3f4, 0x3f5, 0x3f5, 0x3f5, 0x3f5, 0x3f7,
};

static const uint32_t disk_sizes[] = { 163840, 368640, 1474560 };

static struct vdma dma;
static struct vfdc fdc;
static struct fuzz_ram ram;
static uint8_t *disks[ARRAY_SIZE(disk_sizes)];
static uint8_t xfer[4096];

static void irq_set_rec(void *opaque, unsigned irq, int level)
{
	(void)opaque;
	(void)level;
	FUZZ_CHECK(irq == VFDC_IRQ);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct irq_line line = { irq_set_rec, NULL, VFDC_IRQ };
	unsigned disk = fuzz_take(&in, 1) % (ARRAY_SIZE(disk_sizes) + 1);
	uint8_t *image = NULL;
	struct fuzz_op op;

	fuzz_reset();
	fuzz_ram_reset(&ram);
	vdma_init(&dma, &ram.map);
	vfdc_init(&fdc, &line, &dma);
	if (disk < ARRAY_SIZE(disk_sizes)) {
		if (!disks[disk])
			disks[disk] = fuzz_alloc_pages(disk_sizes[disk]);
		image = disks[disk];
		for (uint32_t i = 0; i < disk_sizes[disk]; i += 512)
			memset(image + i, (uint8_t)(i >> 9), 512);
		FUZZ_CHECK(vfdc_insert(&fdc, image, disk_sizes[disk]) == 0);
	}
	FUZZ_CHECK(vdma_attach(&dma) == 0);
	FUZZ_CHECK(vfdc_attach(&fdc) == 0);
	while (fuzz_next_op(&in, ports, ARRAY_SIZE(ports), &op)) {
		if (op.kind != FUZZ_DEVICE) {
			fuzz_do_io(&op);
		} else if (op.arg == 0) {
			uint32_t len = fuzz_take(&in, 2) % sizeof(xfer) + 1;

			FUZZ_CHECK(vdma_transfer(&dma, op.val & 7, xfer, len, op.val & 8) <= len);
		} else if (op.arg == 1) {
			(void)vdma_eop(&dma, op.val & 7);
		} else if (op.arg == 2 && image) {
			FUZZ_CHECK(vfdc_insert(&fdc, image, disk_sizes[disk]) == 0);
		}
		FUZZ_CHECK(fdc.cmd_pos <= VFDC_MAX_CMD && fdc.cmd_len <= VFDC_MAX_CMD);
		FUZZ_CHECK(fdc.res_pos <= VFDC_MAX_RESULT && fdc.res_len <= VFDC_MAX_RESULT);
	}
	fuzz_ram_check_rom(&ram);
	return 0;
}
