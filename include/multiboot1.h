/*
 * The original Multiboot specification (version 0.6.96, "Multiboot 1"),
 * section 3.3 "Boot information format".  lamina carries a Multiboot 1
 * header beside its Multiboot2 one so that loaders that only speak
 * version 1 can start it: iPXE (network boot), QEMU's -kernel, GRUB's
 * `multiboot` command.  GRUB's `multiboot2` command still uses the
 * Multiboot2 header; the boot information of either kind ends up in the
 * same struct boot_info.
 */
#ifndef LAMINA_MULTIBOOT1_H
#define LAMINA_MULTIBOOT1_H

#include "multiboot2.h"

#define MB1_BOOTLOADER_MAGIC 0x2badb002u

/* flags of the boot information (spec 3.3) */
#define MB1_INFO_MEMORY BIT(0)   /* mem_lower, mem_upper */
#define MB1_INFO_CMDLINE BIT(2)
#define MB1_INFO_MODS BIT(3)
#define MB1_INFO_MMAP BIT(6)
#define MB1_INFO_LOADER BIT(9)

#define MB1_INFO_SIZE 88 /* through vbe_interface_len; lamina reads less */

/*
 * Map len bytes at physical address pa for reading, or return NULL when
 * they are not reachable (the monitor identity-maps the first 4 GiB; the
 * host tests map a buffer).
 */
typedef const void *(*mb1_map_fn)(uint64_t pa, uint64_t len, void *ctx);

/*
 * Parse the Multiboot 1 information at physical address mbi_phys.
 * Unlike Multiboot2's single block, version 1 points to a command line,
 * module list, strings and memory map anywhere in memory, so the strings
 * lamina keeps are copied into pool (pool_len bytes); the memory map and
 * module list are copied into bi.  Multiboot 1 loaders put the image's
 * own name first on every command line (iPXE, GRUB, QEMU -kernel): that
 * first word is dropped, so bi holds what a Multiboot2 loader would give.
 * Returns NULL or a sentence saying what is wrong.
 */
const char *mb1_parse(mb1_map_fn map, void *ctx, uint64_t mbi_phys, struct boot_info *bi,
		      char *pool, size_t pool_len);

#endif
