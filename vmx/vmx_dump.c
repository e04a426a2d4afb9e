/*
 * vmm_ops.dump: the VMCS fields that explain a VM-entry failure or an
 * unexpected exit, for the failure report.
 */
#include "kprintf.h"
#include "vmx_internal.h"

static void dump_seg(const char *name, enum vm_seg s)
{
	kprintf("  %-4s sel %04llx base %016llx limit %08llx ar %05llx\n", name,
		(unsigned long long)vmread(SEG_SELECTOR(s)), (unsigned long long)vmread(SEG_BASE(s)),
		(unsigned long long)vmread(SEG_LIMIT(s)), (unsigned long long)vmread(SEG_AR(s)));
}

/*
 * vmm_ops.dump: the VMCS fields that explain an entry failure or an
 * unexpected exit: guest state checked by SDM 27.3.1, the controls
 * checked by 27.2.1, and the exit information of 28.2.
 */
void vmx_dump(struct vcpu *v)
{
	static const char *const seg_names[] = { "es", "cs", "ss", "ds", "fs", "gs", "ldtr", "tr" };
	uint32_t reason;

	vmx_load(v);
	reason = vmread(VMCS_VM_EXIT_REASON);
	kprintf("lamina: VT-x VMCS dump\n");
	kprintf("  rip %016llx rsp %016llx rflags %016llx\n",
		(unsigned long long)vmread(VMCS_GUEST_RIP), (unsigned long long)vmread(VMCS_GUEST_RSP),
		(unsigned long long)vmread(VMCS_GUEST_RFLAGS));
	kprintf("  cr0 %016llx (shadow %llx mask %llx) cr3 %016llx\n",
		(unsigned long long)vmread(VMCS_GUEST_CR0),
		(unsigned long long)vmread(VMCS_CR0_READ_SHADOW),
		(unsigned long long)vmread(VMCS_CR0_GUEST_HOST_MASK),
		(unsigned long long)vmread(VMCS_GUEST_CR3));
	kprintf("  cr4 %016llx (shadow %llx mask %llx) efer %llx pat %016llx\n",
		(unsigned long long)vmread(VMCS_GUEST_CR4),
		(unsigned long long)vmread(VMCS_CR4_READ_SHADOW),
		(unsigned long long)vmread(VMCS_CR4_GUEST_HOST_MASK),
		(unsigned long long)vmread(VMCS_GUEST_IA32_EFER),
		(unsigned long long)vmread(VMCS_GUEST_IA32_PAT));
	for (enum vm_seg s = SEG_ES; s <= SEG_TR; s++)
		dump_seg(seg_names[s], s);
	kprintf("  gdtr base %016llx limit %04llx  idtr base %016llx limit %04llx\n",
		(unsigned long long)vmread(VMCS_GUEST_GDTR_BASE),
		(unsigned long long)vmread(VMCS_GUEST_GDTR_LIMIT),
		(unsigned long long)vmread(VMCS_GUEST_IDTR_BASE),
		(unsigned long long)vmread(VMCS_GUEST_IDTR_LIMIT));
	kprintf("  dr7 %llx interruptibility %llx activity %llx pending-dbg %llx link %llx\n",
		(unsigned long long)vmread(VMCS_GUEST_DR7),
		(unsigned long long)vmread(VMCS_GUEST_INTERRUPTIBILITY_INFO),
		(unsigned long long)vmread(VMCS_GUEST_ACTIVITY_STATE),
		(unsigned long long)vmread(VMCS_GUEST_PENDING_DBG_EXCEPTIONS),
		(unsigned long long)vmread(VMCS_LINK_POINTER));
	kprintf("  controls: pin %llx proc %llx proc2 %llx exit %llx entry %llx eptp %llx\n",
		(unsigned long long)vmread(VMCS_PIN_BASED_VM_EXEC_CONTROL),
		(unsigned long long)vmread(VMCS_PROC_BASED_VM_EXEC_CONTROL),
		(unsigned long long)vmread(VMCS_SECONDARY_VM_EXEC_CONTROL),
		(unsigned long long)vmread(VMCS_VM_EXIT_CONTROLS),
		(unsigned long long)vmread(VMCS_VM_ENTRY_CONTROLS),
		(unsigned long long)vmread(VMCS_EPT_POINTER));
	kprintf("  entry event %llx error %llx length %llx; exception bitmap %llx\n",
		(unsigned long long)vmread(VMCS_VM_ENTRY_INTR_INFO),
		(unsigned long long)vmread(VMCS_VM_ENTRY_EXCEPTION_ERROR_CODE),
		(unsigned long long)vmread(VMCS_VM_ENTRY_INSTRUCTION_LEN),
		(unsigned long long)vmread(VMCS_EXCEPTION_BITMAP));
	kprintf("  exit reason %#x (%s%s) qualification %llx idt-vectoring %llx\n", reason,
		reason & EXIT_REASON_ENTRY_FAILURE ? "entry failure: " : "",
		vmx_exit_reason_text(reason & EXIT_REASON_BASIC_MASK),
		(unsigned long long)vmread(VMCS_EXIT_QUALIFICATION),
		(unsigned long long)vmread(VMCS_IDT_VECTORING_INFO));
	kprintf("  VM-instruction error %llu\n", (unsigned long long)vmread(VMCS_VM_INSTRUCTION_ERROR));
}
