/*
 * Raw VT-x exit -> vendor-neutral struct vm_exit.
 *
 * The exit reason (SDM Vol. 3C 28.2.1) names the cause; the exit
 * qualification, the guest-physical/linear address fields, the VM-exit
 * interruption information (28.2.2) and the instruction length and
 * information fields (28.2.5) carry the details.  Everything else about
 * the exit (what to emulate, what to inject) is decided in core/.
 */
#include "lib.h"
#include "vmx_internal.h"

/*
 * The VM-exit instruction-length field is valid only for exits caused by
 * executing an instruction, and for software exceptions (INT3, INTO)
 * (SDM 28.2.5, "Information for VM Exits Due to Instruction Execution");
 * otherwise its value is undefined and lamina reports 0.
 */
static bool exit_has_inst_len(uint32_t basic, uint32_t intr_info)
{
	uint32_t type = (intr_info & INTR_INFO_TYPE_MASK) >> INTR_INFO_TYPE_SHIFT;

	switch (basic) {
	case EXIT_REASON_EXCEPTION_NMI:
		return type == INTR_TYPE_SOFT_EXCEPTION || type == INTR_TYPE_PRIV_SW_EXCEPTION;
	case EXIT_REASON_CPUID: case EXIT_REASON_GETSEC: case EXIT_REASON_HLT:
	case EXIT_REASON_INVD: case EXIT_REASON_INVLPG: case EXIT_REASON_RDPMC:
	case EXIT_REASON_RDTSC: case EXIT_REASON_RSM: case EXIT_REASON_VMCALL:
	case EXIT_REASON_VMCLEAR: case EXIT_REASON_VMLAUNCH: case EXIT_REASON_VMPTRLD:
	case EXIT_REASON_VMPTRST: case EXIT_REASON_VMREAD: case EXIT_REASON_VMRESUME:
	case EXIT_REASON_VMWRITE: case EXIT_REASON_VMXOFF: case EXIT_REASON_VMXON:
	case EXIT_REASON_CR_ACCESS: case EXIT_REASON_DR_ACCESS:
	case EXIT_REASON_IO_INSTRUCTION: case EXIT_REASON_RDMSR: case EXIT_REASON_WRMSR:
	case EXIT_REASON_MWAIT: case EXIT_REASON_MONITOR: case EXIT_REASON_PAUSE:
	case EXIT_REASON_GDTR_IDTR: case EXIT_REASON_LDTR_TR: case EXIT_REASON_INVEPT:
	case EXIT_REASON_RDTSCP: case EXIT_REASON_INVVPID: case EXIT_REASON_WBINVD:
	case EXIT_REASON_XSETBV: case EXIT_REASON_RDRAND: case EXIT_REASON_INVPCID:
	case EXIT_REASON_VMFUNC: case EXIT_REASON_ENCLS: case EXIT_REASON_RDSEED:
	case EXIT_REASON_XSAVES: case EXIT_REASON_XRSTORS: case EXIT_REASON_UMWAIT:
	case EXIT_REASON_TPAUSE: case EXIT_REASON_LOADIWKEY:
		return true;
	case EXIT_REASON_TASK_SWITCH: /* valid when CALL, IRET or JMP caused it */
		return (vmread(VMCS_EXIT_QUALIFICATION) >> 30) != TASK_IDT_GATE;
	default:
		return false;
	}
}

/*
 * String I/O needs the address size and the segment of the memory
 * operand.  The VM-exit instruction-information field gives both for
 * INS/OUTS when IA32_VMX_BASIC bit 54 is set (SDM 28.2.5, A.1); the
 * segment is only meaningful for OUTS (INS always writes ES:rDI).  On a
 * CPU without that bit the default of the guest's code segment is the
 * best the exit tells (an address-size prefix is not visible).
 */
static void decode_string_io(struct vm_exit *exit)
{
	static const uint8_t sizes[] = { 2, 4, 8 };

	if (exit->u.io.in)
		exit->u.io.seg = SEG_ES;
	if (vmx_caps.basic & VMX_BASIC_INS_OUTS_INFO) {
		uint32_t info = vmread(VMCS_VM_EXIT_INSTRUCTION_INFO);
		unsigned as = INSN_INFO_ADDR_SIZE(info);

		exit->u.io.addr_size = as < ARRAY_SIZE(sizes) ? sizes[as] : 8;
		if (!exit->u.io.in)
			exit->u.io.seg = INSN_INFO_SEG(info);
	} else {
		uint32_t cs_ar = vmread(VMCS_GUEST_CS_AR_BYTES);

		exit->u.io.addr_size = (cs_ar & VMX_AR_L) ? 8 : (cs_ar & VMX_AR_DB) ? 4 : 2;
	}
}

