/*
 * The monitor's GDT, TSS and IDT.
 *
 * VM entry needs a usable host TR: VMX requires a non-null host TR selector
 * (SDM Vol. 3C 27.2.3), and both VMX and SVM reload host state from these
 * tables on every exit.  The TSS gives the double-fault, NMI and
 * machine-check handlers their own stacks (IST, SDM Vol. 3A 7.7) so a
 * broken monitor stack still produces a report.
 */
#include "kprintf.h"
#include "trap.h"
#include "x86.h"

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __attribute__((packed));

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

#define IST_DF 1
#define IST_NMI 2
#define IST_MC 3
#define IST_STACK_SIZE 8192

static uint64_t gdt[5];
static struct tss64 tss;
static struct idt_gate idt[256];
static trap_handler_fn trap_handlers[256];
static uint8_t ist_stacks[3][IST_STACK_SIZE] __attribute__((aligned(16)));

extern const uint64_t isr_stub_table[256];

static const char *const exception_names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
	"#BR bound range", "#UD invalid opcode", "#NM device not available",
	"#DF double fault", "coprocessor segment overrun", "#TS invalid TSS",
	"#NP segment not present", "#SS stack fault", "#GP general protection",
	"#PF page fault", "reserved 15", "#MF x87 error", "#AC alignment check",
	"#MC machine check", "#XM SIMD error", "#VE virtualization exception",
	"#CP control protection", "reserved 22", "reserved 23", "reserved 24",
	"reserved 25", "reserved 26", "reserved 27", "#HV hypervisor injection",
	"#VC VMM communication", "#SX security exception", "reserved 31",
};

static void gdt_init(void)
{
	uint64_t base = (uint64_t)&tss, limit = sizeof(tss) - 1;

	gdt[0] = 0;
	gdt[1] = 0x00AF9A000000FFFFull; /* 64-bit code, DPL0 */
	gdt[2] = 0x00CF92000000FFFFull; /* data, DPL0 */
	/* 64-bit TSS descriptor, type 9 (available), 16 bytes (SDM 3A 8.2.3) */
	gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
		 (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[4] = base >> 32;

	tss.ist[IST_DF - 1] = (uint64_t)&ist_stacks[0][IST_STACK_SIZE];
	tss.ist[IST_NMI - 1] = (uint64_t)&ist_stacks[1][IST_STACK_SIZE];
	tss.ist[IST_MC - 1] = (uint64_t)&ist_stacks[2][IST_STACK_SIZE];
	tss.iomap_base = sizeof(tss); /* no I/O bitmap */

	struct desc_ptr p = { sizeof(gdt) - 1, (uint64_t)gdt };

	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movw %w2, %%ds\n\t"
			 "movw %w2, %%es\n\t"
			 "movw %w2, %%ss\n\t"
			 "ltr %w3"
			 :
			 : "m"(p), "i"(SEL_CODE64), "r"(SEL_DATA), "r"(SEL_TSS)
			 : "rax", "memory");
}

static void idt_init(void)
{
	for (unsigned v = 0; v < 256; v++) {
		uint64_t off = isr_stub_table[v];
		uint8_t ist = v == 8 ? IST_DF : v == 2 ? IST_NMI : v == 18 ? IST_MC : 0;

		idt[v] = (struct idt_gate){
			.offset_lo = off & 0xffff,
			.selector = SEL_CODE64,
			.ist = ist,
			.type_attr = 0x8e, /* present, DPL0, 64-bit interrupt gate */
			.offset_mid = (off >> 16) & 0xffff,
			.offset_hi = off >> 32,
		};
	}
	struct desc_ptr p = { sizeof(idt) - 1, (uint64_t)idt };

	__asm__ volatile("lidt %0" ::"m"(p));
}

/*
 * A host NMI (a watchdog, the front-panel NMI button, a chipset or PCI
 * error: SDM Vol. 3A 10.5.1 / 11.5.1) taken while the monitor runs — on
 * AMD-V also the one that caused an NMI #VMEXIT, held until STGI.  lamina
 * has no NMI source of its own, so it says so and carries on instead of
 * halting on an "unexpected" vector 2.  IST stack: safe at any point.
 */
static void host_nmi(struct trap_frame *f)
{
	static unsigned long long count;

	count++;
	if (count <= 3 || (count & (count - 1)) == 0)
		kprintf("lamina: host NMI #%llu (rip %#llx): not lamina's; ignored (a watchdog, "
			"the NMI button or a hardware error report: check the machine's log)\n",
			count, (unsigned long long)f->rip);
}

void cpu_tables_init(void)
{
	gdt_init();
	idt_init();
	trap_set_handler(2, host_nmi);
}

void trap_set_handler(uint8_t vector, trap_handler_fn fn)
{
	trap_handlers[vector] = fn;
}

static void trap_report(const struct trap_frame *f)
{
	const char *name = f->vector < 32 ? exception_names[f->vector] : "unexpected interrupt";

	kprintf("\nlamina: monitor fault: %s (vector %llu), error code %#llx\n",
		name, (unsigned long long)f->vector, (unsigned long long)f->error_code);
	kprintf("  rip %016llx  cs %04llx  rflags %016llx\n", (unsigned long long)f->rip,
		(unsigned long long)f->cs, (unsigned long long)f->rflags);
	kprintf("  rsp %016llx  ss %04llx  cr2 %016llx  cr3 %016llx\n",
		(unsigned long long)f->rsp, (unsigned long long)f->ss,
		(unsigned long long)read_cr2(), (unsigned long long)read_cr3());
	kprintf("  rax %016llx  rbx %016llx  rcx %016llx  rdx %016llx\n",
		(unsigned long long)f->rax, (unsigned long long)f->rbx,
		(unsigned long long)f->rcx, (unsigned long long)f->rdx);
	kprintf("  rsi %016llx  rdi %016llx  rbp %016llx  r8  %016llx\n",
		(unsigned long long)f->rsi, (unsigned long long)f->rdi,
		(unsigned long long)f->rbp, (unsigned long long)f->r8);
	kprintf("  r9  %016llx  r10 %016llx  r11 %016llx  r12 %016llx\n",
		(unsigned long long)f->r9, (unsigned long long)f->r10,
		(unsigned long long)f->r11, (unsigned long long)f->r12);
	kprintf("  r13 %016llx  r14 %016llx  r15 %016llx\n", (unsigned long long)f->r13,
		(unsigned long long)f->r14, (unsigned long long)f->r15);
	kprintf("lamina: halted.\n");
}

/* Called by boot/isr.asm for every vector. */
void trap_dispatch(struct trap_frame *f)
{
	trap_handler_fn fn = trap_handlers[f->vector & 0xff];

	if (fn) {
		fn(f);
		return;
	}
	trap_report(f);
	halt_forever();
}
