/*
 * Boot a Multiboot v1 kernel (The Multiboot Specification 0.6.96): find
 * the header (3.1), load the image as ELF32 or by the header's a.out-kludge
 * addresses (3.1.3), place the modules page-aligned above it, build the
 * multiboot_info (3.3) in lamina's boot-information area and enter the
 * kernel in the machine state of 3.2.  The image is hostile: every address
 * and size is checked against guest RAM before anything is copied.
 */
#include "kprintf.h"
#include "lib.h"
#include "multiboot_guest.h"
#include "x86.h"

/* Header flags (3.1.2): bits 0-15 are requirements the loader must meet. */
#define HDR_PAGE_ALIGN 0x00000001u  /* modules page-aligned */
#define HDR_MEMORY_INFO 0x00000002u /* mem_* and mmap_* fields */
#define HDR_REQUIRED_MASK 0x0000ffffu
#define HDR_AOUT_KLUDGE 0x00010000u /* header_addr ... entry_addr are valid */
#define HDR_SUPPORTED (HDR_PAGE_ALIGN | HDR_MEMORY_INFO)
#define HDR_SIZE 12
#define HDR_KLUDGE_SIZE 32

/* multiboot_info (3.3): flag bits and field offsets. */
#define INFO_MEM 0x001
#define INFO_CMDLINE 0x004
#define INFO_MODS 0x008
#define INFO_MMAP 0x040
#define INFO_LOADER_NAME 0x200
#define INFO_FLAGS 0
#define INFO_MEM_LOWER 4
#define INFO_MEM_UPPER 8
#define INFO_CMDLINE_PTR 16
#define INFO_MODS_COUNT 20
#define INFO_MODS_ADDR 24
#define INFO_MMAP_LENGTH 44
#define INFO_MMAP_ADDR 48
#define INFO_LOADER_NAME_PTR 64
#define INFO_SIZE 0x100
#define MMAP_GPA (MBG_INFO_GPA + INFO_SIZE)
#define MMAP_ENTRY 24       /* size (not counting itself), base, length, type */
#define MMAP_MAX 4
#define MODS_GPA (MMAP_GPA + MMAP_ENTRY * MMAP_MAX)
#define MOD_ENTRY 16        /* mod_start, mod_end, string, reserved */
#define STRINGS_GPA (MODS_GPA + MOD_ENTRY * MBG_MAX_MODS)

/* The guest's RAM as lamina maps it without a BIOS (core/guest.c). */
#define LOW_RAM_END 0x9fc00 /* then the EBDA-sized reserved piece */
#define HIGH_RAM_START 0x100000
#define MMAP_RAM 1
#define MMAP_RESERVED 2

/* ELF32 (System V ABI, "ELF Header" and "Program Header"). */
#define EHDR_SIZE 52
#define PHDR_SIZE 32
#define ET_EXEC 2
#define EM_386 3
#define PT_LOAD 1

static char why_buf[200];

static uint16_t rd16(const uint8_t *p, uint64_t off) { uint16_t v; memcpy(&v, p + off, 2); return v; }
static uint32_t rd32(const uint8_t *p, uint64_t off) { uint32_t v; memcpy(&v, p + off, 4); return v; }
static void wr32(uint8_t *p, uint64_t off, uint32_t v) { memcpy(p + off, &v, 4); }
static void wr64(uint8_t *p, uint64_t off, uint64_t v) { memcpy(p + off, &v, 8); }

/* 3.1.1: magic, flags and checksum, 32-bit aligned, sum zero mod 2^32. */
long mbg_find_header(const uint8_t *img, uint64_t size)
{
	uint64_t limit = size < MBG_SEARCH_LIMIT ? size : MBG_SEARCH_LIMIT;

	for (uint64_t off = 0; off + HDR_SIZE <= limit; off += 4)
		if (rd32(img, off) == MBG_HEADER_MAGIC &&
		    (uint32_t)(rd32(img, off) + rd32(img, off + 4) + rd32(img, off + 8)) == 0)
			return (long)off;
	return -1;
}

/*
 * May the image occupy guest-physical [addr, addr + size)?  Only RAM the
 * memory map offers (3.3 mmap) and never lamina's boot information below
 * MBG_AREA_END.  addr and size are 32-bit values, so nothing overflows.
 */
