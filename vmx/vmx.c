/*
 * The VT-x backend: VMXON, one VMCS per vCPU, and the vmm_ops table.
 *
 * Shape (SDM Vol. 3C chapters 24-28):
 *  - once per CPU: IA32_FEATURE_CONTROL, the capability MSRs, CR0/CR4
 *    fixed bits, VMXON (24.7, 24.8);
 *  - per vCPU: a VMCS with the controls below, the monitor as host state
 *    and the x86 reset state as guest state (25.4-25.8);
 *  - run(): copy RIP/RSP/RFLAGS in, arm the preemption timer, inject the
 *    queued event, VMLAUNCH/VMRESUME (vmentry.asm), copy them back,
 *    re-queue an interrupted event delivery and decode the exit.
 * Guest registers live in vmx_state.c, events in vmx_events.c, exit
 * decoding in vmx_exit.c, the failure report in vmx_dump.c and
 * vmx_errors.c, capabilities in vmx_caps.c.
 *
 * Controls, and why:
 *  - pin-based: external-interrupt and NMI exiting (host interrupts stay
 *    the monitor's), the VMX-preemption timer: the guaranteed way back
 *    into the monitor by a deadline (Bochs loses external-interrupt exits
 *    while the guest has IF=0, shared/testbench.md).
 *  - primary: HLT exiting (HLT is emulated: lamina never enters in the
 *    HLT activity state, a Bochs bug), I/O bitmaps and MSR bitmaps all
 *    ones (every port and every MSR goes to core/), secondary controls;
 *    interrupt-window exiting only while core/ asks for it.  No CR3
 *    load/store or INVLPG exiting: EPT makes guest paging the guest's.
 *  - secondary: EPT, unrestricted guest (real-mode firmware runs
 *    natively), VPID when available, and RDTSCP/INVPCID/XSAVES enabled
 *    when available so those instructions do not #UD in the guest.
 *  - exit: 64-bit host, save/load IA32_EFER and IA32_PAT, save debug
 *    controls; entry: load IA32_EFER, IA32_PAT and debug controls, with
 *    "IA-32e mode guest" kept equal to the guest's EFER.LMA.
 *  - not used: MTF and PERF_GLOBAL_CTRL loading (not emulated by Bochs),
 *    "acknowledge interrupt on exit" (the monitor's IDT takes host
 *    interrupts after the exit).
 */
#include "kprintf.h"
#include "lib.h"
#include "nested_pt.h"
#include "trap.h"
#include "vmx_internal.h"
#include "x86.h"

#define VMX_VPID 1                      /* 0 is the host's (SDM 29.1) */
#define EXCEPTION_BITMAP_NONE 0         /* guest exceptions stay the guest's */

static const uint32_t syscall_msr_index[VMX_SYSCALL_MSRS] = {
	MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SFMASK, MSR_KERNEL_GS_BASE,
};

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

/* Per-CPU state (lamina runs guests on the boot CPU only). */
static void *vmxon_region;
static void *io_bitmaps;                /* bitmap A (ports 0-7FFF), then B */
static void *msr_bitmap;
static uint32_t pin_ctls, proc_ctls, proc2_ctls, exit_ctls, entry_ctls;
static struct vcpu *current_vcpu;       /* whose VMCS is current (VMPTRLD) */
static struct vcpu *syscall_msr_owner;  /* whose SYSCALL MSRs are in the CPU */

void vmx_field_panic(const char *op, uint32_t field)
{
	uint64_t err = 0;

	/* With a current VMCS the failure is VMfailValid and the error
	 * field says why; VMREAD of it cannot fail then. */
	if (current_vcpu)
		__asm__ volatile("vmread %1, %0" : "=r"(err) : "r"((uint64_t)VMCS_VM_INSTRUCTION_ERROR)
				 : "cc");
	panic_halt("VT-x: %s of VMCS field %#x failed: error %llu, %s", op, field,
		   (unsigned long long)err, vmx_insn_error_text(err));
}

