/*
 * lamina's C entry point, called by boot/entry.asm in long mode with the
 * Multiboot2 magic and the physical address of the boot information.
 */
#include <stdarg.h>

#include "console.h"
#include "guest.h"
#include "hosttimer.h"
#include "kprintf.h"
#include "lib.h"
#include "monitor.h"
#include "multiboot1.h"
#include "multiboot2.h"
#include "options.h"
#include "palloc.h"
#include "platform.h"
#include "selfcheck.h"
#include "trap.h"
#include "virt_features.h"
#include "x86.h"

#define MONITOR_RESERVE MiB(8) /* page tables, VMCB/VMCS, bitmaps, trace ring */

static struct boot_info boot_info;
static struct lamina_options options;
static struct cpu_raw cpu_raw;
static struct virt_report virt;
static char mb1_strings[2048]; /* Multiboot 1 command lines, copied */

/* Multiboot 1 pointers are physical; the boot page tables identity-map
 * the first 4 GiB, and Multiboot 1 addresses are 32-bit anyway. */
static const void *mb1_map(uint64_t pa, uint64_t len, void *ctx)
{
	(void)ctx;
	if (pa + len < pa || pa + len > GiB(4))
		return NULL;
	return (const void *)pa;
}

void panic_halt(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	kprintf("lamina: %s\nlamina: halted.\n", buf);
	halt_forever();
}

static const char *mem_type_name(uint32_t t)
{
	switch (t) {
	case MB2_MEM_AVAILABLE: return "available";
	case MB2_MEM_ACPI: return "ACPI reclaimable";
	case MB2_MEM_NVS: return "ACPI NVS";
	case MB2_MEM_BAD: return "bad";
	default: return "reserved";
	}
}

static uint64_t print_memory_map(void)
{
	uint64_t top = 0, avail = 0;

	kprintf("lamina: memory map (%u entries):\n", boot_info.n_mmap);
	for (unsigned i = 0; i < boot_info.n_mmap; i++) {
		const struct mem_region *r = &boot_info.mmap[i];

		kprintf("  %016llx-%016llx %s\n", (unsigned long long)r->base,
			(unsigned long long)(r->base + r->len - 1), mem_type_name(r->type));
		if (r->type == MB2_MEM_AVAILABLE) {
			avail += r->len;
			if (r->base + r->len > top)
				top = r->base + r->len;
		}
	}
	kprintf("lamina: %llu MiB of RAM\n", (unsigned long long)(avail >> 20));
	return top;
}

/* Modules are named by the first word of their module2 line. */
static void check_modules(void)
{
	static const char *const known[] = { "guest", "bios", "floppy", "kernel", "initrd",
					     "mbmod", "ide0", "ide1", "ide2", "ide3" };

	for (unsigned i = 0; i < boot_info.n_mods; i++) {
		const struct boot_module *m = &boot_info.mods[i];
		bool ok = false;

		kprintf("lamina: module '%s' at %#llx, %llu bytes\n", m->cmdline,
			(unsigned long long)m->start, (unsigned long long)(m->end - m->start));
		for (unsigned k = 0; k < ARRAY_SIZE(known); k++)
			if (boot_module_named(m, known[k]))
				ok = true;
		if (!ok)
			panic_halt("module '%s' has an unknown name; known: guest bios floppy kernel initrd mbmod ide0-ide3",
				   m->cmdline);
	}
}

static void memory_init(void)
{
	struct phys_range reserved[BOOT_MAX_MODULES + 3];
	unsigned n = 0;
	uint64_t top = print_memory_map();

	reserved[n++] = (struct phys_range){ 0, MiB(1) }; /* IVT, BDA, EBDA, ROMs */
	reserved[n++] = (struct phys_range){ (uint64_t)__image_start, (uint64_t)__image_end };
	reserved[n++] = (struct phys_range){ boot_info.info_start, boot_info.info_end };
	for (unsigned i = 0; i < boot_info.n_mods; i++)
		reserved[n++] = (struct phys_range){ boot_info.mods[i].start, boot_info.mods[i].end };

	/* Only the boot map's 4 GiB is usable until the map is extended. */
	palloc_init(boot_info.mmap, boot_info.n_mmap, reserved, n, GiB(4));
	if (top > GiB(4)) {
		paging_map_identity(top);
		palloc_init(boot_info.mmap, boot_info.n_mmap, reserved, n, GiB(512));
		paging_map_identity(top); /* page directories already in place stay */
	}
	kprintf("lamina: %llu MiB free for guests and the monitor\n",
		(unsigned long long)(palloc_free_bytes() >> 20));
	if (palloc_free_bytes() < options.mem_bytes + MONITOR_RESERVE)
		panic_halt("not enough memory: the guest needs %llu MiB (mem=) and the monitor "
			   "%llu MiB, but only %llu MiB is free; give a smaller mem=",
			   (unsigned long long)(options.mem_bytes >> 20),
			   (unsigned long long)(MONITOR_RESERVE >> 20),
			   (unsigned long long)(palloc_free_bytes() >> 20));
}

