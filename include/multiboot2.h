/*
 * What lamina learns from its boot loader (Multiboot2 specification,
 * section 3.6 "Boot information format").
 */
#ifndef LAMINA_MULTIBOOT2_H
#define LAMINA_MULTIBOOT2_H

#include "types.h"

#define MB2_BOOTLOADER_MAGIC 0x36d76289u

#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_BOOTLOADER 2
#define MB2_TAG_MODULE 3
#define MB2_TAG_MMAP 6

#define MB2_MEM_AVAILABLE 1
#define MB2_MEM_ACPI 3
#define MB2_MEM_NVS 4
#define MB2_MEM_BAD 5

#define BOOT_MAX_MMAP 64
#define BOOT_MAX_MODULES 16

struct mem_region {
	uint64_t base, len;
	uint32_t type; /* MB2_MEM_* */
};

struct boot_module {
	uint64_t start, end; /* [start, end) physical */
	const char *cmdline; /* the text after the path on the module2 line */
};

struct boot_info {
	const char *cmdline; /* lamina's own command line ("" if none) */
	const char *loader;
	struct mem_region mmap[BOOT_MAX_MMAP];
	unsigned n_mmap;
	struct boot_module mods[BOOT_MAX_MODULES];
	unsigned n_mods;
	uint64_t info_start, info_end; /* the information structure itself */
};

/*
 * Parse the boot information at mbi (already mapped).  Returns NULL on
 * success or a sentence saying what is wrong with it.  Never reads beyond
 * the structure's total_size.
 */
const char *mb2_parse(const void *mbi, uint64_t mbi_phys, struct boot_info *bi);

/* The module whose command line's first word is name, or NULL. */
const struct boot_module *boot_find_module(const struct boot_info *bi, const char *name);
/* Is the first word of the module's line this name? */
bool boot_module_named(const struct boot_module *m, const char *name);

#endif