/* VMXON/VMCLEAR/VMPTRLD take the physical address of a 4 KiB region as a
 * memory operand and report failure in CF/ZF (SDM 31.2, 31.3). */
#define VMX_PTR_INSN(name, insn)                                               \
	static bool name(void *region)                                         \
	{                                                                      \
		uint64_t pa = (uint64_t)region;                                \
		bool fail;                                                     \
		__asm__ volatile(insn " %1" : "=@ccbe"(fail) : "m"(pa) : "cc", "memory"); \
		return !fail;                                                  \
	}
VMX_PTR_INSN(vmxon, "vmxon")
VMX_PTR_INSN(vmclear, "vmclear")
VMX_PTR_INSN(vmptrld, "vmptrld")
#undef VMX_PTR_INSN

/*
 * A VMXON region and a VMCS are 4 KiB regions whose first 31 bits hold
 * the VMCS revision identifier from IA32_VMX_BASIC (SDM 25.2, 25.11.5);
 * IA32_VMX_BASIC[44:32] gives the size the CPU needs, at most 4 KiB.
 */
static void *vmx_region_alloc(void)
{
	uint32_t *p = pages_alloc(1, PAGE_SIZE);

	if (p)
		p[0] = vmx_caps.revision;
	return p;
}

/*
 * VMXON requires CR0 and CR4 to satisfy IA32_VMX_CR0/CR4_FIXED0/1 (bits
 * set in FIXED0 must be 1, bits clear in FIXED1 must be 0: SDM 24.8,
 * A.7, A.8).  For the monitor that means setting CR4.VMXE and CR0.NE:
 * NE only changes how x87 errors are reported, and the monitor never
 * uses the x87 (-mgeneral-regs-only).  These stay for as long as lamina
 * runs, so the host state written into each VMCS is the same.
 */
static void host_cr_fix(void)
{
	write_cr0((read_cr0() | vmx_caps.cr0_fixed0) & vmx_caps.cr0_fixed1);
	write_cr4((read_cr4() | vmx_caps.cr4_fixed0) & vmx_caps.cr4_fixed1);
}

/*
 * lamina builds its EPT tables with 4 levels, 2 MiB leaves and the
 * write-back memory type (ept/ept_encoder.c), and points the EPTP at
 * them with WB and walk length 4; IA32_VMX_EPT_VPID_CAP must allow all
 * three (SDM A.10, 25.6.11).
 */
static const char *check_ept_caps(void)
{
	if (!(vmx_caps.ept_vpid & VMX_EPT_PAGE_WALK_4))
		return "VT-x EPT does not support a 4-level page walk";
	if (!(vmx_caps.ept_vpid & VMX_EPT_MEMTYPE_WB))
		return "VT-x EPT does not support write-back paging structures";
	if (!(vmx_caps.ept_vpid & VMX_EPT_2MB_PAGE))
		return "VT-x EPT does not support 2 MiB pages";
	return NULL;
}

/* Work out the five control words from what lamina wants and the
 * capability MSRs (SDM 25.6-25.8, Appendix A). */
