/* The monitor's own interrupts and exceptions (not the guest's). */
#ifndef LAMINA_TRAP_H
#define LAMINA_TRAP_H

#include "types.h"

/* Layout pushed by boot/isr.asm, lowest address first. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

typedef void (*trap_handler_fn)(struct trap_frame *f);

void cpu_tables_init(void);              /* GDT with TSS, IDT */
void trap_set_handler(uint8_t vector, trap_handler_fn fn);

/* Selectors of the monitor's GDT (core/cpu_tables.c). */
#define SEL_CODE64 0x08
#define SEL_DATA 0x10
#define SEL_TSS 0x18

#endif
