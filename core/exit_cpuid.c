/*
 * CPUID policy: the guest sees the host CPU, minus what lamina does not
 * virtualize, plus the hypervisor bit and lamina's own leaf 4000_0000h
 * (the range reserved for hypervisors, SDM Vol. 2A "CPUID" note on
 * 40000000h-4FFFFFFFh).  Hidden: VMX and SVM (no nested virtualization),
 * the local APIC, x2APIC and TSC-deadline (lamina gives the guest an 8259
 * PIC only: Linux then says "No local APIC present"), MONITOR/MWAIT
 * (intercepted, #UD), machine-check architecture, the speculation-
 * control MSRs lamina does not emulate, and the features behind MSRs it
 * does not virtualize: the performance counters, XSAVEC/XSAVES (IA32_XSS),
 * IA32_TSC_ADJUST, and RDTSCP and RDPID (IA32_TSC_AUX); Linux would
 * otherwise touch them and warn.
 */
#include "guest.h"
#include "hosttimer.h"
#include "x86.h"

#define LAMINA_CPUID_BASE 0x40000000u
#define LAMINA_CPUID_MAX 0x40000000u
/* "lamina\0\0\0\0\0\0" in EBX, ECX, EDX */
#define LAMINA_SIG_EBX 0x696d616cu /* "lami" */
#define LAMINA_SIG_ECX 0x0000616eu /* "na"   */
#define LAMINA_SIG_EDX 0x00000000u

/* CPUID.1 (SDM Vol. 2A Table 3-10/3-11) */
#define CPUID1_ECX_MONITOR BIT(3)
#define CPUID1_ECX_VMX BIT(5)
#define CPUID1_ECX_SMX BIT(6)
#define CPUID1_ECX_PDCM BIT(15)     /* IA32_PERF_CAPABILITIES (345h) */
#define CPUID1_ECX_X2APIC BIT(21)
#define CPUID1_ECX_TSC_DEADLINE BIT(24)
#define CPUID1_ECX_HYPERVISOR BIT(31)
#define CPUID1_EDX_MCE BIT(7)
#define CPUID1_EDX_APIC BIT(9)
#define CPUID1_EDX_MCA BIT(14)
#define CPUID1_EDX_ACPI BIT(22)
#define CPUID1_EDX_HTT BIT(28)
/* CPUID.7.0:EDX speculation controls (IBRS .. SSBD) */
#define CPUID7_EDX_SPEC_CTRL_BITS 0xfc000000u
#define CPUID7_EBX_TSC_ADJUST BIT(1) /* IA32_TSC_ADJUST (3Bh) */
#define CPUID7_ECX_RDPID BIT(22)     /* reads IA32_TSC_AUX */
/* CPUID.(EAX=0Dh,ECX=1):EAX (SDM Vol. 1 13.2) */
#define CPUIDD1_EAX_XSAVEC BIT(1)
#define CPUIDD1_EAX_XSAVES BIT(3)
/* CPUID 8000_0001h ECX (APM Vol. 3 Appendix E) */
#define CPUID81_ECX_SVM BIT(2)
#define CPUID81_ECX_EXTAPIC BIT(3)
#define CPUID81_ECX_MONITORX BIT(29)
#define CPUID81_EDX_RDTSCP BIT(27)   /* reads IA32_TSC_AUX (C000_0103h) */

static void cpuid_policy(uint32_t leaf, uint32_t sub, struct cpuid_regs *r)
{
	if (leaf >= LAMINA_CPUID_BASE && leaf < 0x50000000u) {
		*r = (struct cpuid_regs){ 0, 0, 0, 0 };
		if (leaf == LAMINA_CPUID_BASE)
			*r = (struct cpuid_regs){ LAMINA_CPUID_MAX, LAMINA_SIG_EBX, LAMINA_SIG_ECX,
						  LAMINA_SIG_EDX };
		return;
	}
	*r = cpuid(leaf, sub);
	switch (leaf) {
	case 1:
		r->ecx &= ~(CPUID1_ECX_MONITOR | CPUID1_ECX_VMX | CPUID1_ECX_SMX | CPUID1_ECX_PDCM |
			    CPUID1_ECX_X2APIC | CPUID1_ECX_TSC_DEADLINE);
		r->ecx |= CPUID1_ECX_HYPERVISOR;
		r->edx &= ~(CPUID1_EDX_MCE | CPUID1_EDX_APIC | CPUID1_EDX_MCA | CPUID1_EDX_ACPI |
			    CPUID1_EDX_HTT);
		/* one logical processor, initial APIC ID 0 (EBX[23:16], [31:24]) */
		r->ebx = (r->ebx & 0xffff) | (1u << 16);
		break;
	case 5: /* MONITOR/MWAIT leaf: hidden with the feature */
	case 6: /* thermal and power management */
	case 0xa: /* architectural performance monitoring: no PMU MSRs */
		*r = (struct cpuid_regs){ 0, 0, 0, 0 };
		break;
	case 7:
		if (sub == 0) {
			r->ebx &= ~CPUID7_EBX_TSC_ADJUST;
			r->ecx &= ~CPUID7_ECX_RDPID;
			r->edx &= ~CPUID7_EDX_SPEC_CTRL_BITS;
		}
		break;
	case 0xd:
		/* XSAVES/XRSTORS and IA32_XSS are not virtualized (the MSR is
		 * unknown), and Bochs 2.7 gives the standard-format size in
		 * CPUID.(0Dh,1):EBX, where XSAVEC users (Linux 6.1) expect the
		 * compacted one: the guest uses the standard XSAVE format, whose
		 * size CPUID.(0Dh,0):EBX gives for the XCR0 it set (exit_xsetbv). */
		if (sub == 1)
			r->eax &= ~(CPUIDD1_EAX_XSAVEC | CPUIDD1_EAX_XSAVES);
		break;
	case 0x15:
		/* TSC/crystal ratio (SDM Vol. 3B 19.7.3): the guest's TSC is the
		 * host's, at the rate lamina measured.  An emulator's own leaf
		 * may disagree (Bochs says 3.5 GHz; its TSC counts at ~50 MHz),
		 * and Linux would then find its TSC unstable. */
		if (r->ebx && clock_tsc_hz() <= UINT32_MAX)
			*r = (struct cpuid_regs){ 1, 1, (uint32_t)clock_tsc_hz(), 0 };
		break;
	case 0x80000001:
		r->ecx &= ~(CPUID81_ECX_SVM | CPUID81_ECX_EXTAPIC | CPUID81_ECX_MONITORX);
		r->edx &= ~CPUID81_EDX_RDTSCP;
		break;
	case 0x8000000a: /* SVM features */
		*r = (struct cpuid_regs){ 0, 0, 0, 0 };
		break;
	default:
		break;
	}
}

enum exit_action exit_cpuid(struct vcpu *v, const struct vm_exit *e)
{
	struct cpuid_regs r;

	cpuid_policy((uint32_t)v->gpr[GPR_RAX], (uint32_t)v->gpr[GPR_RCX], &r);
	v->gpr[GPR_RAX] = r.eax;
	v->gpr[GPR_RBX] = r.ebx;
	v->gpr[GPR_RCX] = r.ecx;
	v->gpr[GPR_RDX] = r.edx;
	return vcpu_skip_insn(v, e);
}
