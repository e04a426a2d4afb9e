/*
 * Which hardware virtualization this CPU offers, and why not if it does
 * not.  cpu_probe() (monitor) reads CPUID and MSRs into struct cpu_raw;
 * virt_assess() (pure, host-tested) decides and words the report.
 */
#ifndef LAMINA_VIRT_FEATURES_H
#define LAMINA_VIRT_FEATURES_H

#include "types.h"

/* MSR numbers (SDM Vol. 4 Table 2-2, APM Vol. 2 15.30) */
#define MSR_IA32_VMX_BASIC 0x480
#define MSR_IA32_VMX_PINBASED_CTLS 0x481
#define MSR_IA32_VMX_PROCBASED_CTLS 0x482
#define MSR_IA32_VMX_PROCBASED_CTLS2 0x48b
#define MSR_IA32_VMX_EPT_VPID_CAP 0x48c

#define FEATURE_CONTROL_LOCK BIT(0)
#define FEATURE_CONTROL_VMX_IN_SMX BIT(1)
#define FEATURE_CONTROL_VMX_OUTSIDE_SMX BIT(2)

#define PIN_PREEMPTION_TIMER BIT(6)
#define PROC_ACTIVATE_SECONDARY BIT(31)
#define PROC2_EPT BIT(1)
#define PROC2_VPID BIT(5)
#define PROC2_UNRESTRICTED_GUEST BIT(7)

#define VM_CR_LOCK BIT(3)
#define VM_CR_SVMDIS BIT(4)

#define SVM_FEATURE_NPT BIT(0)   /* CPUID 8000_000Ah EDX */
#define SVM_FEATURE_NRIPS BIT(3)

struct cpu_raw {
	char vendor[13];
	uint32_t family, model, stepping;
	bool hypervisor_bit; /* CPUID.1:ECX[31]: we are ourselves a guest */
	bool vmx;            /* CPUID.1:ECX[5] */
	bool svm;            /* CPUID.80000001h:ECX[2] */
	/* valid when vmx */
	uint64_t feature_control, vmx_pinbased, vmx_procbased, vmx_procbased2, vmx_ept_vpid_cap;
	/* valid when svm */
	uint64_t vm_cr;
	uint32_t svm_features; /* CPUID 8000_000Ah EDX */
	uint32_t svm_nasid;    /* CPUID 8000_000Ah EBX */
};

enum virt_kind { VIRT_NONE, VIRT_VMX, VIRT_SVM };

struct virt_report {
	enum virt_kind usable;
	bool ept, unrestricted, vpid, preemption_timer, feature_control_unlocked;
	bool npt, nrips;
	char why_not[200]; /* when usable == VIRT_NONE: one sentence */
};

void virt_assess(const struct cpu_raw *raw, struct virt_report *rep);
void virt_print(const struct cpu_raw *raw, const struct virt_report *rep);

/* Monitor only: fill raw from CPUID and the MSRs CPUID says exist. */
void cpu_probe(struct cpu_raw *raw);

#endif
