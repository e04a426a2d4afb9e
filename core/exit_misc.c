/*
 * The small exit handlers: HLT, instructions the guest may not use,
 * INVD, XSETBV, and the exits that end a guest with a report.
 */
#include "guest.h"
#include "kprintf.h"
#include "x86.h"

/* HLT: the vCPU sleeps in the run loop until an interrupt is pending for
 * it.  With RFLAGS.IF=0 nothing can ever wake it (no NMI source exists),
 * so the guest is finished (Linux's "poweroff -f" without ACPI does this). */
enum exit_action exit_hlt(struct vcpu *v, const struct vm_exit *e)
{
	if (vcpu_skip_insn(v, e) == EXIT_STOP)
		return EXIT_STOP;
	if (!(v->rflags & RFLAGS_IF)) {
		guest_stop(-1, "guest halted with interrupts disabled at rip %#llx",
			   (unsigned long long)e->rip);
		return EXIT_STOP;
	}
	v->halted = true;
	return EXIT_RESUME;
}

/* VMCALL/VMMCALL and every VMX/SVM instruction: lamina offers the guest
 * no hypercalls and no nested virtualization, so they are undefined
 * opcodes to it, as on a CPU without VMX/SVM (SDM Vol. 3C 26.1.2 lists
 * them as exiting unconditionally; APM 15.9 for SVM). */
enum exit_action exit_undefined_insn(struct vcpu *v, const struct vm_exit *e)
{
	(void)e;
	vcpu_inject_exception(v, VEC_UD, false, 0);
	return EXIT_RESUME;
}

/* INVD would drop dirty cache lines the monitor owns: do WBINVD's job,
 * which for a guest is nothing (its memory stays coherent). */
enum exit_action exit_invd(struct vcpu *v, const struct vm_exit *e)
{
	return vcpu_skip_insn(v, e);
}

/*
 * XSETBV (VMX exits on it unconditionally, SDM 26.1.2): XCR0 must keep
 * x87 (bit 0), AVX (bit 2) needs SSE (bit 1), and only bits the CPU
 * supports (CPUID.(EAX=0Dh,ECX=0):EDX:EAX) may be set; anything else is
 * #GP (SDM Vol. 2C "XSETBV").  The valid value goes to the real XCR0: the
 * monitor itself never uses x87/SSE/AVX state.  XSETBV itself needs
 * CR4.OSXSAVE in the monitor, which lamina does not otherwise set.
 */
enum exit_action exit_xsetbv(struct vcpu *v, const struct vm_exit *e)
{
	uint64_t val = (v->gpr[GPR_RDX] << 32) | (uint32_t)v->gpr[GPR_RAX];
	struct cpuid_regs xs = cpuid(0xd, 0);
	uint64_t supported = xs.eax | ((uint64_t)xs.edx << 32);

	if ((uint32_t)v->gpr[GPR_RCX] != 0 || !(val & 1) || (val & ~supported) ||
	    ((val & 4) && !(val & 2))) {
		vcpu_inject_exception(v, VEC_GP, true, 0);
		return EXIT_RESUME;
	}
	if (!(read_cr4() & CR4_OSXSAVE))
		write_cr4(read_cr4() | CR4_OSXSAVE);
	__asm__ volatile("xsetbv" ::"a"((uint32_t)val), "d"((uint32_t)(val >> 32)), "c"(0));
	return vcpu_skip_insn(v, e);
}

/* Exceptions are not intercepted; one that exits anyway is handed back. */
enum exit_action exit_exception(struct vcpu *v, const struct vm_exit *e)
{
	vcpu_inject_exception(v, e->u.exc.vector, e->u.exc.has_error, e->u.exc.error_code);
	return EXIT_RESUME;
}

enum exit_action exit_triple_fault(struct vcpu *v, const struct vm_exit *e)
{
	kprintf("lamina: guest triple fault (%s shutdown) at rip %#llx; guest registers:\n",
		v->ops->name, (unsigned long long)e->rip);
	vcpu_report(v);
	guest_stop(-1, "guest triple fault");
	return EXIT_STOP;
}

enum exit_action exit_entry_failed(struct vcpu *v, const struct vm_exit *e)
{
	kprintf("lamina: VM entry failed: %s (code %#llx, qualification %#llx)\n",
		e->u.fail.what ? e->u.fail.what : "no reason given",
		(unsigned long long)e->u.fail.code, (unsigned long long)e->u.fail.qual);
	vcpu_report(v);
	guest_stop(-1, "VM entry failed");
	return EXIT_STOP;
}

enum exit_action exit_unhandled(struct vcpu *v, const struct vm_exit *e)
{
	kprintf("lamina: unhandled %s exit, raw code %#x, at rip %#llx\n", v->ops->name, e->raw,
		(unsigned long long)e->rip);
	vcpu_report(v);
	guest_stop(-1, "unhandled exit %#x", e->raw);
	return EXIT_STOP;
}

/*
 * A host NMI arrived while the guest ran.  On VT-x "NMI exiting" turns it
 * into this exit and it is gone (SDM Vol. 3C 26.2: it is not delivered
 * to the host); on AMD-V it stays pending and reaches the monitor's NMI
 * handler after STGI (core/cpu_tables.c).  Either way, say so.
 */
enum exit_action exit_host_nmi(struct vcpu *v, const struct vm_exit *e)
{
	static unsigned long long count;

	count++;
	if (count <= 3 || (count & (count - 1)) == 0)
		kprintf("lamina: host NMI #%llu while the %s guest ran (rip %#llx): "
			"not the guest's; the guest goes on\n", count, v->ops->name,
			(unsigned long long)e->rip);
	return EXIT_RESUME;
}

/* Host interrupts, NMIs and deadline timers were handled on the way out
 * (svm/vmrun.asm takes them after STGI); the run loop does the rest. */
enum exit_action exit_nothing_to_do(struct vcpu *v, const struct vm_exit *e)
{
	(void)v;
	(void)e;
	return EXIT_RESUME;
}