static const char *compute_controls(void)
{
	const struct vmx_caps *c = &vmx_caps;
	const char *why;
	uint32_t pin_req = PIN_BASED_EXT_INTR_EXITING | PIN_BASED_NMI_EXITING |
			   PIN_BASED_VMX_PREEMPTION_TIMER;
	uint32_t proc_req = PROC_BASED_HLT_EXITING | PROC_BASED_USE_IO_BITMAPS |
			    PROC_BASED_USE_MSR_BITMAPS | PROC_BASED_ACTIVATE_SECONDARY_CONTROLS;
	uint32_t proc2_req = SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_UNRESTRICTED_GUEST;
	uint32_t proc2_opt = SECONDARY_EXEC_ENABLE_VPID | SECONDARY_EXEC_ENABLE_RDTSCP |
			     SECONDARY_EXEC_ENABLE_INVPCID | SECONDARY_EXEC_ENABLE_XSAVES;
	uint32_t exit_req = VM_EXIT_HOST_ADDR_SPACE_SIZE | VM_EXIT_SAVE_IA32_PAT |
			    VM_EXIT_LOAD_IA32_PAT | VM_EXIT_SAVE_IA32_EFER |
			    VM_EXIT_LOAD_IA32_EFER | VM_EXIT_SAVE_DEBUG_CONTROLS;
	uint32_t entry_req = VM_ENTRY_LOAD_IA32_EFER | VM_ENTRY_LOAD_IA32_PAT |
			     VM_ENTRY_LOAD_DEBUG_CONTROLS;

	if ((why = vmx_adjust_controls("pin-based", c->pin_ctls, pin_req, pin_req, &pin_ctls)) ||
	    (why = vmx_adjust_controls("processor-based", c->proc_ctls, proc_req, proc_req,
				       &proc_ctls)) ||
	    (why = vmx_adjust_controls("secondary processor-based", c->proc2_ctls,
				       proc2_req | proc2_opt, proc2_req, &proc2_ctls)) ||
	    (why = vmx_adjust_controls("VM-exit", c->exit_ctls, exit_req, exit_req, &exit_ctls)) ||
	    (why = vmx_adjust_controls("VM-entry", c->entry_ctls, entry_req, entry_req,
				       &entry_ctls)))
		return why;
	return NULL;
}

/*
 * Everything done once per CPU before the first VMCS: the
 * IA32_FEATURE_CONTROL opt-in, the capabilities, the control words, the
 * shared I/O and MSR bitmaps, then VMXON (SDM 24.7, 24.8).
 */
static const char *vmx_cpu_init(void)
{
	const char *why;

	if (vmxon_region)
		return NULL;
	if ((why = vmx_feature_control_enable()))
		return why;
	vmx_caps_read();
	if (VMX_BASIC_VMCS_SIZE(vmx_caps.basic) > PAGE_SIZE)
		return "VT-x wants VMCS regions larger than 4 KiB (IA32_VMX_BASIC[44:32])";
	if ((why = compute_controls()) || (why = check_ept_caps()))
		return why;

	/* I/O bitmaps: one bit per port, 1 = exit (SDM 25.6.4). MSR bitmap:
	 * read/write bitmaps for the low and high MSR ranges, 1 = exit, and
	 * MSRs outside both ranges always exit (25.6.9). */
	io_bitmaps = pages_alloc(2, PAGE_SIZE);
	msr_bitmap = pages_alloc(1, PAGE_SIZE);
	if (!io_bitmaps || !msr_bitmap)
		return "out of memory for the VT-x I/O and MSR bitmaps";
	memset(io_bitmaps, 0xff, 2 * PAGE_SIZE);
	memset(msr_bitmap, 0xff, PAGE_SIZE);

	host_cr_fix();
	vmxon_region = vmx_region_alloc();
	if (!vmxon_region)
		return "out of memory for the VMXON region";
	if (!vmxon(vmxon_region)) {
		pages_free(vmxon_region, 1);
		vmxon_region = NULL;
		return "VMXON failed (VMfailInvalid: bad VMXON region, or already in VMX operation)";
	}
	kprintf("lamina: VT-x: VMXON done; VMCS revision %#x, controls pin %#x proc %#x "
		"proc2 %#x exit %#x entry %#x, preemption timer = TSC/%u%s\n",
		vmx_caps.revision, pin_ctls, proc_ctls, proc2_ctls, exit_ctls, entry_ctls,
		1u << vmx_caps.timer_shift,
		(vmx_caps.basic & VMX_BASIC_TRUE_CTLS) ? ", TRUE control MSRs" : "");
	return NULL;
}

/* Make v's VMCS the current VMCS of this CPU (SDM 25.11.1). */
void vmx_load(struct vcpu *v)
{
	if (current_vcpu == v)
		return;
	if (!vmptrld(vmx(v)->vmcs))
		panic_halt("VT-x: VMPTRLD of the vCPU's VMCS failed");
	current_vcpu = v;
}