static uint64_t free_before_guest;

/* What the monitor costs in memory: its image (text, data, bss) and the
 * pages it allocated for this guest beyond the guest's RAM (page tables,
 * VMCB/VMCS, I/O and MSR bitmaps, the BIOS copy, device buffers). */
static void print_footprint(void)
{
	uint64_t used = free_before_guest - palloc_free_bytes();
	uint64_t extra = used > options.mem_bytes ? used - options.mem_bytes : 0;

	kprintf("lamina: footprint: image %llu KiB, %llu KiB allocated beyond the guest's "
		"%llu MiB of RAM\n",
		(unsigned long long)(((uint64_t)__image_end - (uint64_t)__image_start) >> 10),
		(unsigned long long)(extra >> 10), (unsigned long long)(options.mem_bytes >> 20));
}

void main(uint32_t magic, uint64_t mbi_phys)
{
	char err[160];
	const char *why;
	uint16_t bda_port = console_bios_port();
	uint16_t console_port = bda_port ? bda_port : COM1_BASE;

	console_init(console_port);
	kprintf("\nlamina %s: a thin hypervisor for teaching\n", LAMINA_VERSION);
	cpu_tables_init();
	/* the boot GDT in .rodata got its accessed bits before this: from
	 * here on .text and .rodata never change */
	selfcheck_init(__text_start, __text_end, __rodata_start, __rodata_end, boot_stack);
	if (magic == MB2_BOOTLOADER_MAGIC)
		why = mb2_parse((const void *)mbi_phys, mbi_phys, &boot_info);
	else if (magic == MB1_BOOTLOADER_MAGIC)
		why = mb1_parse(mb1_map, NULL, mbi_phys, &boot_info, mb1_strings, sizeof(mb1_strings));
	else
		panic_halt("not started by a Multiboot2 or Multiboot 1 boot loader (magic %#x)", magic);
	if (why)
		panic_halt("bad boot information: %s", why);
	if (magic == MB1_BOOTLOADER_MAGIC)
		kprintf("lamina: started by a Multiboot 1 boot loader%s%s\n",
			*boot_info.loader ? ": " : "", boot_info.loader);
	kprintf("lamina: command line: '%s'\n", boot_info.cmdline);
	if (options_parse(boot_info.cmdline, &options, err, sizeof(err)))
		panic_halt("%s", err);
	if (bda_port && bda_port != COM1_BASE)
		kprintf("lamina: console on port %#x, COM1 in the BIOS data area\n", bda_port);
	if (options.console_vga) {
		kprintf("lamina: console moves to the VGA text screen (console=vga); "
			"nothing more on this serial line\n");
		console_init_vga();
		kprintf("\nlamina %s: a thin hypervisor for teaching (console=vga)\n",
			LAMINA_VERSION);
	} else if (options.console_port && options.console_port != console_port) {
		kprintf("lamina: console moves to port %#x\n", options.console_port);
		console_init(options.console_port);
	}
	check_modules();
	memory_init();

	cpu_probe(&cpu_raw);
	virt_assess(&cpu_raw, &virt);
	virt_print(&cpu_raw, &virt);
	if (virt.usable == VIRT_NONE)
		panic_halt("cannot run guests: %s", virt.why_not);

	clock_init();
	free_before_guest = palloc_free_bytes();
	guest_create(&options, &boot_info, virt.usable == VIRT_SVM ? &svm_ops : &vmx_ops);
	if (platform_init(&boot_info))
		panic_halt("cannot attach the guest's devices");
	print_footprint();
	guest_run();
	selfcheck_verify("guest stopped");
	panic_halt("lamina stays in control; nothing more to run");
}
