/*
 * Fuzzes QEMU's fw_cfg (devices/fwcfg.c) through the selector 510h, data
 * 511h and the DMA address register 514h-51Bh, with every item lamina
 * publishes (machine, e820, sercon port, boot-fail-wait, bootorder, a
 * floppy image in an exact-size buffer).  DMA descriptors and buffers are
 * in fake guest RAM (fuzz_ram.h): input addresses hit RAM, the RAM/ROM
 * boundary, ROM and holes.  DEVICE op: poke 4 bytes into low RAM
 * (fuzz_ram_poke, to build FWCfgDmaAccess descriptors); arg 1: fwcfg_reset.
 * Invariants: ROM is never written and neither is the floppy image (the
 * guest's writes may only change its RAM copy: the image is mprotect()ed
 * read-only); ASan guards RAM and the items.
 */
#define _DEFAULT_SOURCE
#include <sys/mman.h>

#include "fuzz_ram.h"
#include "fwcfg.h"

static const uint16_t ports[] = { 0x510, 0x511, 0x514, 0x515, 0x516, 0x517,
				  0x518, 0x519, 0x51a, 0x51b };

#define FLOPPY_SIZE 368640u /* 360K: a size SeaBIOS knows */

static struct fwcfg fw;
static struct fuzz_ram ram;
static uint8_t *floppy;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct fuzz_op op;

	fuzz_reset();
	fuzz_ram_reset(&ram);
	if (!floppy) {
		/* Read-only from here on: a write through the item faults. */
		floppy = fuzz_alloc_pages(FLOPPY_SIZE);
		memset(floppy, 0xf6, FLOPPY_SIZE);
		FUZZ_CHECK(mprotect(floppy, FLOPPY_SIZE, PROT_READ) == 0);
	}
	fwcfg_init(&fw, &ram.map);
	FUZZ_CHECK(fwcfg_publish_machine(&fw, 128ull << 20, 1) == 0);
	FUZZ_CHECK(fwcfg_publish_e820(&fw, 128ull << 20) == 0);
	FUZZ_CHECK(fwcfg_publish_sercon_port(&fw, 0x3f8) == 0);
	FUZZ_CHECK(fwcfg_publish_boot_fail_wait(&fw, 1000) == 0);
	FUZZ_CHECK(fwcfg_publish_bootorder(&fw, "/isa/fdc@03f0/floppy@0\n") == 0);
	FUZZ_CHECK(fwcfg_publish_floppy(&fw, "fd.img", floppy, FLOPPY_SIZE) == 0);
	FUZZ_CHECK(fwcfg_attach(&fw) == 0);
	while (fuzz_next_op(&in, ports, ARRAY_SIZE(ports), &op)) {
		if (op.kind == FUZZ_DEVICE) {
			if (op.arg == 1)
				fwcfg_reset(&fw);
			else
				fuzz_ram_poke(&ram, &in);
		} else {
			fuzz_do_io(&op);
		}
	}
	fuzz_ram_check_rom(&ram);
	return 0;
}
