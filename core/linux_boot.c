/*
 * The Linux x86 boot protocol (Documentation/arch/x86/boot.rst), the
 * 32-bit entry: the setup header is copied into a zeroed boot_params page,
 * the protected-mode kernel goes to 1 MiB, the initrd as high as
 * initrd_addr_max allows, and the kernel starts at code32_start in flat
 * protected mode with ESI pointing at boot_params.
 */
#include "kprintf.h"
#include "lib.h"
#include "linux_boot.h"
#include "x86.h"

/* Offsets in boot_params / the setup header (boot.rst "The real-mode
 * kernel header", arch/x86/include/uapi/asm/bootparam.h). */
#define BP_E820_ENTRIES 0x1e8
#define BP_SETUP_SECTS 0x1f1
#define BP_BOOT_FLAG 0x1fe
#define BP_JUMP 0x200
#define BP_HEADER 0x202
#define BP_VERSION 0x206
#define BP_TYPE_OF_LOADER 0x210
#define BP_LOADFLAGS 0x211
#define BP_CODE32_START 0x214
#define BP_RAMDISK_IMAGE 0x218
#define BP_RAMDISK_SIZE 0x21c
#define BP_CMD_LINE_PTR 0x228
#define BP_INITRD_ADDR_MAX 0x22c
#define BP_CMDLINE_SIZE 0x238
#define BP_E820_TABLE 0x2d0

#define HDRS_MAGIC 0x53726448u /* "HdrS" */
#define BOOT_FLAG_MAGIC 0xaa55
#define LOADFLAGS_LOADED_HIGH 0x01
#define LOADER_UNDEFINED 0xff
#define E820_RAM 1
#define E820_RESERVED 2
#define MIN_PROTOCOL 0x0206   /* cmdline_size, initrd_addr_max, ... */

/* Where lamina puts things in guest-physical memory. */
#define LINUX_GDT_GPA 0x6000
#define LINUX_BOOT_PARAMS_GPA 0x7000
#define LINUX_CMDLINE_GPA 0x8000
#define LINUX_CMDLINE_MAX 0x1000
#define LINUX_KERNEL_GPA 0x100000

static uint16_t rd16(const uint8_t *p, unsigned off) { uint16_t v; memcpy(&v, p + off, 2); return v; }
static uint32_t rd32(const uint8_t *p, unsigned off) { uint32_t v; memcpy(&v, p + off, 4); return v; }
static void wr32(uint8_t *p, unsigned off, uint32_t v) { memcpy(p + off, &v, 4); }

/* One e820 entry: le64 address, le64 size, le32 type. */
static void e820_add(uint8_t *bp, uint64_t addr, uint64_t size, uint32_t type)
{
	uint8_t *e = bp + BP_E820_TABLE + 20 * bp[BP_E820_ENTRIES]++;

	memcpy(e, &addr, 8);
	memcpy(e + 8, &size, 8);
	memcpy(e + 16, &type, 4);
}

/* The module line after the name "kernel" is the kernel command line. */
static const char *kernel_cmdline(const struct boot_module *kernel)
{
	const char *c = kernel->cmdline;

	while (*c == ' ')
		c++;
	while (*c && *c != ' ')
		c++;
	while (*c == ' ')
		c++;
	return c;
}

