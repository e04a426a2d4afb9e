/*
 * Read the CPUID leaves and MSRs that virt_assess() needs.  An MSR is read
 * only when CPUID says it exists (reading a missing MSR raises #GP).
 */
#include "lib.h"
#include "virt_features.h"
#include "x86.h"

void cpu_probe(struct cpu_raw *raw)
{
	struct cpuid_regs r = cpuid(0, 0);
	uint32_t max_ext;

	memset(raw, 0, sizeof(*raw));
	memcpy(raw->vendor + 0, &r.ebx, 4);
	memcpy(raw->vendor + 4, &r.edx, 4);
	memcpy(raw->vendor + 8, &r.ecx, 4);

	/* Family/model per SDM Vol. 2A CPUID leaf 1 "Version Information". */
	r = cpuid(1, 0);
	raw->family = (r.eax >> 8) & 0xf;
	raw->model = (r.eax >> 4) & 0xf;
	raw->stepping = r.eax & 0xf;
	if (raw->family == 0xf)
		raw->family += (r.eax >> 20) & 0xff;
	if (raw->family == 0x6 || raw->family >= 0xf)
		raw->model |= ((r.eax >> 16) & 0xf) << 4;
	raw->vmx = r.ecx & BIT(5);
	raw->hypervisor_bit = r.ecx & BIT(31);

	max_ext = cpuid(0x80000000, 0).eax;
	if (max_ext >= 0x80000001)
		raw->svm = cpuid(0x80000001, 0).ecx & BIT(2);

	if (raw->vmx) {
		raw->feature_control = rdmsr(MSR_IA32_FEATURE_CONTROL);
		raw->vmx_pinbased = rdmsr(MSR_IA32_VMX_PINBASED_CTLS);
		raw->vmx_procbased = rdmsr(MSR_IA32_VMX_PROCBASED_CTLS);
		if ((raw->vmx_procbased >> 32) & PROC_ACTIVATE_SECONDARY) {
			raw->vmx_procbased2 = rdmsr(MSR_IA32_VMX_PROCBASED_CTLS2);
			raw->vmx_ept_vpid_cap = rdmsr(MSR_IA32_VMX_EPT_VPID_CAP);
		}
	}
	if (raw->svm) {
		raw->vm_cr = rdmsr(MSR_VM_CR);
		if (max_ext >= 0x8000000a) {
			r = cpuid(0x8000000a, 0);
			raw->svm_features = r.edx;
			raw->svm_nasid = r.ebx;
		}
	}
}
