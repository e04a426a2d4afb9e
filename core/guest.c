/*
 * Build the virtual machine: guest RAM, the guest-physical map and its
 * nested page tables, the devices, the image to run and the vCPU's first
 * state (design.md sections 2-3).
 */
#include <stdarg.h>

#include "console.h"
#include "debugdev.h"
#include "guest.h"
#include "iobus.h"
#include "kprintf.h"
#include "lib.h"
#include "linux_boot.h"
#include "monitor.h"
#include "multiboot_guest.h"
#include "nested_pt.h"
#include "platform.h"
#include "vclock.h"
#include "x86.h"

#define FLAT_LOAD_GPA 0x7c00       /* where a flat test guest is loaded and starts */
#define LOW_RAM_END 0xa0000        /* 640 KiB; VGA window above it stays unmapped */
#define BIOS_AREA 0xc0000          /* option ROMs and BIOS up to 1 MiB */
#define BIOS_LOW_MAX 0x20000       /* the BIOS's last 128 KiB also appear below 1 MiB */
#define FLAT_GDT_GPA 0x500         /* GDT given to a protected-mode flat guest */
#define BIOS_MAX_SIZE MiB(16)
#define PAM_SEGMENT KiB(16)        /* 440FX PAM: 16 KiB segments below F0000h */
#define PAM_BIOS_SEGMENT 0xf0000   /* ... and one 64 KiB segment for the BIOS */

struct guest the_guest;
static struct debugdev debug_ports;

void guest_stop(int status, const char *fmt, ...)
{
	va_list ap;

	the_guest.stopped = true;
	the_guest.exit_status = status;
	va_start(ap, fmt);
	kvsnprintf(the_guest.stop_why, sizeof(the_guest.stop_why), fmt, ap);
	va_end(ap);
}

static void debug_putc(void *opaque, uint8_t c)
{
	(void)opaque;
	console_write((const char *)&c, 1);
}

static void debug_log_line(void *opaque, const char *line)
{
	(void)opaque;
	kprintf("bios: %s\n", line);
}

static void debug_exit(void *opaque, uint32_t code)
{
	(void)opaque;
	guest_stop((int)code, "the guest wrote %#x to the isa-debug-exit port", code);
}

static uint64_t nested_pt_page(void *ctx)
{
	(void)ctx;
	return (uint64_t)pages_alloc(1, PAGE_SIZE);
}

/* Below 1 MiB the BIOS's top 128 KiB sit in RAM (the PAM shadow area),
 * as at power-on. */
static void copy_bios_to_shadow(struct guest *g)
{
	uint64_t low = g->rom_size < BIOS_LOW_MAX ? g->rom_size : BIOS_LOW_MAX;

	memcpy(g->ram + MiB(1) - low, g->rom + g->rom_size - low, low);
}

/*
 * Guest-physical layout (a PC's, design.md section 3):
 *   0 - 640K RAM | 640K - 768K hole (VGA) | 768K - 1M RAM or BIOS |
 *   1M - mem RAM | hole ... | 4G - BIOS size: the BIOS image, read-only.
 */
