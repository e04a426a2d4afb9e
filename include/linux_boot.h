/*
 * Direct Linux boot, as QEMU's -kernel does it: lamina loads a bzImage and
 * an initrd (modules "kernel" and "initrd") per the Linux x86 boot protocol
 * (Documentation/arch/x86/boot.rst) and starts the kernel at its 32-bit
 * entry point with a filled-in boot_params ("zero page").  No BIOS runs.
 */
#ifndef LAMINA_LINUX_BOOT_H
#define LAMINA_LINUX_BOOT_H

#include "guest.h"

/* Check and load the images; returns NULL or a sentence saying what is wrong. */
const char *linux_load(struct guest *g, const struct boot_module *kernel,
		       const struct boot_module *initrd);
/* Put the vCPU in the state the 32-bit boot protocol defines. */
void linux_start(struct guest *g);

#endif