static const char *check_range(uint64_t addr, uint64_t size, uint64_t ram_size, const char *what)
{
	uint64_t end = addr + size;

	if (size == 0)
		return NULL;
	if (addr < MBG_AREA_END)
		ksnprintf(why_buf, sizeof(why_buf), "%s at %#llx-%#llx overlaps lamina's boot "
			  "information below %#x", what, (unsigned long long)addr,
			  (unsigned long long)end - 1, MBG_AREA_END);
	else if ((addr < HIGH_RAM_START && end > LOW_RAM_END) ||
		 (addr >= HIGH_RAM_START && end > ram_size))
		ksnprintf(why_buf, sizeof(why_buf), "%s at %#llx-%#llx lies outside guest RAM "
			  "(%#x-%#x and %#x-%#llx): give a larger mem= or fix the image", what,
			  (unsigned long long)addr, (unsigned long long)end - 1, MBG_AREA_END,
			  LOW_RAM_END - 1, HIGH_RAM_START, (unsigned long long)ram_size - 1);
	else
		return NULL;
	return why_buf;
}

/* The extent [lo, hi) the kernel occupies; modules go above it. */
struct extent {
	uint64_t lo, hi;
};

static void extent_add(struct extent *x, uint64_t addr, uint64_t size)
{
	if (size == 0)
		return;
	if (addr < x->lo)
		x->lo = addr;
	if (addr + size > x->hi)
		x->hi = addr + size;
}

/* The entry point must lie in what the kernel loads (checked before any
 * byte is copied). */
static const char *check_entry(const struct extent *x, uint32_t eip)
{
	if (eip < x->lo || eip >= x->hi)
		return "the kernel's entry point lies outside the image it loads";
	return NULL;
}

/* Copy a segment's file bytes and zero the rest of its memory (bss). */
static void place(uint8_t *ram, uint64_t addr, const uint8_t *src, uint64_t filesz,
		  uint64_t memsz)
{
	memcpy(ram + addr, src, filesz);
	memset(ram + addr + filesz, 0, memsz - filesz);
}

/*
 * 3.1.3, flag bit 16: the image is loaded from the file offset that puts
 * the header at header_addr, from load_addr to load_end_addr (0: the end
 * of the file), zeroed up to bss_end_addr (0: no bss), entered at
 * entry_addr.
 */
static const char *load_aout_kludge(uint8_t *ram, uint64_t ram_size, const struct mbg_image *k,
				    uint64_t hdr, struct extent *x, uint32_t *eip)
{
	const uint8_t *h = k->data + hdr;
	uint64_t header_addr, load_addr, load_end, bss_end, file_off, load_size, mem_size;
	const char *why;

	if (hdr + HDR_KLUDGE_SIZE > k->size)
		return "the Multiboot header's address fields run past the end of the image";
	header_addr = rd32(h, 12);
	load_addr = rd32(h, 16);
	load_end = rd32(h, 20);
	bss_end = rd32(h, 24);
	if (load_addr > header_addr || header_addr - load_addr > hdr)
		return "the Multiboot header's load_addr does not lie before the header in the file";
	file_off = hdr - (header_addr - load_addr);
	load_size = load_end ? load_end - load_addr : k->size - file_off;
	if (load_end && load_end < load_addr)
		return "the Multiboot header's load_end_addr lies below load_addr";
	if (load_size > k->size - file_off)
		return "the Multiboot header's load_end_addr lies past the end of the image";
	if (bss_end && bss_end < load_addr + load_size)
		return "the Multiboot header's bss_end_addr lies below load_end_addr";
	mem_size = bss_end ? bss_end - load_addr : load_size;
	if ((why = check_range(load_addr, mem_size, ram_size, "the image (a.out kludge)")))
		return why;
	extent_add(x, load_addr, mem_size);
	*eip = rd32(h, 28);
	if ((why = check_entry(x, *eip)))
		return why;
	place(ram, load_addr, k->data + file_off, load_size, mem_size);
	return NULL;
}

/*
 * An ELF32 i386 executable: each PT_LOAD segment goes to its physical
 * address p_paddr (file bytes, then zeroes up to p_memsz), as GRUB does;
 * an entry point given as a virtual address inside a segment is moved to
 * the matching physical address.  All segments are checked first.
 */
static const char *load_elf32(uint8_t *ram, uint64_t ram_size, const struct mbg_image *k,
			      struct extent *x, uint32_t *eip)
{
	const uint8_t *e = k->data;
	uint64_t phoff, phentsize, phnum, entry;
	unsigned loads = 0;
	const char *why;

	if (k->size < EHDR_SIZE || memcmp(e, "\177ELF", 4))
		return "the kernel is neither ELF nor has the Multiboot a.out-kludge addresses "
		       "(header flag bit 16)";
	if (e[4] != 1)
		return "the kernel is a 64-bit ELF; Multiboot v1 loads ELF32 "
		       "(objcopy -O elf32-i386) or the a.out kludge";
	if (e[5] != 1 || rd16(e, 16) != ET_EXEC || rd16(e, 18) != EM_386)
		return "the kernel is not a little-endian i386 ELF executable";
	entry = rd32(e, 24);
	phoff = rd32(e, 28);
	phentsize = rd16(e, 42);
	phnum = rd16(e, 44);
	if (phentsize < PHDR_SIZE || phoff > k->size || phnum * phentsize > k->size - phoff)
		return "the kernel's ELF program headers run past the end of the image";