const char *linux_load(struct guest *g, const struct boot_module *kernel,
		       const struct boot_module *initrd)
{
	const uint8_t *img = (const uint8_t *)kernel->start;
	uint64_t size = kernel->end - kernel->start, setup, pm_size;
	uint8_t *bp = g->ram + LINUX_BOOT_PARAMS_GPA;
	const char *cmdline = kernel_cmdline(kernel);
	size_t cmd_len = strlen(cmdline);
	unsigned hdr_end;

	if (size < 0x1000 || rd16(img, BP_BOOT_FLAG) != BOOT_FLAG_MAGIC ||
	    rd32(img, BP_HEADER) != HDRS_MAGIC)
		return "the kernel module is not a bzImage (no 55AA/HdrS setup header)";
	if (rd16(img, BP_VERSION) < MIN_PROTOCOL)
		return "the kernel's boot protocol is older than 2.06";
	if (!(img[BP_LOADFLAGS] & LOADFLAGS_LOADED_HIGH))
		return "the kernel is a zImage (not loaded high)";
	setup = (img[BP_SETUP_SECTS] ? img[BP_SETUP_SECTS] : 4) * 512ull + 512;
	if (setup >= size)
		return "the kernel's setup size runs past the end of the image";
	pm_size = size - setup;
	if (LINUX_KERNEL_GPA + pm_size > g->ram_size)
		return "the kernel does not fit in guest RAM: give a larger mem=";
	if (cmd_len >= LINUX_CMDLINE_MAX || cmd_len > rd32(img, BP_CMDLINE_SIZE))
		return "the kernel command line is too long";

	/* boot_params: zeroed, then the setup header as the image has it
	 * (it ends at 0x202 + the byte at 0x201, boot.rst). */
	memset(bp, 0, PAGE_SIZE);
	hdr_end = BP_HEADER + img[BP_JUMP + 1];
	memcpy(bp + BP_SETUP_SECTS, img + BP_SETUP_SECTS, hdr_end - BP_SETUP_SECTS);
	bp[BP_TYPE_OF_LOADER] = LOADER_UNDEFINED;
	memcpy(g->ram + LINUX_CMDLINE_GPA, cmdline, cmd_len + 1);
	wr32(bp, BP_CMD_LINE_PTR, LINUX_CMDLINE_GPA);
	memcpy(g->ram + LINUX_KERNEL_GPA, img + setup, pm_size);

	if (initrd) {
		uint64_t isize = initrd->end - initrd->start;
		uint64_t top = g->ram_size, max = (uint64_t)rd32(img, BP_INITRD_ADDR_MAX) + 1;
		uint64_t at;

		if (top > max)
			top = max;
		at = ALIGN_DOWN(top - isize, PAGE_SIZE);
		if (isize >= top || at < ALIGN_UP(LINUX_KERNEL_GPA + pm_size, PAGE_SIZE))
			return "the initrd does not fit in guest RAM above the kernel: give a larger mem=";
		memcpy(g->ram + at, (const void *)initrd->start, isize);
		wr32(bp, BP_RAMDISK_IMAGE, (uint32_t)at);
		wr32(bp, BP_RAMDISK_SIZE, (uint32_t)isize);
	}

	/* The same RAM the guest map has, with the PC's holes reserved. */
	e820_add(bp, 0, 0x9fc00, E820_RAM);
	e820_add(bp, 0x9fc00, 0x400, E820_RESERVED);
	e820_add(bp, 0xf0000, 0x10000, E820_RESERVED);
	e820_add(bp, MiB(1), g->ram_size - MiB(1), E820_RAM);
	kprintf("lamina: linux: boot protocol %u.%02u, %llu KiB kernel, %llu KiB initrd, "
		"command line '%s'\n", rd16(img, BP_VERSION) >> 8, rd16(img, BP_VERSION) & 0xff,
		(unsigned long long)(pm_size >> 10),
		(unsigned long long)(initrd ? (initrd->end - initrd->start) >> 10 : 0), cmdline);
	return NULL;
}

/*
 * The 32-bit boot protocol's entry state (boot.rst "32-bit BOOT
 * PROTOCOL"): protected mode, paging off, a GDT with __BOOT_CS (0x10,
 * flat 4 GiB execute/read) and __BOOT_DS (0x18, flat read/write), CS/DS/
 * ES/SS loaded from them, interrupts off, ESI = boot_params, EBP = EDI =
 * EBX = 0, at code32_start.
 */
void linux_start(struct guest *g)
{
	struct vcpu *v = &g->vcpu;

	guest_enter_flat32(g, LINUX_GDT_GPA, 2); /* __BOOT_CS 0x10, __BOOT_DS 0x18 */
	memset(v->gpr, 0, sizeof(v->gpr));
	v->gpr[GPR_RSI] = LINUX_BOOT_PARAMS_GPA;
	v->rip = rd32(g->ram + LINUX_BOOT_PARAMS_GPA, BP_CODE32_START);
	v->rflags = RFLAGS_FIXED;
}
