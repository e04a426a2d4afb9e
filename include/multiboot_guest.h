/*
 * Multiboot v1 guests (The Multiboot Specification, version 0.6.96): lamina
 * plays the boot loader for a kernel with a Multiboot header (an ELF32
 * executable, or any image with the header's "a.out kludge" addresses),
 * loads it and its modules into guest RAM, builds the multiboot_info and
 * enters the kernel in 32-bit protected mode.  kvm-unit-tests images and
 * many teaching kernels are such guests.
 */
#ifndef LAMINA_MULTIBOOT_GUEST_H
#define LAMINA_MULTIBOOT_GUEST_H

#include "guest.h"

#define MBG_HEADER_MAGIC 0x1BADB002u     /* spec 3.1.2 */
#define MBG_BOOTLOADER_MAGIC 0x2BADB002u /* EAX at entry, spec 3.2 */
#define MBG_SEARCH_LIMIT 8192            /* the header lies in the first 8 KiB */
#define MBG_MAX_MODS 16

/* Where lamina keeps its boot information (GDT, multiboot_info, memory
 * map, module list, strings) in guest RAM; no kernel segment may touch it. */
#define MBG_AREA_START 0x8000
#define MBG_AREA_END 0x10000
#define MBG_GDT_GPA 0x8000
#define MBG_INFO_GPA 0x8100

/* One image handed to the guest: the kernel or a module, and its string. */
struct mbg_image {
	const uint8_t *data;
	uint64_t size;
	const char *string;
};

/* What the kernel is entered with (spec 3.2): EIP and EBX. */
struct mbg_entry {
	uint32_t eip;
	uint32_t info;
};

/* The offset of the first valid header in the first 8 KiB, or -1. */
long mbg_find_header(const uint8_t *img, uint64_t size);

/* Load the kernel and modules into ram[0, ram_size) and build the
 * multiboot_info; NULL, or a sentence saying why the image is refused
 * (then nothing outside guest RAM was written). */
const char *mbg_load(uint8_t *ram, uint64_t ram_size, const struct mbg_image *kernel,
		     const struct mbg_image *mods, unsigned n_mods, struct mbg_entry *entry);

/* The monitor's side: does module "kernel" carry a Multiboot header; load
 * it with the modules named "mbmod"; put the vCPU in the entry state. */
bool multiboot_guest_detect(const struct boot_module *kernel);
const char *multiboot_guest_load(struct guest *g, const struct boot_info *bi);
void multiboot_guest_start(struct guest *g);

#endif