	*eip = (uint32_t)entry;
	for (int copy = 0; copy < 2; copy++) {
		for (uint64_t i = 0; i < phnum; i++) {
			const uint8_t *ph = e + phoff + i * phentsize;
			uint64_t off = rd32(ph, 4), vaddr = rd32(ph, 8), paddr = rd32(ph, 12);
			uint64_t filesz = rd32(ph, 16), memsz = rd32(ph, 20);

			if (rd32(ph, 0) != PT_LOAD || memsz == 0)
				continue;
			if (copy) {
				place(ram, paddr, e + off, filesz, memsz);
				continue;
			}
			if (filesz > memsz)
				return "an ELF segment's p_filesz exceeds its p_memsz";
			if (off > k->size || filesz > k->size - off)
				return "an ELF segment's bytes run past the end of the image";
			if ((why = check_range(paddr, memsz, ram_size, "an ELF segment")))
				return why;
			extent_add(x, paddr, memsz);
			if (*eip == entry && entry >= vaddr && entry < vaddr + memsz)
				*eip = (uint32_t)(entry - vaddr + paddr);
			loads++;
		}
		if (!loads)
			return "the kernel's ELF has no loadable segment";
		if (!copy && (why = check_entry(x, *eip)))
			return why;
	}
	return NULL;
}

/* Strings in the boot-information area, NUL-terminated; 0 when full. */
static uint32_t put_string(uint8_t *ram, uint32_t *next, const char *s)
{
	size_t n = strlen(s) + 1;
	uint32_t at = *next;

	if (n > MBG_AREA_END - at)
		return 0;
	memcpy(ram + at, s, n);
	*next += (uint32_t)n;
	return at;
}

static void mmap_add(uint8_t *ram, unsigned *n, uint64_t base, uint64_t len, uint32_t type)
{
	uint64_t at = MMAP_GPA + (uint64_t)*n * MMAP_ENTRY;

	wr32(ram, at, MMAP_ENTRY - 4);
	wr64(ram, at + 4, base);
	wr64(ram, at + 12, len);
	wr32(ram, at + 20, type);
	(*n)++;
}

/*
 * 3.3: mem_lower/mem_upper in KiB, the memory map (the same layout the
 * guest-physical map and Linux's e820 have), the command line, the
 * modules and the boot loader's name, all at MBG_INFO_GPA and after it.
 */
static const char *build_info(uint8_t *ram, uint64_t ram_size, const struct mbg_image *kernel,
			      const struct mbg_image *mods, const uint32_t *mod_at, unsigned n_mods)
{
	uint8_t *info = ram + MBG_INFO_GPA;
	uint32_t next = STRINGS_GPA, cmdline, name;
	unsigned n = 0;

	memset(info, 0, INFO_SIZE);
	wr32(info, INFO_MEM_LOWER, LOW_RAM_END / 1024);
	wr32(info, INFO_MEM_UPPER, (uint32_t)((ram_size - HIGH_RAM_START) / 1024));
	mmap_add(ram, &n, 0, LOW_RAM_END, MMAP_RAM);
	mmap_add(ram, &n, LOW_RAM_END, 0xa0000 - LOW_RAM_END, MMAP_RESERVED);
	mmap_add(ram, &n, 0xf0000, 0x10000, MMAP_RESERVED);
	mmap_add(ram, &n, HIGH_RAM_START, ram_size - HIGH_RAM_START, MMAP_RAM);
	wr32(info, INFO_MMAP_LENGTH, n * MMAP_ENTRY);
	wr32(info, INFO_MMAP_ADDR, MMAP_GPA);
	cmdline = put_string(ram, &next, kernel->string);
	name = put_string(ram, &next, "lamina");
	if (!cmdline || !name)
		return "the kernel command line does not fit in lamina's boot information";
	wr32(info, INFO_CMDLINE_PTR, cmdline);
	wr32(info, INFO_LOADER_NAME_PTR, name);
	for (unsigned i = 0; i < n_mods; i++) {
		uint32_t s = put_string(ram, &next, mods[i].string);

		if (!s)
			return "the module strings do not fit in lamina's boot information";
		wr32(ram, MODS_GPA + i * MOD_ENTRY, mod_at[i]);
		wr32(ram, MODS_GPA + i * MOD_ENTRY + 4, mod_at[i] + (uint32_t)mods[i].size);
		wr32(ram, MODS_GPA + i * MOD_ENTRY + 8, s);
		wr32(ram, MODS_GPA + i * MOD_ENTRY + 12, 0);
	}
	wr32(info, INFO_MODS_COUNT, n_mods);
	wr32(info, INFO_MODS_ADDR, MODS_GPA);
	wr32(info, INFO_FLAGS, INFO_MEM | INFO_CMDLINE | INFO_MODS | INFO_MMAP | INFO_LOADER_NAME);
	return NULL;
}