/*
 * vmm_ops.flush_gpa: INVEPT (SDM 31.3; 29.4.3.1) drops the cached
 * guest-physical and combined translations derived from an EPTP, so a
 * permission lamina removed from the EPT tables takes effect.  The
 * single-context type flushes only this vCPU's EPTP; all-context is the
 * fallback.  IA32_VMX_EPT_VPID_CAP says which types exist (A.10); a CPU
 * without INVEPT offers no way to flush at all.
 */
static void vmx_flush_gpa(struct vcpu *v)
{
	struct {
		uint64_t eptp, reserved;
	} desc;
	uint64_t type;

	if (!(vmx_caps.ept_vpid & VMX_EPT_INVEPT))
		return;
	if (vmx_caps.ept_vpid & VMX_EPT_INVEPT_SINGLE_CONTEXT)
		type = INVEPT_SINGLE_CONTEXT;
	else if (vmx_caps.ept_vpid & VMX_EPT_INVEPT_ALL_CONTEXT)
		type = INVEPT_ALL_CONTEXT;
	else
		return;
	vmx_load(v);
	desc.eptp = vmread(VMCS_EPT_POINTER);
	desc.reserved = 0;
	__asm__ volatile("invept %0, %1" ::"m"(desc), "r"(type) : "cc", "memory");
}

/*
 * VM-execution, VM-exit and VM-entry control fields (SDM 25.6-25.8).
 * Fields lamina does not use are zeroed so no stale value can matter.
 */
static void setup_controls(struct vcpu *v)
{
	struct vmx_vcpu *vx = vmx(v);

	vmwrite(VMCS_PIN_BASED_VM_EXEC_CONTROL, pin_ctls);
	vmwrite(VMCS_PROC_BASED_VM_EXEC_CONTROL, proc_ctls);
	vmwrite(VMCS_SECONDARY_VM_EXEC_CONTROL, proc2_ctls);
	vmwrite(VMCS_VM_EXIT_CONTROLS, exit_ctls);
	vmwrite(VMCS_VM_ENTRY_CONTROLS, entry_ctls);
	vmwrite(VMCS_EXCEPTION_BITMAP, EXCEPTION_BITMAP_NONE);
	vmwrite(VMCS_PAGE_FAULT_ERROR_CODE_MASK, 0);
	vmwrite(VMCS_PAGE_FAULT_ERROR_CODE_MATCH, 0);
	vmwrite(VMCS_CR3_TARGET_COUNT, 0);
	vmwrite(VMCS_TSC_OFFSET, 0);
	vmwrite(VMCS_IO_BITMAP_A, (uint64_t)io_bitmaps);
	vmwrite(VMCS_IO_BITMAP_B, (uint64_t)io_bitmaps + PAGE_SIZE);
	vmwrite(VMCS_MSR_BITMAP, (uint64_t)msr_bitmap);
	vmwrite(VMCS_VM_EXIT_MSR_STORE_COUNT, 0);
	vmwrite(VMCS_VM_EXIT_MSR_LOAD_COUNT, 0);
	vmwrite(VMCS_VM_ENTRY_MSR_LOAD_COUNT, 0);
	vmwrite(VMCS_VM_ENTRY_INTR_INFO, 0);
	if (proc2_ctls & SECONDARY_EXEC_ENABLE_VPID)
		vmwrite(VMCS_VIRTUAL_PROCESSOR_ID, VMX_VPID);
	if (proc2_ctls & SECONDARY_EXEC_ENABLE_XSAVES)
		vmwrite(VMCS_XSS_EXIT_BITMAP, 0); /* no XSAVES/XRSTORS exits */

	/* EPTP: PML4 address, write-back, walk length 4 (SDM 25.6.11). */
	vmwrite(VMCS_EPT_POINTER, (v->root_pt_phys & ~0xfffull) | EPTP_MEMTYPE_WB | EPTP_PAGE_WALK_4);

	/*
	 * Guest/host masks (SDM 25.6.6): for a bit set in the mask, guest
	 * reads see the read shadow and guest writes that differ from it
	 * exit.  lamina owns the bits VM entry forces (CR0.NE; CR4.VMXE,
	 * which must stay 1 in the real CR4 and 0 in what the guest sees)
	 * and the bits this CPU cannot set at all, and CR4.SMXE, which CPUID
	 * hides (else the guest could set it unseen).  CR0.PE/PG are free to
	 * change under unrestricted guest (27.3.1.1).
	 */
	vx->cr0_mask = (uint32_t)(vmx_caps.cr0_fixed0_guest | ~vmx_caps.cr0_fixed1);
	vx->cr4_mask = (uint32_t)(vmx_caps.cr4_fixed0 | ~vmx_caps.cr4_fixed1 | CR4_SMXE);
	vmwrite(VMCS_CR0_GUEST_HOST_MASK, vx->cr0_mask);
	vmwrite(VMCS_CR4_GUEST_HOST_MASK, vx->cr4_mask);
}

