/*
 * Decide whether lamina can run guests on this CPU, and say why not in
 * plain words.  lamina needs:
 *  - VT-x: VMX (CPUID.1:ECX[5]), IA32_FEATURE_CONTROL not locked with
 *    VMX-outside-SMX off (SDM Vol. 3C 24.7), secondary controls with EPT
 *    and unrestricted guest (SDM 25.6.2, Appendix A.3.3) — SeaBIOS starts
 *    in real mode — and the VMX preemption timer (SDM 25.5.1), lamina's
 *    guaranteed way back into the monitor (testbench.md: Bochs can lose
 *    external-interrupt exits).
 *  - AMD-V: SVM (CPUID 8000_0001h:ECX[2]), VM_CR.SVMDIS clear (APM Vol. 2
 *    15.4) and nested paging (CPUID 8000_000Ah:EDX[0]).
 * Pure code: host-tested with fabricated CPUID/MSR values.
 */
#include "kprintf.h"
#include "lib.h"
#include "virt_features.h"

/* The allowed-1 settings of a VMX control are the high 32 bits of its
 * capability MSR (SDM Vol. 3D A.3). */
static bool vmx_allowed1(uint64_t cap_msr, uint64_t bit)
{
	return (cap_msr >> 32) & bit;
}

static void assess_vmx(const struct cpu_raw *raw, struct virt_report *rep)
{
	uint64_t fc = raw->feature_control;
	bool secondary = vmx_allowed1(raw->vmx_procbased, PROC_ACTIVATE_SECONDARY);

	rep->feature_control_unlocked = !(fc & FEATURE_CONTROL_LOCK);
	rep->preemption_timer = vmx_allowed1(raw->vmx_pinbased, PIN_PREEMPTION_TIMER);
	if (secondary) {
		rep->ept = vmx_allowed1(raw->vmx_procbased2, PROC2_EPT);
		rep->unrestricted = vmx_allowed1(raw->vmx_procbased2, PROC2_UNRESTRICTED_GUEST);
		rep->vpid = vmx_allowed1(raw->vmx_procbased2, PROC2_VPID);
	}
	if ((fc & FEATURE_CONTROL_LOCK) && !(fc & FEATURE_CONTROL_VMX_OUTSIDE_SMX))
		ksnprintf(rep->why_not, sizeof(rep->why_not),
			  "VT-x is disabled by firmware: IA32_FEATURE_CONTROL is locked with "
			  "VMX-outside-SMX off (enable VT-x in the firmware setup)");
	else if (!secondary)
		ksnprintf(rep->why_not, sizeof(rep->why_not),
			  "VT-x has no secondary processor-based controls (IA32_VMX_PROCBASED_CTLS "
			  "allows no 'activate secondary controls'), so no EPT");
	else if (!rep->ept)
		ksnprintf(rep->why_not, sizeof(rep->why_not),
			  "VT-x has no EPT (IA32_VMX_PROCBASED_CTLS2 allows no 'enable EPT')");
	else if (!rep->unrestricted)
		ksnprintf(rep->why_not, sizeof(rep->why_not),
			  "VT-x has no unrestricted guest, needed to run real-mode firmware");
	else if (!rep->preemption_timer)
		ksnprintf(rep->why_not, sizeof(rep->why_not),
			  "VT-x has no VMX preemption timer (IA32_VMX_PINBASED_CTLS bit 6)");
	else
		rep->usable = VIRT_VMX;
}

static void assess_svm(const struct cpu_raw *raw, struct virt_report *rep)
{
	rep->npt = raw->svm_features & SVM_FEATURE_NPT;
	rep->nrips = raw->svm_features & SVM_FEATURE_NRIPS;
	if (raw->vm_cr & VM_CR_SVMDIS)
		ksnprintf(rep->why_not, sizeof(rep->why_not),
			  "AMD-V is disabled by firmware: VM_CR.SVMDIS is set%s "
			  "(enable SVM in the firmware setup)",
			  raw->vm_cr & VM_CR_LOCK ? " and VM_CR.LOCK is set" : "");
	else if (!rep->npt)
		ksnprintf(rep->why_not, sizeof(rep->why_not),
			  "AMD-V has no nested paging (CPUID 8000_000Ah EDX.NP=0)");
	else
		rep->usable = VIRT_SVM;
}

void virt_assess(const struct cpu_raw *raw, struct virt_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	rep->usable = VIRT_NONE;
	if (raw->vmx)
		assess_vmx(raw, rep);
	else if (raw->svm)
		assess_svm(raw, rep);
	else
		ksnprintf(rep->why_not, sizeof(rep->why_not),
			  "this CPU offers neither VT-x (CPUID.1:ECX.VMX=0) nor AMD-V "
			  "(CPUID.80000001h:ECX.SVM=0)%s",
			  raw->hypervisor_bit ? "; under a hypervisor, enable nested virtualization" : "");
}

static const char *yes_no(bool b)
{
	return b ? "yes" : "no";
}

void virt_print(const struct cpu_raw *raw, const struct virt_report *rep)
{
	kprintf("lamina: cpu: %s family %u model %u stepping %u%s\n", raw->vendor, raw->family,
		raw->model, raw->stepping, raw->hypervisor_bit ? " (running under a hypervisor)" : "");
	if (raw->vmx)
		kprintf("lamina: VT-x: VMX yes, EPT %s, unrestricted guest %s, VPID %s, "
			"preemption timer %s, IA32_FEATURE_CONTROL %s\n",
			yes_no(rep->ept), yes_no(rep->unrestricted), yes_no(rep->vpid),
			yes_no(rep->preemption_timer),
			rep->feature_control_unlocked ? "unlocked (lamina enables VMX and locks it)"
			: (raw->feature_control & FEATURE_CONTROL_VMX_OUTSIDE_SMX)
				? "locked, VMX outside SMX on" : "locked, VMX outside SMX off");
	if (raw->svm)
		kprintf("lamina: AMD-V: SVM yes, NPT %s, NRIP save %s, VM_CR.SVMDIS %u, "
			"VM_CR.LOCK %u, ASIDs %u\n",
			yes_no(rep->npt), yes_no(rep->nrips), (unsigned)!!(raw->vm_cr & VM_CR_SVMDIS),
			(unsigned)!!(raw->vm_cr & VM_CR_LOCK), raw->svm_nasid);
	switch (rep->usable) {
	case VIRT_VMX:
		kprintf("lamina: virtualization: VT-x + EPT + unrestricted guest usable\n");
		break;
	case VIRT_SVM:
		kprintf("lamina: virtualization: AMD-V + NPT usable%s\n",
			rep->nrips ? "" : " (no NRIP save: lamina decodes instruction lengths itself)");
		break;
	default:
		kprintf("lamina: virtualization: none usable: %s\n", rep->why_not);
		break;
	}
}
