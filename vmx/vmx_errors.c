/*
 * VT-x failures in plain words, for the failure report.
 *  - VM-instruction error numbers: what VMLAUNCH/VMRESUME (or another VMX
 *    instruction) left in the VM-instruction error field when it failed
 *    with VMfailValid (SDM Vol. 3C 31.4, "VM Instruction Error Numbers";
 *    30.4 in older editions).
 *  - VM-entry failures after the entry checks on controls and host state
 *    passed: exit reason with bit 31 set (SDM 27.8).
 *  - Basic exit reasons, for the trace and the dump (SDM Vol. 3D
 *    Appendix C).
 */
#include "vmx_internal.h"

static const char *const insn_errors[] = {
	[1] = "VMCALL executed in VMX root operation",
	[2] = "VMCLEAR with an invalid physical address",
	[3] = "VMCLEAR with the VMXON pointer",
	[4] = "VMLAUNCH with a VMCS that is not clear (already launched: use VMRESUME)",
	[5] = "VMRESUME with a VMCS that was never launched (use VMLAUNCH)",
	[6] = "VMRESUME after VMXOFF (VMXOFF and VMXON between VMLAUNCH and VMRESUME)",
	/* NOLINTNEXTLINE(bugprone-suspicious-missing-comma): one message, two lines */
	[7] = "VM entry with invalid control fields (a VM-execution, VM-exit or VM-entry "
	      "control, or a field they need, breaks the rules of SDM 27.2.1)",
	[8] = "VM entry with invalid host-state fields (SDM 27.2.2-27.2.4)",
	[9] = "VMPTRLD with an invalid physical address",
	[10] = "VMPTRLD with the VMXON pointer",
	[11] = "VMPTRLD with an incorrect VMCS revision identifier",
	[12] = "VMREAD/VMWRITE from/to an unsupported VMCS component",
	[13] = "VMWRITE to a read-only VMCS component",
	[15] = "VMXON executed in VMX root operation",
	[16] = "VM entry with an invalid executive-VMCS pointer",
	[17] = "VM entry with a non-launched executive VMCS",
	[18] = "VM entry with an executive-VMCS pointer that is not the VMXON pointer "
	       "(deactivating the dual-monitor treatment of SMIs and SMM)",
	[19] = "VMCALL with a non-clear VMCS (activating the dual-monitor treatment of SMIs and SMM)",
	[20] = "VMCALL with invalid VM-exit control fields",
	[22] = "VMCALL with an incorrect MSEG revision identifier (activating the dual-monitor "
	       "treatment of SMIs and SMM)",
	[23] = "VMXOFF under the dual-monitor treatment of SMIs and SMM",
	[24] = "VMCALL with invalid SMM-monitor features (activating the dual-monitor "
	       "treatment of SMIs and SMM)",
	[25] = "VM entry with invalid VM-execution control fields in the executive VMCS "
	       "(returning from SMM)",
	[26] = "VM entry with events blocked by MOV SS",
	[28] = "invalid operand to INVEPT/INVVPID",
};

const char *vmx_insn_error_text(uint32_t err)
{
	if (err < ARRAY_SIZE(insn_errors) && insn_errors[err])
		return insn_errors[err];
	return "unknown VM-instruction error number";
}

/*
 * A VM entry that passed the checks on controls and host state can still
 * fail while checking or loading guest state (27.3) or the MSR-load list
 * (27.4), or on a machine check (27.8).  The processor then does a
 * VM exit with bit 31 of the exit reason set; for reason 33 the exit
 * qualification says which rarer check failed (27.8), for reason 34 it
 * holds the 1-based index of the failing MSR-load entry.
 */
const char *vmx_entry_failure_text(uint32_t basic_reason, uint64_t qual)
{
	switch (basic_reason) {
	case EXIT_REASON_INVALID_GUEST_STATE:
		switch (qual) {
		case ENTRY_FAIL_QUAL_PDPTE:
			return "invalid guest state: a PDPTE loaded for PAE paging "
			       "has reserved bits set (SDM 27.3.1.6)";
		case ENTRY_FAIL_QUAL_NMI_INJECTION:
			return "invalid guest state: NMI injection while blocking "
			       "by NMI is in effect (SDM 27.3.1.5)";
		case ENTRY_FAIL_QUAL_LINK_POINTER:
			return "invalid guest state: invalid VMCS link pointer "
			       "(SDM 27.3.1.5)";
		default:
			return "invalid guest state: a guest register, segment, "
			       "descriptor table or non-register field breaks the checks of SDM "
			       "27.3.1 (see the dump below)";
		}
	case EXIT_REASON_MSR_LOADING:
		return "failed while loading an MSR from the VM-entry MSR-load list "
		       "(SDM 27.4); the exit qualification is the failing entry's number";
	case EXIT_REASON_MACHINE_CHECK:
		return "a machine-check event happened during VM entry "
		       "(SDM 27.9)";
	default:
		return "VM entry failed for a reason the SDM does not list";
	}
}