/*
 * Host state (SDM 25.5, checked by 27.2.2-27.2.4, loaded on every exit by
 * 28.5): the monitor as it runs now.  Selectors come from core/
 * cpu_tables.c; TR's base is read back from the TSS descriptor in the GDT
 * (a 16-byte system descriptor, SDM Vol. 3A 8.2.3) because the VMCS needs
 * it and VM exit does not reload it from the GDT.  HOST_RSP and HOST_RIP
 * are written by vmentry.asm before each entry.
 */
static void setup_host_state(void)
{
	struct desc_ptr gdtr, idtr;
	uint16_t tr;
	const uint64_t *tss_desc;

	__asm__ volatile("sgdt %0" : "=m"(gdtr));
	__asm__ volatile("sidt %0" : "=m"(idtr));
	__asm__ volatile("str %0" : "=r"(tr));
	tss_desc = (const uint64_t *)(gdtr.base + (tr & ~7u));

	vmwrite(VMCS_HOST_CR0, read_cr0());
	vmwrite(VMCS_HOST_CR3, read_cr3());
	vmwrite(VMCS_HOST_CR4, read_cr4());
	vmwrite(VMCS_HOST_CS_SELECTOR, SEL_CODE64);
	vmwrite(VMCS_HOST_SS_SELECTOR, SEL_DATA);
	vmwrite(VMCS_HOST_DS_SELECTOR, SEL_DATA);
	vmwrite(VMCS_HOST_ES_SELECTOR, SEL_DATA);
	vmwrite(VMCS_HOST_FS_SELECTOR, 0);
	vmwrite(VMCS_HOST_GS_SELECTOR, 0);
	vmwrite(VMCS_HOST_TR_SELECTOR, tr);
	vmwrite(VMCS_HOST_FS_BASE, rdmsr(MSR_FS_BASE));
	vmwrite(VMCS_HOST_GS_BASE, rdmsr(MSR_GS_BASE));
	vmwrite(VMCS_HOST_TR_BASE, ((tss_desc[0] >> 16) & 0xffffff) |
				   (((tss_desc[0] >> 56) & 0xff) << 24) | (tss_desc[1] << 32));
	vmwrite(VMCS_HOST_GDTR_BASE, gdtr.base);
	vmwrite(VMCS_HOST_IDTR_BASE, idtr.base);
	vmwrite(VMCS_HOST_IA32_SYSENTER_CS, rdmsr(MSR_IA32_SYSENTER_CS));
	vmwrite(VMCS_HOST_IA32_SYSENTER_ESP, rdmsr(MSR_IA32_SYSENTER_ESP));
	vmwrite(VMCS_HOST_IA32_SYSENTER_EIP, rdmsr(MSR_IA32_SYSENTER_EIP));
	vmwrite(VMCS_HOST_IA32_PAT, rdmsr(MSR_IA32_PAT));
	vmwrite(VMCS_HOST_IA32_EFER, rdmsr(MSR_EFER));
}

/*
 * vmm_ops.init: VMX on this CPU (once), then a fresh VMCS for v: VMCLEAR
 * makes it "clear" so the first entry must be VMLAUNCH, VMPTRLD makes it
 * current (SDM 25.11.3), then controls, host and guest state.  core/ has
 * built the EPT tables (v->root_pt_phys) before calling this.
 */
