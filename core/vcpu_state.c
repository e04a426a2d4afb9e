/*
 * The guest CPU as core/ sees it: its code-segment mode, instruction fetch
 * and decode (for exits whose length the hardware did not report), event
 * injection helpers, and the register report printed when a guest fails.
 */
#include "guest.h"
#include "guest_walk.h"
#include "kprintf.h"
#include "lib.h"
#include "trace.h"
#include "x86.h"

/* Default operand size of the code the guest is running (SDM Vol. 3A
 * 3.4.5, "D/B flag"; 2.2.1 for IA-32e's 64-bit sub-mode). */
enum insn_mode vcpu_insn_mode(struct vcpu *v)
{
	struct vm_segment cs;

	if (!(v->ops->get_reg(v, VM_REG_CR0) & CR0_PE) || (v->rflags & RFLAGS_VM))
		return INSN_MODE_16;
	v->ops->get_seg(v, SEG_CS, &cs);
	if ((v->ops->get_reg(v, VM_REG_EFER) & EFER_LMA) && (cs.attr & SEG_ATTR_L))
		return INSN_MODE_64;
	return (cs.attr & SEG_ATTR_DB) ? INSN_MODE_32 : INSN_MODE_16;
}

uint64_t vcpu_linear_rip(struct vcpu *v)
{
	struct vm_segment cs;

	if (vcpu_insn_mode(v) == INSN_MODE_64)
		return v->rip;
	v->ops->get_seg(v, SEG_CS, &cs);
	return (cs.base + v->rip) & 0xffffffffull;
}

/* The guest's MAXPHYADDR is the host's: CPUID 80000008h passes through
 * (exit_cpuid.c), 36 without that leaf (SDM Vol. 3A 5.1.4).  The CPU
 * faults on entry bits at or above it (SDM Vol. 3A 5.7, RSVD), so the
 * walker must too, or a string move lamina carries out would run on
 * where the CPU faults (tests/hostile/phys_sweep.asm). */
static uint8_t guest_maxphyaddr(void)
{
	static uint8_t m;

	if (!m)
		m = cpuid(0x80000000, 0).eax >= 0x80000008 ? (uint8_t)cpuid(0x80000008, 0).eax : 36;
	return m;
}

/* CPL is SS.DPL (APM Vol. 2 15.5.1; SDM 3A 5.2); real mode runs at 0. */
void vcpu_paging_state(struct vcpu *v, struct guest_paging *pg)
{
	struct vm_segment ss;

	v->ops->get_seg(v, SEG_SS, &ss);
	pg->cr0 = v->ops->get_reg(v, VM_REG_CR0);
	pg->cr3 = v->ops->get_reg(v, VM_REG_CR3);
	pg->cr4 = v->ops->get_reg(v, VM_REG_CR4);
	pg->efer = v->ops->get_reg(v, VM_REG_EFER);
	pg->maxphyaddr = guest_maxphyaddr();
	pg->cpl = (pg->cr0 & CR0_PE) ? (v->rflags & RFLAGS_VM ? 3 : (ss.attr >> 5) & 3) : 0;
}

/* Page-table and instruction reads go only to readable guest memory. */
bool guest_read_phys(void *ctx, uint64_t gpa, void *buf, size_t len)
{
	const void *src = gpa_to_hva(ctx, gpa, len, false);

	if (!src)
		return false;
	memcpy(buf, src, len);
	return true;
}

/*
 * Fetch and decode the instruction at CS:RIP.  The bytes after a short
 * instruction may lie on an unmapped page, so fetch at most up to the end
 * of the page first and read on only if the decoder needs more.
 */
int vcpu_fetch_insn(struct vcpu *v, struct insn *insn)
{
	struct guest_paging pg;
	struct guest_walk_result fault;
	uint8_t buf[INSN_MAX_LEN];
	uint64_t lin = vcpu_linear_rip(v);
	size_t first = PAGE_SIZE - (lin & (PAGE_SIZE - 1));
	enum insn_mode mode = vcpu_insn_mode(v);

	if (first > sizeof(buf))
		first = sizeof(buf);
	vcpu_paging_state(v, &pg);
	pg.cpl = 0; /* the CPU already fetched it: only the bytes matter */
	if (guest_copy_from_linear(&pg, guest_read_phys, v->mem, lin, buf, first, &fault))
		return -1;
	if (insn_decode(buf, first, mode, insn) == 0)
		return 0;
	if (first == sizeof(buf) ||
	    guest_copy_from_linear(&pg, guest_read_phys, v->mem, lin + first, buf + first,
				   sizeof(buf) - first, &fault))
		return -1;
	return insn_decode(buf, sizeof(buf), mode, insn);
}