static int map_memory(struct guest *g, const struct boot_module *bios)
{
	struct gpa_map *m = &g->mem;
	uint64_t ram = (uint64_t)g->ram;

	if (gpa_map_add(m, 0, LOW_RAM_END, ram, GPA_RWX, "RAM below 640K") ||
	    gpa_map_add(m, MiB(1), g->ram_size - MiB(1), ram + MiB(1), GPA_RWX, "RAM"))
		return -1;
	if (!bios)
		return gpa_map_add(m, BIOS_AREA, MiB(1) - BIOS_AREA, ram + BIOS_AREA, GPA_RWX,
				   "RAM 768K-1M");

	uint64_t size = bios->end - bios->start;
	uint64_t pages = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;
	uint8_t *rom;

	if (size == 0 || size > BIOS_MAX_SIZE || size % 0x10000) {
		kprintf("lamina: the bios module is %llu bytes; it must be a non-empty multiple "
			"of 64 KiB up to 16 MiB\n", (unsigned long long)size);
		return -1;
	}
	rom = pages_alloc(pages, PAGE_SIZE);
	if (!rom)
		return -1;
	memcpy(rom, (const void *)bios->start, size);
	g->rom = rom;
	g->rom_size = size;
	copy_bios_to_shadow(g);
	/* One region per PAM segment, so the chipset model can change each
	 * one's permissions (guest_set_shadow_perm). */
	for (uint64_t gpa = BIOS_AREA; gpa < PAM_BIOS_SEGMENT; gpa += PAM_SEGMENT)
		if (gpa_map_add(m, gpa, PAM_SEGMENT, ram + gpa, GPA_RX, "BIOS shadow (PAM)"))
			return -1;
	if (gpa_map_add(m, PAM_BIOS_SEGMENT, MiB(1) - PAM_BIOS_SEGMENT, ram + PAM_BIOS_SEGMENT,
			GPA_RX, "BIOS shadow (PAM)") ||
	    gpa_map_add(m, GiB(4) - size, size, (uint64_t)rom, GPA_RX, "BIOS"))
		return -1;
	return 0;
}

/*
 * The 440FX PAM registers decide whether a segment of 0xC0000-0xFFFFF
 * reads and writes RAM (the "shadow") or the ROM behind it (440FX
 * datasheet 3.2.18).  lamina's shadow RAM already holds the ROM's bytes,
 * so "reads from ROM" and "reads from RAM" see the same data until the
 * BIOS writes: the segment is writable exactly when write-enable is set,
 * and read-only otherwise.
 */
int guest_set_shadow_perm(uint64_t gpa, uint64_t size, bool writable)
{
	struct guest *g = &the_guest;
	struct vcpu *v = &g->vcpu;
	uint32_t perm = writable ? GPA_RWX : GPA_RX;
	const struct gpa_region *r = gpa_map_find(&g->mem, gpa);

	if (!r || r->gpa != gpa || r->size != size)
		return -1;
	if (r->perm == perm)
		return 0;
	if (gpa_map_set_perm(&g->mem, gpa, size, perm) ||
	    nested_pt_map(v->root_pt_phys, gpa, r->hpa, size, perm, v->ops->pt_encoder,
			  nested_pt_page, NULL))
		return -1;
	v->ops->flush_gpa(v);
	return 0;
}

static int load_flat(struct guest *g, const struct boot_module *img)
{
	uint64_t size = img->end - img->start;

	if (size == 0 || size > LOW_RAM_END - FLAT_LOAD_GPA) {
		kprintf("lamina: the guest module is %llu bytes; a flat guest must fit between "
			"0x7c00 and 640K\n", (unsigned long long)size);
		return -1;
	}
	memcpy(g->ram + FLAT_LOAD_GPA, (const void *)img->start, size);
	return 0;
}

/*
 * A flat guest starts at 0x7C00 either in real mode (CS=0) or in flat
 * 32-bit protected mode: CS 0x08 and data 0x10 from a GDT lamina writes at
 * 0x500, interrupts off, no IDT (the guest installs its own).
 */
static void start_flat(struct guest *g, enum guest_mode mode)
{
	struct vcpu *v = &g->vcpu;

	v->rip = FLAT_LOAD_GPA;
	v->gpr[GPR_RSP] = FLAT_LOAD_GPA;
	if (mode == GUEST_MODE_REAL) {
		const struct vm_segment cs = { 0, 0x9b, 0xffff, 0 };

		v->ops->set_seg(v, SEG_CS, &cs);
		return;
	}
	guest_enter_flat32(g, FLAT_GDT_GPA, 1);
}