/* I/O exit qualification: SDM 28.2.1 ("Exit Qualification for I/O Instructions"). */
static void decode_io(struct vm_exit *exit, uint64_t qual)
{
	exit->reason = EXIT_IO;
	exit->u.io.port = IO_QUAL_PORT(qual);
	exit->u.io.size = (qual & IO_QUAL_SIZE_MASK) + 1;
	exit->u.io.in = qual & IO_QUAL_IN;
	exit->u.io.string = qual & IO_QUAL_STRING;
	exit->u.io.rep = qual & IO_QUAL_REP;
	exit->u.io.seg = SEG_DS;
	if (exit->u.io.string)
		decode_string_io(exit);
}

/*
 * Control-register exit qualification (SDM 28.2.1, "Exit Qualification
 * for Control-Register Accesses"): CR number, access type, GPR operand
 * of MOV, and the LMSW source operand (valid for register and memory
 * forms).
 */
static void decode_cr(struct vm_exit *exit, uint64_t qual)
{
	static const uint8_t types[] = {
		[CR_QUAL_TYPE_MOV_TO] = CR_MOV_TO, [CR_QUAL_TYPE_MOV_FROM] = CR_MOV_FROM,
		[CR_QUAL_TYPE_CLTS] = CR_CLTS, [CR_QUAL_TYPE_LMSW] = CR_LMSW,
	};
	unsigned type = CR_QUAL_TYPE(qual);

	exit->reason = EXIT_CR_ACCESS;
	exit->u.cr.cr = CR_QUAL_CR(qual);
	exit->u.cr.type = types[type];
	exit->u.cr.gpr = 0xff;
	if (type == CR_QUAL_TYPE_MOV_TO || type == CR_QUAL_TYPE_MOV_FROM)
		exit->u.cr.gpr = CR_QUAL_GPR(qual);
	if (type == CR_QUAL_TYPE_LMSW)
		exit->u.cr.lmsw_src = CR_QUAL_LMSW_SRC(qual);
}

/*
 * EPT violation (SDM 28.2.1, "Exit Qualification for EPT Violations"):
 * bits 0-2 say what the access was, bits 3-5 what the EPT entries
 * allowed (all clear: the GPA is not mapped at all), bit 7 whether the
 * guest-linear-address field is valid.  The guest-physical address is in
 * its own field (28.2.1).
 */
static void decode_ept_violation(struct vm_exit *exit, uint64_t qual)
{
	exit->reason = EXIT_PAGING;
	exit->u.paging.gpa = vmread(VMCS_GUEST_PHYSICAL_ADDRESS);
	exit->u.paging.gla_valid = qual & EPT_QUAL_GLA_VALID;
	if (exit->u.paging.gla_valid)
		exit->u.paging.gla = vmread(VMCS_GUEST_LINEAR_ADDRESS);
	exit->u.paging.read = qual & EPT_QUAL_READ;
	exit->u.paging.write = qual & EPT_QUAL_WRITE;
	exit->u.paging.fetch = qual & EPT_QUAL_FETCH;
	exit->u.paging.present = qual & (EPT_QUAL_READABLE | EPT_QUAL_WRITABLE | EPT_QUAL_EXECUTABLE);
}

/*
 * Exit reason 0 (SDM 28.2.2): the VM-exit interruption information says
 * whether a host NMI (type 2, "NMI exiting") or a guest exception hit the
 * exception bitmap; for #PF the exit qualification holds the faulting
 * linear address (28.2.1) — CR2 is not written before the exit.
 */
static void decode_exception(struct vm_exit *exit, uint32_t info, uint64_t qual)
{
	if (((info & INTR_INFO_TYPE_MASK) >> INTR_INFO_TYPE_SHIFT) == INTR_TYPE_NMI) {
		exit->reason = EXIT_NMI;
		return;
	}
	exit->reason = EXIT_EXCEPTION;
	exit->u.exc.vector = info & INTR_INFO_VECTOR_MASK;
	exit->u.exc.has_error = info & INTR_INFO_DELIVER_ERROR_CODE;
	if (exit->u.exc.has_error)
		exit->u.exc.error_code = vmread(VMCS_VM_EXIT_INTR_ERROR_CODE);
	if (exit->u.exc.vector == VEC_PF)
		exit->u.exc.cr2 = qual;
}