/* Move RIP past an instruction lamina emulated; IP/EIP wrap at the code
 * segment's operand size as the CPU's own increment does. */
void vcpu_advance_rip(struct vcpu *v, unsigned len)
{
	enum insn_mode mode = vcpu_insn_mode(v);

	v->rip += len;
	if (mode != INSN_MODE_64)
		v->rip &= mode == INSN_MODE_16 ? 0xffff : 0xffffffff;
}

/* Skip the exiting instruction, decoding it when the hardware gave no length. */
enum exit_action vcpu_skip_insn(struct vcpu *v, const struct vm_exit *e)
{
	struct insn insn;
	unsigned len = e->inst_len;

	if (!len) {
		if (vcpu_fetch_insn(v, &insn)) {
			guest_stop(-1, "cannot fetch or decode the instruction at rip %#llx",
				   (unsigned long long)v->rip);
			return EXIT_STOP;
		}
		len = insn.len;
	}
	vcpu_advance_rip(v, len);
	return EXIT_RESUME;
}

void vcpu_inject_exception(struct vcpu *v, uint8_t vector, bool has_error, uint32_t error)
{
	/* Real mode pushes no error code (SDM 3A 21.1.4). */
	if (!(v->ops->get_reg(v, VM_REG_CR0) & CR0_PE))
		has_error = false;
	struct vm_event ev = { EVENT_EXCEPTION, vector, has_error, error };

	v->ops->inject(v, &ev);
	trace_inject(&ev);
}

/* #PF needs CR2 set by whoever delivers it: event injection does not. */
void vcpu_inject_pf(struct vcpu *v, uint64_t gla, uint32_t error)
{
	v->ops->set_reg(v, VM_REG_CR2, gla);
	vcpu_inject_exception(v, VEC_PF, true, error);
}

static void print_seg(const char *name, struct vcpu *v, enum vm_seg s)
{
	struct vm_segment seg;

	v->ops->get_seg(v, s, &seg);
	kprintf("  %-4s sel %04x base %016llx limit %08x attr %04x\n", name, seg.sel,
		(unsigned long long)seg.base, seg.limit, seg.attr);
}

void vcpu_report(struct vcpu *v)
{
	static const char *const gpr_names[GPR_COUNT] = {
		"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
		"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
	};
	static const char *const seg_names[SEG_COUNT] = {
		"es", "cs", "ss", "ds", "fs", "gs", "ldtr", "tr", "gdtr", "idtr",
	};

	kprintf("  rip %016llx rflags %016llx\n", (unsigned long long)v->rip,
		(unsigned long long)v->rflags);
	for (unsigned i = 0; i < GPR_COUNT; i += 4)
		kprintf("  %-3s %016llx %-3s %016llx %-3s %016llx %-3s %016llx\n", gpr_names[i],
			(unsigned long long)v->gpr[i], gpr_names[i + 1],
			(unsigned long long)v->gpr[i + 1], gpr_names[i + 2],
			(unsigned long long)v->gpr[i + 2], gpr_names[i + 3],
			(unsigned long long)v->gpr[i + 3]);
	kprintf("  cr0 %016llx cr2 %016llx cr3 %016llx cr4 %016llx efer %016llx\n",
		(unsigned long long)v->ops->get_reg(v, VM_REG_CR0),
		(unsigned long long)v->ops->get_reg(v, VM_REG_CR2),
		(unsigned long long)v->ops->get_reg(v, VM_REG_CR3),
		(unsigned long long)v->ops->get_reg(v, VM_REG_CR4),
		(unsigned long long)v->ops->get_reg(v, VM_REG_EFER));
	for (unsigned s = 0; s < SEG_COUNT; s++)
		print_seg(seg_names[s], v, s);
	v->ops->dump(v);
}
