/*
 * What this CPU's VMX allows, from its capability MSRs (SDM Vol. 3D
 * Appendix A), and the IA32_FEATURE_CONTROL opt-in (SDM Vol. 3C 24.7).
 */
#include "kprintf.h"
#include "vmx_internal.h"
#include "x86.h"

struct vmx_caps vmx_caps;

/*
 * IA32_VMX_BASIC bit 55 says whether the TRUE_*_CTLS MSRs exist (SDM
 * A.1).  They report the real allowed-0 settings of the "default1"
 * controls (SDM A.2), e.g. that CR3-load exiting can be 0; without them
 * the plain MSRs are authoritative.  IA32_VMX_PROCBASED_CTLS2 exists only
 * when the primary controls allow "activate secondary controls" (A.3.3),
 * and IA32_VMX_EPT_VPID_CAP only when EPT or VPID can be enabled (A.10).
 */
void vmx_caps_read(void)
{
	struct vmx_caps *c = &vmx_caps;
	bool true_ctls;

	c->basic = rdmsr(MSR_IA32_VMX_BASIC);
	true_ctls = c->basic & VMX_BASIC_TRUE_CTLS;
	c->revision = c->basic & VMX_BASIC_REVISION_MASK;
	c->pin_ctls = rdmsr(true_ctls ? MSR_IA32_VMX_TRUE_PINBASED_CTLS : MSR_IA32_VMX_PINBASED_CTLS);
	c->proc_ctls = rdmsr(true_ctls ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS
				       : MSR_IA32_VMX_PROCBASED_CTLS);
	c->exit_ctls = rdmsr(true_ctls ? MSR_IA32_VMX_TRUE_EXIT_CTLS : MSR_IA32_VMX_EXIT_CTLS);
	c->entry_ctls = rdmsr(true_ctls ? MSR_IA32_VMX_TRUE_ENTRY_CTLS : MSR_IA32_VMX_ENTRY_CTLS);
	c->proc2_ctls = 0;
	c->ept_vpid = 0;
	if ((c->proc_ctls >> 32) & PROC_BASED_ACTIVATE_SECONDARY_CONTROLS) {
		c->proc2_ctls = rdmsr(MSR_IA32_VMX_PROCBASED_CTLS2);
		if ((c->proc2_ctls >> 32) & (SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_ENABLE_VPID))
			c->ept_vpid = rdmsr(MSR_IA32_VMX_EPT_VPID_CAP);
	}
	c->misc = rdmsr(MSR_IA32_VMX_MISC);
	c->timer_shift = VMX_MISC_PREEMPTION_TIMER_RATE(c->misc);
	c->cr0_fixed0 = rdmsr(MSR_IA32_VMX_CR0_FIXED0);
	c->cr0_fixed1 = rdmsr(MSR_IA32_VMX_CR0_FIXED1);
	c->cr4_fixed0 = rdmsr(MSR_IA32_VMX_CR4_FIXED0);
	c->cr4_fixed1 = rdmsr(MSR_IA32_VMX_CR4_FIXED1);
	/* Under "unrestricted guest" CR0.PE and CR0.PG may be 0 in the guest
	 * even though CR0_FIXED0 reports them fixed to 1 (SDM 27.3.1.1). */
	c->cr0_fixed0_guest = c->cr0_fixed0 & ~(uint64_t)(CR0_PE | CR0_PG);
}

/*
 * VMXON raises #GP unless IA32_FEATURE_CONTROL is locked with "enable VMX
 * outside SMX" set (SDM Vol. 3C 24.7).  Firmware normally locks it; if it
 * did not, lamina sets the enable bit and locks the MSR itself (the MSR
 * cannot be written again until reset).  Locked with the bit clear means
 * VT-x is switched off in the firmware setup, and nothing can change that.
 */
const char *vmx_feature_control_enable(void)
{
	uint64_t fc = rdmsr(MSR_IA32_FEATURE_CONTROL);

	if (!(fc & FEATURE_CONTROL_LOCK)) {
		fc |= FEATURE_CONTROL_VMX_OUTSIDE_SMX | FEATURE_CONTROL_LOCK;
		wrmsr(MSR_IA32_FEATURE_CONTROL, fc);
		fc = rdmsr(MSR_IA32_FEATURE_CONTROL);
	}
	if (!(fc & FEATURE_CONTROL_VMX_OUTSIDE_SMX))
		return "VT-x is disabled by firmware: IA32_FEATURE_CONTROL is locked with "
		       "VMX-outside-SMX off (enable VT-x in the firmware setup)";
	return NULL;
}

/*
 * A VMX control word must have every bit the capability MSR's allowed-0
 * half (bits 31:0) sets, and no bit its allowed-1 half (bits 63:32)
 * clears, or VM entry fails with error 7 (SDM A.3-A.5, 27.2.1.1).  So:
 * start from what lamina wants, force the must-be-1 bits, drop the
 * must-be-0 bits, and refuse if a bit lamina cannot do without was
 * dropped.  Bits lamina wants but can live without (e.g. VPID) are simply
 * left off.
 */
const char *vmx_adjust_controls(const char *name, uint64_t cap, uint32_t want,
				uint32_t required, uint32_t *out)
{
	static char why[160];
	uint32_t allowed0 = (uint32_t)cap, allowed1 = (uint32_t)(cap >> 32);
	uint32_t val = (want | allowed0) & allowed1;

	*out = val;
	if ((val & required) == required)
		return NULL;
	ksnprintf(why, sizeof(why), "VT-x cannot set %s bits %#x (allowed-1 settings %#x)", name,
		  required & ~val, allowed1);
	return why;
}