static const char *const exit_reasons[] = {
	[EXIT_REASON_EXCEPTION_NMI] = "exception or NMI",
	[EXIT_REASON_EXTERNAL_INTERRUPT] = "external interrupt",
	[EXIT_REASON_TRIPLE_FAULT] = "triple fault",
	[EXIT_REASON_INIT_SIGNAL] = "INIT signal",
	[EXIT_REASON_SIPI] = "start-up IPI",
	[EXIT_REASON_IO_SMI] = "I/O SMI",
	[EXIT_REASON_OTHER_SMI] = "other SMI",
	[EXIT_REASON_INTERRUPT_WINDOW] = "interrupt window",
	[EXIT_REASON_NMI_WINDOW] = "NMI window",
	[EXIT_REASON_TASK_SWITCH] = "task switch",
	[EXIT_REASON_CPUID] = "CPUID",
	[EXIT_REASON_GETSEC] = "GETSEC",
	[EXIT_REASON_HLT] = "HLT",
	[EXIT_REASON_INVD] = "INVD",
	[EXIT_REASON_INVLPG] = "INVLPG",
	[EXIT_REASON_RDPMC] = "RDPMC",
	[EXIT_REASON_RDTSC] = "RDTSC",
	[EXIT_REASON_RSM] = "RSM",
	[EXIT_REASON_VMCALL] = "VMCALL",
	[EXIT_REASON_VMCLEAR] = "VMCLEAR",
	[EXIT_REASON_VMLAUNCH] = "VMLAUNCH",
	[EXIT_REASON_VMPTRLD] = "VMPTRLD",
	[EXIT_REASON_VMPTRST] = "VMPTRST",
	[EXIT_REASON_VMREAD] = "VMREAD",
	[EXIT_REASON_VMRESUME] = "VMRESUME",
	[EXIT_REASON_VMWRITE] = "VMWRITE",
	[EXIT_REASON_VMXOFF] = "VMXOFF",
	[EXIT_REASON_VMXON] = "VMXON",
	[EXIT_REASON_CR_ACCESS] = "control-register access",
	[EXIT_REASON_DR_ACCESS] = "MOV DR",
	[EXIT_REASON_IO_INSTRUCTION] = "I/O instruction",
	[EXIT_REASON_RDMSR] = "RDMSR",
	[EXIT_REASON_WRMSR] = "WRMSR",
	[EXIT_REASON_INVALID_GUEST_STATE] = "VM-entry failure: invalid guest state",
	[EXIT_REASON_MSR_LOADING] = "VM-entry failure: MSR loading",
	[EXIT_REASON_MWAIT] = "MWAIT",
	[EXIT_REASON_MONITOR_TRAP_FLAG] = "monitor trap flag",
	[EXIT_REASON_MONITOR] = "MONITOR",
	[EXIT_REASON_PAUSE] = "PAUSE",
	[EXIT_REASON_MACHINE_CHECK] = "VM-entry failure: machine check",
	[EXIT_REASON_TPR_BELOW_THRESHOLD] = "TPR below threshold",
	[EXIT_REASON_APIC_ACCESS] = "APIC access",
	[EXIT_REASON_VIRTUALIZED_EOI] = "virtualized EOI",
	[EXIT_REASON_GDTR_IDTR] = "access to GDTR or IDTR",
	[EXIT_REASON_LDTR_TR] = "access to LDTR or TR",
	[EXIT_REASON_EPT_VIOLATION] = "EPT violation",
	[EXIT_REASON_EPT_MISCONFIG] = "EPT misconfiguration",
	[EXIT_REASON_INVEPT] = "INVEPT",
	[EXIT_REASON_RDTSCP] = "RDTSCP",
	[EXIT_REASON_PREEMPTION_TIMER] = "VMX-preemption timer expired",
	[EXIT_REASON_INVVPID] = "INVVPID",
	[EXIT_REASON_WBINVD] = "WBINVD",
	[EXIT_REASON_XSETBV] = "XSETBV",
	[EXIT_REASON_APIC_WRITE] = "APIC write",
	[EXIT_REASON_RDRAND] = "RDRAND",
	[EXIT_REASON_INVPCID] = "INVPCID",
	[EXIT_REASON_VMFUNC] = "VMFUNC",
	[EXIT_REASON_ENCLS] = "ENCLS",
	[EXIT_REASON_RDSEED] = "RDSEED",
	[EXIT_REASON_PML_FULL] = "page-modification log full",
	[EXIT_REASON_XSAVES] = "XSAVES",
	[EXIT_REASON_XRSTORS] = "XRSTORS",
	[EXIT_REASON_UMWAIT] = "UMWAIT",
	[EXIT_REASON_TPAUSE] = "TPAUSE",
	[EXIT_REASON_LOADIWKEY] = "LOADIWKEY",
};

const char *vmx_exit_reason_text(uint32_t basic_reason)
{
	if (basic_reason < ARRAY_SIZE(exit_reasons) && exit_reasons[basic_reason])
		return exit_reasons[basic_reason];
	return "unknown exit reason";
}