const char *mbg_load(uint8_t *ram, uint64_t ram_size, const struct mbg_image *kernel,
		     const struct mbg_image *mods, unsigned n_mods, struct mbg_entry *entry)
{
	long hdr = mbg_find_header(kernel->data, kernel->size);
	struct extent x = { UINT64_MAX, 0 };
	uint32_t flags, mod_at[MBG_MAX_MODS];
	uint64_t at;
	const char *why;

	if (hdr < 0)
		return "no Multiboot header (magic 0x1BADB002 with a valid checksum) in the "
		       "kernel's first 8192 bytes";
	if (ram_size < 2 * HIGH_RAM_START || ram_size > 0x100000000ull)
		return "guest RAM must be between 2 MiB and 4 GiB for a Multiboot kernel";
	if (n_mods > MBG_MAX_MODS)
		return "too many modules for a Multiboot kernel";
	flags = rd32(kernel->data, (uint64_t)hdr + 4);
	if (flags & HDR_REQUIRED_MASK & ~HDR_SUPPORTED) {
		ksnprintf(why_buf, sizeof(why_buf), "the kernel requires Multiboot features lamina "
			  "does not offer (header flags %#x; lamina offers page-aligned modules and "
			  "memory information, no video mode)", flags);
		return why_buf;
	}
	why = flags & HDR_AOUT_KLUDGE
		? load_aout_kludge(ram, ram_size, kernel, (uint64_t)hdr, &x, &entry->eip)
		: load_elf32(ram, ram_size, kernel, &x, &entry->eip);
	if (why)
		return why;

	at = x.hi > HIGH_RAM_START ? x.hi : HIGH_RAM_START;
	for (unsigned i = 0; i < n_mods; i++) {
		at = ALIGN_UP(at, PAGE_SIZE);
		if (mods[i].size > ram_size || at + mods[i].size > ram_size)
			return "the modules do not fit in guest RAM above the kernel: give a larger mem=";
		memcpy(ram + at, mods[i].data, mods[i].size);
		mod_at[i] = (uint32_t)at;
		at += mods[i].size;
	}
	entry->info = MBG_INFO_GPA;
	return build_info(ram, ram_size, kernel, mods, mod_at, n_mods);
}

/* The entry state, kept from load to start and for a reset. */
static struct mbg_entry mb_entry;

bool multiboot_guest_detect(const struct boot_module *kernel)
{
	return mbg_find_header((const uint8_t *)kernel->start, kernel->end - kernel->start) >= 0;
}

/* The module named "kernel" and, in order, every module named "mbmod";
 * each one's string is its whole module line, name first (GRUB passes
 * the path first). */
const char *multiboot_guest_load(struct guest *g, const struct boot_info *bi)
{
	const struct boot_module *k = boot_find_module(bi, "kernel");
	struct mbg_image kernel = { (const uint8_t *)k->start, k->end - k->start, k->cmdline };
	struct mbg_image mods[MBG_MAX_MODS] = { 0 };
	unsigned n = 0;
	const char *why;

	for (unsigned i = 0; i < bi->n_mods; i++) {
		const struct boot_module *m = &bi->mods[i];

		if (!boot_module_named(m, "mbmod"))
			continue;
		if (n == MBG_MAX_MODS)
			return "more than 16 mbmod modules";
		mods[n++] = (struct mbg_image){ (const uint8_t *)m->start, m->end - m->start,
						m->cmdline };
	}
	why = mbg_load(g->ram, g->ram_size, &kernel, mods, n, &mb_entry);
	if (!why)
		kprintf("lamina: multiboot: entry %#x, %u module%s, command line '%s'\n",
			mb_entry.eip, n, n == 1 ? "" : "s", kernel.string);
	return why;
}

/*
 * 3.2 "Machine state": EAX = 0x2BADB002, EBX = the multiboot_info, CS a
 * 32-bit read/execute segment and DS/ES/FS/GS/SS read/write segments, all
 * offset 0 and limit 0xFFFFFFFF, CR0.PG = 0 and PE = 1, EFLAGS.VM = IF = 0.
 * The GDT behind the selectors is lamina's; the kernel must load its own.
 */
void multiboot_guest_start(struct guest *g)
{
	struct vcpu *v = &g->vcpu;

	guest_enter_flat32(g, MBG_GDT_GPA, 1);
	memset(v->gpr, 0, sizeof(v->gpr));
	v->gpr[GPR_RAX] = MBG_BOOTLOADER_MAGIC;
	v->gpr[GPR_RBX] = mb_entry.info;
	v->rip = mb_entry.eip;
	v->rflags = RFLAGS_FIXED;
}