static void attach_debug_ports(struct guest *g)
{
	debug_ports = (struct debugdev){ .putc = debug_putc, .exit = debug_exit,
					 .log_line = debug_log_line, .bios_log = g->opt->bios_log };
	if (debugdev_attach(&debug_ports))
		panic_halt("cannot attach the debug ports");
}

/* Load a directly booted kernel (boot=linux or boot=multiboot) from its
 * modules; returns NULL or what is wrong. */
static const char *load_kernel(struct guest *g, enum boot_kind boot, const struct boot_info *bi)
{
	const struct boot_module *kernel = boot_find_module(bi, "kernel");

	if (boot == BOOT_LINUX)
		return linux_load(g, kernel, boot_find_module(bi, "initrd"));
	return multiboot_guest_load(g, bi);
}

/* Put the vCPU in the entry state of the kernel's boot protocol. */
static void start_kernel(struct guest *g, enum boot_kind boot)
{
	if (boot == BOOT_LINUX)
		linux_start(g);
	else
		multiboot_guest_start(g);
}

/* XCR0 holds only x87 after a reset (SDM Vol. 1 13.3); the guest's
 * XSETBVs went to the real register (exit_xsetbv). */
static void reset_xcr0(void)
{
	if (read_cr4() & CR4_OSXSAVE)
		__asm__ volatile("xsetbv" ::"a"(1u), "d"(0u), "c"(0u));
}

void guest_request_reset(const char *why)
{
	struct guest *g = &the_guest;

	g->reset_pending = true;
	ksnprintf(g->reset_why, sizeof(g->reset_why), "%s", why);
}

/*
 * A CPU reset as the PC does it: the processor restarts at the reset
 * vector, the chipset and devices return to their power-on state, the PAM
 * registers map the BIOS again (the shadow gets the ROM's bytes back), and
 * RAM keeps its contents.  A directly booted kernel has no firmware to
 * restart: lamina plays the boot loader again, reloading the images from
 * the modules (the kernel unpacked itself over the old ones) and entering
 * them as at the first boot.  A flat test guest is stopped instead.
 */
void guest_do_reset(void)
{
	struct guest *g = &the_guest;
	struct vcpu *v = &g->vcpu;

	g->reset_pending = false;
	g->resets++;
	kprintf("lamina: guest reset #%u: %s\n", g->resets, g->reset_why);
	if (g->boot == BOOT_FLAT) {
		guest_stop(-1, "the guest reset the CPU and has no firmware to restart: %s",
			   g->reset_why);
		return;
	}
	vtimer_reset_all();
	io_reset();
	v->ops->reset(v);
	v->halted = false;
	reset_xcr0();
	if (g->boot == BOOT_BIOS) {
		for (uint64_t gpa = BIOS_AREA; gpa < PAM_BIOS_SEGMENT; gpa += PAM_SEGMENT)
			guest_set_shadow_perm(gpa, PAM_SEGMENT, false);
		guest_set_shadow_perm(PAM_BIOS_SEGMENT, MiB(1) - PAM_BIOS_SEGMENT, false);
		copy_bios_to_shadow(g);
		v->gpr[GPR_RDX] = cpuid(1, 0).eax; /* the processor signature, as at reset */
	} else {
		const char *why = load_kernel(g, g->boot, g->bi);

		if (why)
			panic_halt("cannot boot the kernel again after a reset: %s", why);
		start_kernel(g, g->boot);
	}
	attach_debug_ports(g);
	if (platform_init(g->bi))
		panic_halt("cannot reattach the guest's devices after a reset");
}

static enum boot_kind choose_boot(const struct lamina_options *o, const struct boot_info *bi)
{
	if (o->boot != BOOT_AUTO)
		return o->boot;
	if (boot_find_module(bi, "bios"))
		return BOOT_BIOS;
	if (boot_find_module(bi, "kernel"))
		return multiboot_guest_detect(boot_find_module(bi, "kernel")) ? BOOT_MULTIBOOT
										: BOOT_LINUX;
	if (boot_find_module(bi, "guest"))
		return BOOT_FLAT;
	return BOOT_NONE;
}

