/*
 * Shared by the files of the VT-x backend only: VMCS access, the
 * capabilities read from the VMX MSRs, and the per-vCPU backend state.
 */
#ifndef LAMINA_VMX_INTERNAL_H
#define LAMINA_VMX_INTERNAL_H

#include "monitor.h"
#include "vmcs_fields.h"
#include "vmm.h"

/*
 * What this CPU's VMX allows (SDM Vol. 3D Appendix A), read once by
 * vmx_caps_read().  The *_ctls words are capability MSRs: bits 31:0 are
 * the allowed-0 settings (a 1 there means the control must be 1), bits
 * 63:32 the allowed-1 settings (a 0 there means the control must be 0).
 */
struct vmx_caps {
	uint64_t basic, misc, ept_vpid;
	uint64_t pin_ctls, proc_ctls, proc2_ctls, exit_ctls, entry_ctls;
	uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	uint64_t cr0_fixed0_guest; /* CR0 bits VM entry needs set in the guest */
	uint32_t revision;       /* VMCS revision identifier */
	unsigned timer_shift;    /* preemption timer ticks every 2^shift TSC cycles */
};

extern struct vmx_caps vmx_caps;

/* Read the capability MSRs into vmx_caps (SDM Appendix A). */
void vmx_caps_read(void);
/* Turn on VMX in IA32_FEATURE_CONTROL if firmware left it unlocked;
 * NULL when VMXON is allowed, else why not. */
const char *vmx_feature_control_enable(void);
/* Adjust a wanted control word to what cap allows; NULL on success, else
 * a message naming the required bits the CPU refuses. */
const char *vmx_adjust_controls(const char *name, uint64_t cap, uint32_t want,
				uint32_t required, uint32_t *out);

/* Guest-owned STAR/LSTAR/CSTAR/SFMASK/KERNEL_GS_BASE, in this order. */
#define VMX_SYSCALL_MSRS 5

struct vmx_vcpu {
	void *vmcs;             /* 4 KiB VMCS region (identity-mapped) */
	bool launched;          /* VMLAUNCH succeeded: use VMRESUME next */
	uint32_t cr0_mask, cr4_mask; /* guest/host masks: bits lamina owns */
	/* The event to inject at the next entry, in VM-entry
	 * interruption-information form (SDM 25.8.3); valid bit clear: none. */
	uint32_t pend_info, pend_error, pend_len;
	uint64_t exit_rip;      /* guest RIP as of the last exit */
	uint64_t cr2;           /* guest CR2: not part of the VMCS (SDM 25.4.1) */
	uint64_t syscall_msr[VMX_SYSCALL_MSRS];
	bool syscall_msr_dirty;
	bool corrupt_next_entry; /* vmx_corrupt_guest_state() was called */
};

static inline struct vmx_vcpu *vmx(struct vcpu *v)
{
	return v->backend;
}

/* VMCS fields of guest segment s, ES..TR (one layout each, SDM B.1-B.4). */
#define SEG_SELECTOR(s) (VMCS_GUEST_ES_SELECTOR + 2 * (s))
#define SEG_LIMIT(s) (VMCS_GUEST_ES_LIMIT + 2 * (s))
#define SEG_AR(s) (VMCS_GUEST_ES_AR_BYTES + 2 * (s))
#define SEG_BASE(s) (VMCS_GUEST_ES_BASE + 2 * (s))

/*
 * VMREAD/VMWRITE (SDM Vol. 3C 31.3).  Both need the current VMCS; a
 * failure (RFLAGS.CF or ZF set) is a lamina bug (unsupported or read-only
 * field) and stops the monitor with the VM-instruction error.
 */
__attribute__((noreturn)) void vmx_field_panic(const char *op, uint32_t field);

static inline uint64_t vmread(uint32_t field)
{
	uint64_t val;
	bool fail;

	__asm__ volatile("vmread %[f], %[v]" : [v] "=r"(val), "=@ccbe"(fail) : [f] "r"((uint64_t)field)
			 : "cc");
	if (fail)
		vmx_field_panic("VMREAD", field);
	return val;
}

static inline void vmwrite(uint32_t field, uint64_t val)
{
	bool fail;

	__asm__ volatile("vmwrite %[v], %[f]" : "=@ccbe"(fail) : [f] "r"((uint64_t)field), [v] "rm"(val)
			 : "cc", "memory");
	if (fail)
		vmx_field_panic("VMWRITE", field);
}

/* vmentry.asm: load the guest GPRs from gpr[], VMLAUNCH (launched == 0)
 * or VMRESUME, and on VM exit store them back.  Returns VMX_ENTER_EXIT
 * after a VM exit, or the VMfail kind when the instruction failed. */
#define VMX_ENTER_EXIT 0
#define VMX_ENTER_FAIL_INVALID 1 /* CF=1: no current VMCS */
#define VMX_ENTER_FAIL_VALID 2   /* ZF=1: see VM-instruction error */
int vmx_enter(uint64_t *gpr, uint64_t launched);

/* vmx.c: make v's VMCS the current one. */
void vmx_load(struct vcpu *v);

/* vmx_state.c: guest registers and segments as struct vcpu sees them. */
uint64_t vmx_get_reg(struct vcpu *v, enum vm_reg r);
void vmx_set_reg(struct vcpu *v, enum vm_reg r, uint64_t val);
void vmx_get_seg(struct vcpu *v, enum vm_seg s, struct vm_segment *out);
void vmx_set_seg(struct vcpu *v, enum vm_seg s, const struct vm_segment *in);
void vmx_guest_reset_state(struct vcpu *v);

/* vmx_events.c: event injection and interrupt windows. */
void vmx_inject(struct vcpu *v, const struct vm_event *ev);
bool vmx_event_pending(struct vcpu *v);
void vmx_set_intr_window(struct vcpu *v, bool on);
bool vmx_intr_allowed(struct vcpu *v);
uint32_t vmx_interruptibility(struct vcpu *v);
void vmx_requeue_interrupted_event(struct vmx_vcpu *vx);

/* vmx_dump.c */
void vmx_dump(struct vcpu *v);

/* vmx_exit.c: turn the exit just taken into a struct vm_exit. */
void vmx_decode_exit(struct vcpu *v, uint32_t reason, struct vm_exit *exit);

/* vmx_errors.c: plain words for VM-instruction errors and entry failures. */
const char *vmx_insn_error_text(uint32_t err);
const char *vmx_entry_failure_text(uint32_t basic_reason, uint64_t qual);
const char *vmx_exit_reason_text(uint32_t basic_reason);

#endif