void vmx_decode_exit(struct vcpu *v, uint32_t reason, struct vm_exit *exit)
{
	uint32_t basic = reason & EXIT_REASON_BASIC_MASK;
	uint64_t qual = vmread(VMCS_EXIT_QUALIFICATION);
	uint32_t intr_info = 0;

	exit->raw = basic;
	exit->rip = v->rip;
	if (reason & EXIT_REASON_ENTRY_FAILURE) {
		/* SDM 27.8: guest state was not (fully) loaded, nothing ran. */
		exit->reason = EXIT_ENTRY_FAILED;
		exit->u.fail.code = basic;
		exit->u.fail.qual = qual;
		exit->u.fail.what = vmx_entry_failure_text(basic, qual);
		return;
	}
	if (basic == EXIT_REASON_EXCEPTION_NMI)
		intr_info = vmread(VMCS_VM_EXIT_INTR_INFO);
	if (exit_has_inst_len(basic, intr_info))
		exit->inst_len = vmread(VMCS_VM_EXIT_INSTRUCTION_LEN);

	switch (basic) {
	case EXIT_REASON_EXCEPTION_NMI:
		decode_exception(exit, intr_info, qual);
		break;
	case EXIT_REASON_EXTERNAL_INTERRUPT:
		exit->reason = EXIT_EXT_INTR;
		break;
	case EXIT_REASON_TRIPLE_FAULT:
		exit->reason = EXIT_TRIPLE_FAULT;
		break;
	case EXIT_REASON_INIT_SIGNAL:
	case EXIT_REASON_SIPI:
		exit->reason = EXIT_INIT_SIPI;
		break;
	case EXIT_REASON_INTERRUPT_WINDOW:
		exit->reason = EXIT_INTR_WINDOW;
		break;
	case EXIT_REASON_CPUID:
		exit->reason = EXIT_CPUID;
		break;
	case EXIT_REASON_HLT:
		exit->reason = EXIT_HLT;
		break;
	case EXIT_REASON_INVD:
		exit->reason = EXIT_INVD;
		break;
	case EXIT_REASON_VMCALL:
		exit->reason = EXIT_HYPERCALL;
		break;
	case EXIT_REASON_VMCLEAR: case EXIT_REASON_VMLAUNCH: case EXIT_REASON_VMPTRLD:
	case EXIT_REASON_VMPTRST: case EXIT_REASON_VMREAD: case EXIT_REASON_VMRESUME:
	case EXIT_REASON_VMWRITE: case EXIT_REASON_VMXOFF: case EXIT_REASON_VMXON:
	case EXIT_REASON_INVEPT: case EXIT_REASON_INVVPID: case EXIT_REASON_VMFUNC:
		exit->reason = EXIT_VIRT_INSN;
		break;
	case EXIT_REASON_CR_ACCESS:
		decode_cr(exit, qual);
		break;
	case EXIT_REASON_IO_INSTRUCTION:
		decode_io(exit, qual);
		break;
	case EXIT_REASON_RDMSR:
		exit->reason = EXIT_RDMSR;
		break;
	case EXIT_REASON_WRMSR:
		exit->reason = EXIT_WRMSR;
		break;
	case EXIT_REASON_TASK_SWITCH: /* qualification: SDM Table 28-2 */
		exit->reason = EXIT_TASK_SWITCH;
		exit->u.task.sel = (uint16_t)qual;
		exit->u.task.source = (uint8_t)(qual >> 30);
		break;
	case EXIT_REASON_EPT_VIOLATION:
		decode_ept_violation(exit, qual);
		break;
	case EXIT_REASON_EPT_MISCONFIG:
		exit->reason = EXIT_PAGING_MISCONFIG;
		exit->u.paging.gpa = vmread(VMCS_GUEST_PHYSICAL_ADDRESS);
		break;
	case EXIT_REASON_XSETBV:
		exit->reason = EXIT_XSETBV;
		break;
	case EXIT_REASON_PREEMPTION_TIMER:
		exit->reason = EXIT_TIMER;
		break;
	default:
		exit->reason = EXIT_OTHER;
		break;
	}
}
