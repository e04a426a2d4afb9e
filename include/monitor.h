/* Monitor-wide services that are not worth a header each. */
#ifndef LAMINA_MONITOR_H
#define LAMINA_MONITOR_H

#include "types.h"

#define LAMINA_VERSION "0.1"

/* Print "lamina: <why>" then "lamina: halted." and stop this CPU for good. */
__attribute__((noreturn, format(printf, 1, 2))) void panic_halt(const char *fmt, ...);

/* Zeroed, identity-mapped pages from the physical allocator, or NULL. */
void *pages_alloc(uint64_t npages, uint64_t align);
void pages_free(void *p, uint64_t npages);

/* Extend the boot identity map (first 4 GiB) up to top. */
void paging_map_identity(uint64_t top);

extern char __image_start[], __image_end[];
extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[]; /* boot/linker.ld */
extern uint64_t boot_stack[]; /* the monitor stack's lowest word (boot/entry.asm) */

#endif