static int vmx_init(struct vcpu *v)
{
	struct vmx_vcpu *vx = NULL;
	const char *why = vmx_cpu_init();

	if (!why && !v->root_pt_phys)
		why = "no EPT tables: core/ must build them (v->root_pt_phys) before init()";
	if (!why) {
		vx = pages_alloc(ALIGN_UP(sizeof(*vx), PAGE_SIZE) / PAGE_SIZE, PAGE_SIZE);
		if (!vx || !(vx->vmcs = vmx_region_alloc()))
			why = "out of memory for the vCPU's VMCS";
		else if (!vmclear(vx->vmcs))
			why = "VMCLEAR of the new VMCS failed";
	}
	if (why) {
		kprintf("lamina: VT-x: %s\n", why);
		return -1;
	}
	v->backend = vx;
	current_vcpu = NULL;
	vmx_load(v);
	setup_controls(v);
	setup_host_state();
	vmx_guest_reset_state(v);
	vx->exit_rip = v->rip;
	vmx_flush_gpa(v);
	return 0;
}

/*
 * The VMX-preemption timer counts down from its VMCS value by 1 each time
 * bit X = IA32_VMX_MISC[4:0] of the TSC changes, and causes a VM exit at 0
 * (SDM 26.5.1); a value of 0 exits before the first guest instruction.
 * The first count may come after a single TSC tick, so the value is the
 * delta in 2^X units rounded up, plus one: the exit is never before the
 * deadline (an early one only finds nothing due and enters again).  It is
 * 32 bits wide, so far deadlines are clamped (the guest then exits early
 * and core/ simply enters again).  Without "save VMX-preemption timer
 * value" every entry reloads the value written here.
 */
static void arm_preemption_timer(uint64_t deadline_tsc)
{
	uint64_t now = rdtsc(), ticks = 0, unit = 1ull << vmx_caps.timer_shift;

	if (deadline_tsc > now) {
		ticks = (deadline_tsc - now + unit - 1) / unit + 1;
		if (ticks > UINT32_MAX)
			ticks = UINT32_MAX;
	}
	vmwrite(VMCS_PREEMPTION_TIMER_VALUE, ticks);
}

/* Guest state that lives in the CPU rather than the VMCS: the SYSCALL
 * MSRs (see vmx_set_reg) and CR2. */
static void load_guest_cpu_state(struct vcpu *v)
{
	struct vmx_vcpu *vx = vmx(v);

	if (syscall_msr_owner != v || vx->syscall_msr_dirty) {
		for (unsigned i = 0; i < VMX_SYSCALL_MSRS; i++)
			wrmsr(syscall_msr_index[i], vx->syscall_msr[i]);
		syscall_msr_owner = v;
		vx->syscall_msr_dirty = false;
	}
	if (read_cr2() != vx->cr2)
		write_cr2(vx->cr2);
}

/*
 * vmm_ops.run.  VM entry takes RIP, RSP and RFLAGS from the VMCS (SDM
 * 27.3.2.3), so the authoritative copies in struct vcpu go in first and
 * come back after the exit (28.3.3).  VMLAUNCH is needed for a VMCS in
 * the "clear" state, VMRESUME afterwards (25.11.3).  The event in the
 * VM-entry interruption-information field is consumed by the entry
 * (its valid bit is cleared on every VM exit, 28.2), so the queue is
 * emptied unless the entry failed.
 */