int guest_create(const struct lamina_options *o, const struct boot_info *bi,
		 const struct vmm_ops *ops)
{
	struct guest *g = &the_guest;
	struct vcpu *v = &g->vcpu;
	enum boot_kind boot = choose_boot(o, bi);
	const struct boot_module *bios = boot_find_module(bi, "bios");
	const struct boot_module *flat = boot_find_module(bi, "guest");
	const struct boot_module *kernel = boot_find_module(bi, "kernel");
	const char *why;

	if (boot == BOOT_NONE)
		panic_halt("no guest to run (give a module named 'guest' or 'bios')");
	if (boot == BOOT_FLAT && !flat)
		panic_halt("boot=flat needs a module named 'guest' (module2 /boot/x.bin guest)");
	if (boot == BOOT_BIOS && !bios)
		panic_halt("boot=bios needs a module named 'bios' (module2 /boot/bios.bin bios)");
	if (boot == BOOT_LINUX && !kernel)
		panic_halt("boot=linux needs a module named 'kernel' (module2 /boot/vmlinuz kernel "
			   "console=ttyS0)");
	if (boot == BOOT_MULTIBOOT && !kernel)
		panic_halt("boot=multiboot needs a module named 'kernel' (module2 /boot/k.elf kernel "
			   "ARGS)");

	memset(g, 0, sizeof(*g));
	g->opt = o;
	g->exit_status = -1;
	g->ram_size = o->mem_bytes;
	g->ram = pages_alloc(g->ram_size / PAGE_SIZE, MiB(2));
	if (!g->ram)
		panic_halt("cannot allocate %llu MiB of guest RAM in one piece",
			   (unsigned long long)(g->ram_size >> 20));
	if (map_memory(g, boot == BOOT_BIOS ? bios : NULL))
		panic_halt("cannot build the guest memory map");
	if (boot == BOOT_FLAT && load_flat(g, flat))
		panic_halt("cannot load the guest");
	if ((boot == BOOT_LINUX || boot == BOOT_MULTIBOOT) && (why = load_kernel(g, boot, bi)))
		panic_halt("cannot boot %s: %s", boot == BOOT_LINUX ? "Linux" : "the multiboot kernel",
			   why);

	v->ops = ops;
	v->mem = &g->mem;
	v->root_pt_phys = nested_pt_build(&g->mem, ops->pt_encoder, nested_pt_page, NULL);
	if (!v->root_pt_phys)
		panic_halt("out of memory for the %s tables", ops->pt_encoder->name);
	if (ops->init(v))
		panic_halt("%s: cannot set up the vCPU", ops->name);
	if (boot == BOOT_FLAT)
		start_flat(g, o->guest_mode);
	if (boot == BOOT_LINUX || boot == BOOT_MULTIBOOT)
		start_kernel(g, boot);
	if (o->corrupt_guest_state)
		ops->corrupt_guest_state(v);

	g->bi = bi;
	g->boot = boot;
	io_reset();
	attach_debug_ports(g);
	kprintf("lamina: guest: %llu MiB RAM, boot=%s, %s with %s\n",
		(unsigned long long)(g->ram_size >> 20), boot_kind_name(boot), ops->name,
		ops->pt_encoder->name);
	for (unsigned i = 0; i < g->mem.n; i++)
		kprintf("  gpa %09llx-%09llx %c%c%c %s\n", (unsigned long long)g->mem.r[i].gpa,
			(unsigned long long)(g->mem.r[i].gpa + g->mem.r[i].size - 1),
			g->mem.r[i].perm & GPA_R ? 'r' : '-', g->mem.r[i].perm & GPA_W ? 'w' : '-',
			g->mem.r[i].perm & GPA_X ? 'x' : '-', g->mem.r[i].name);
	return 0;
}