static void vmx_run(struct vcpu *v, struct vm_exit *exit, uint64_t deadline_tsc)
{
	struct vmx_vcpu *vx = vmx(v);
	uint32_t reason;
	int rc;

	vmx_load(v);
	memset(exit, 0, sizeof(*exit));
	vmwrite(VMCS_GUEST_INTERRUPTIBILITY_INFO, vmx_interruptibility(v));
	vmwrite(VMCS_GUEST_RIP, v->rip);
	vmwrite(VMCS_GUEST_RSP, v->gpr[GPR_RSP]);
	vmwrite(VMCS_GUEST_RFLAGS, v->rflags);
	vmwrite(VMCS_VM_ENTRY_INTR_INFO, vx->pend_info);
	if (vx->pend_info & INTR_INFO_VALID) {
		vmwrite(VMCS_VM_ENTRY_EXCEPTION_ERROR_CODE, vx->pend_error);
		vmwrite(VMCS_VM_ENTRY_INSTRUCTION_LEN, vx->pend_len);
	}
	load_guest_cpu_state(v);
	arm_preemption_timer(deadline_tsc);
	if (vx->corrupt_next_entry) {
		/* CS type 0 (read-only data) is no type VM entry accepts for
		 * CS (SDM 27.3.1.2): this entry fails with reason 33. */
		vmwrite(VMCS_GUEST_CS_AR_BYTES, vmread(VMCS_GUEST_CS_AR_BYTES) & ~VMX_AR_TYPE_MASK);
		vx->corrupt_next_entry = false;
	}

	rc = vmx_enter(v->gpr, vx->launched);
	vx->cr2 = read_cr2();
	if (rc != VMX_ENTER_EXIT) {
		uint32_t err = rc == VMX_ENTER_FAIL_VALID ? vmread(VMCS_VM_INSTRUCTION_ERROR) : 0;

		exit->reason = EXIT_ENTRY_FAILED;
		exit->rip = v->rip;
		exit->u.fail.code = err;
		exit->u.fail.what = rc == VMX_ENTER_FAIL_VALID
			? vmx_insn_error_text(err)
			: "VMfailInvalid: no current VMCS (VMPTRLD missing or failed)";
		return;
	}

	v->rip = vmread(VMCS_GUEST_RIP);
	v->gpr[GPR_RSP] = vmread(VMCS_GUEST_RSP);
	v->rflags = vmread(VMCS_GUEST_RFLAGS);
	vx->exit_rip = v->rip;
	reason = vmread(VMCS_VM_EXIT_REASON);
	/* "Acknowledge interrupt on exit" is off, so the host interrupt that
	 * caused this exit is still pending at the local APIC; with IF=0
	 * after the exit (SDM 28.5.3) the monitor opens a one-instruction
	 * window for its own IDT to take it. */
	if ((reason & EXIT_REASON_BASIC_MASK) == EXIT_REASON_EXTERNAL_INTERRUPT)
		__asm__ volatile("sti; nop; cli" ::: "memory");
	if (!(reason & EXIT_REASON_ENTRY_FAILURE)) {
		vx->launched = true;
		vx->pend_info = 0;
		vmx_requeue_interrupted_event(vx);
	}
	vmx_decode_exit(v, reason, exit);
}

/*
 * Test aid (test.corrupt=guest-state): the CS access rights get an illegal
 * segment type, so VM entry fails with exit reason 33 "invalid guest
 * state" (SDM Vol. 3C 27.3.1.2, 27.8).  Applied by the next run(), right
 * before VM entry, so no later set_seg() of core/ can undo it.
 */
static void vmx_corrupt_guest_state(struct vcpu *v)
{
	vmx(v)->corrupt_next_entry = true;
}

/* A CPU reset: the reset state of vmx_guest_reset_state(), nothing queued,
 * no interrupt-window request. */
static void vmx_reset(struct vcpu *v)
{
	vmx_load(v);
	vmx(v)->pend_info = 0;
	vmx_set_intr_window(v, false);
	vmx_guest_reset_state(v);
}

const struct vmm_ops vmx_ops = {
	.name = "VT-x",
	.pt_encoder = &ept_encoder,
	.init = vmx_init,
	.reset = vmx_reset,
	.run = vmx_run,
	.get_reg = vmx_get_reg,
	.set_reg = vmx_set_reg,
	.get_seg = vmx_get_seg,
	.set_seg = vmx_set_seg,
	.inject = vmx_inject,
	.event_pending = vmx_event_pending,
	.set_intr_window = vmx_set_intr_window,
	.intr_allowed = vmx_intr_allowed,
	.flush_gpa = vmx_flush_gpa,
	.dump = vmx_dump,
	.corrupt_guest_state = vmx_corrupt_guest_state,
};
