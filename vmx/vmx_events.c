/*
 * Events for the guest: one queued injection in VM-entry
 * interruption-information form (SDM Vol. 3C 25.8.3, delivered by VM
 * entry as in 27.6), re-injection of a delivery an exit interrupted
 * (28.2.4), interrupt-window exiting, and whether an external interrupt
 * could be injected now (27.3.1.5).
 */
#include "kprintf.h"
#include "vmx_internal.h"
#include "x86.h"

#define NMI_VECTOR 2

/*
 * Hardware exceptions push an error code only for vectors 8, 10-14, 17
 * and 21, and never in real mode; VM entry insists that the
 * "deliver error code" bit says exactly that (SDM 27.2.1.3), so it is
 * derived here rather than trusted from the caller.
 */
static bool exception_has_error_code(uint8_t vector)
{
	if (!(vmread(VMCS_GUEST_CR0) & CR0_PE))
		return false;
	return vector == VEC_DF || (vector >= 10 && vector <= VEC_PF) || vector == 17 ||
	       vector == 21;
}

/*
 * vmm_ops.inject: queue one event for the next VM entry, in
 * VM-entry interruption-information form (SDM 25.8.3, delivered as in
 * 27.6).  EVENT_SOFTINT is "INT n whose return address is the current
 * RIP" (core/ has moved RIP past the instruction, as it must on SVM
 * without NRIP save).  VMX delivers a software interrupt with return
 * address RIP + VM-entry instruction length; a length of 0 is allowed
 * only when IA32_VMX_MISC bit 30 says so (A.6), otherwise lamina enters
 * at RIP - 1 with length 1, which pushes the same return address.
 */
void vmx_inject(struct vcpu *v, const struct vm_event *ev)
{
	struct vmx_vcpu *vx = vmx(v);
	uint32_t info = INTR_INFO_VALID | ev->vector;

	/* One event per entry: a second one replaces the first (as on SVM,
	 * where EVENTINJ holds one); core/ checks event_pending() first, so
	 * this is reported as the monitor bug it would be, never fatal. */
	if (vx->pend_info & INTR_INFO_VALID)
		kprintf("lamina: VT-x: event vector %u replaces queued vector %u\n", ev->vector,
			vx->pend_info & INTR_INFO_VECTOR_MASK);
	vmx_load(v);
	vx->pend_error = 0;
	vx->pend_len = 0;
	switch (ev->type) {
	case EVENT_EXTINT:
		info |= INTR_TYPE_EXT_INTR << INTR_INFO_TYPE_SHIFT;
		break;
	case EVENT_NMI:
		info = INTR_INFO_VALID | NMI_VECTOR | (INTR_TYPE_NMI << INTR_INFO_TYPE_SHIFT);
		break;
	case EVENT_EXCEPTION:
		info |= INTR_TYPE_HW_EXCEPTION << INTR_INFO_TYPE_SHIFT;
		if (exception_has_error_code(ev->vector)) {
			info |= INTR_INFO_DELIVER_ERROR_CODE;
			vx->pend_error = ev->error_code;
		}
		break;
	case EVENT_SOFTINT:
		info |= INTR_TYPE_SOFT_INTR << INTR_INFO_TYPE_SHIFT;
		if (!(vmx_caps.misc & VMX_MISC_ZERO_LEN_INJECTION)) {
			vx->pend_len = 1;
			v->rip -= 1;
		}
		break;
	}
	vx->pend_info = info;
}

bool vmx_event_pending(struct vcpu *v)
{
	return vmx(v)->pend_info & INTR_INFO_VALID;
}

/*
 * Interrupt-window exiting (SDM 25.6.2, 27.7.5): with it set, the guest
 * exits before any instruction at which RFLAGS.IF=1 and there is no
 * blocking by STI or MOV SS.
 */
void vmx_set_intr_window(struct vcpu *v, bool on)
{
	uint64_t ctl;

	vmx_load(v);
	ctl = vmread(VMCS_PROC_BASED_VM_EXEC_CONTROL);
	ctl = on ? ctl | PROC_BASED_INTR_WINDOW_EXITING : ctl & ~PROC_BASED_INTR_WINDOW_EXITING;
	vmwrite(VMCS_PROC_BASED_VM_EXEC_CONTROL, ctl);
}

/*
 * Blocking by STI and by MOV SS lasts for one instruction (Vol. 3A
 * 6.8.3).  When core/ has emulated the instruction and moved RIP, the
 * instruction the blocking covered is done, so it is dropped — as the
 * processor would have.  It matters because VM entry refuses to inject
 * an external interrupt while either blocking is set (27.3.1.5).
 */
uint32_t vmx_interruptibility(struct vcpu *v)
{
	uint32_t st = vmread(VMCS_GUEST_INTERRUPTIBILITY_INFO);

	if (v->rip != vmx(v)->exit_rip)
		st &= ~(GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS);
	return st;
}

bool vmx_intr_allowed(struct vcpu *v)
{
	vmx_load(v);
	return (v->rflags & RFLAGS_IF) && !vmx_event_pending(v) &&
	       !(vmx_interruptibility(v) & (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS));
}

/*
 * An exit can interrupt the delivery of an event (e.g. an EPT violation
 * on the guest's IDT or stack).  The IDT-vectoring information field
 * then describes the event (SDM 28.2.4), which the processor did not
 * deliver; the VMM re-injects it, with its error code and, for
 * software interrupts and exceptions, the instruction length the exit
 * reported.
 */
void vmx_requeue_interrupted_event(struct vmx_vcpu *vx)
{
	uint32_t idt = vmread(VMCS_IDT_VECTORING_INFO);
	uint32_t type = (idt & INTR_INFO_TYPE_MASK) >> INTR_INFO_TYPE_SHIFT;

	if (!(idt & INTR_INFO_VALID))
		return;
	vx->pend_info = idt & (INTR_INFO_VALID | INTR_INFO_DELIVER_ERROR_CODE |
			       INTR_INFO_TYPE_MASK | INTR_INFO_VECTOR_MASK);
	if (idt & INTR_INFO_DELIVER_ERROR_CODE)
		vx->pend_error = vmread(VMCS_IDT_VECTORING_ERROR_CODE);
	if (type == INTR_TYPE_SOFT_INTR || type == INTR_TYPE_PRIV_SW_EXCEPTION ||
	    type == INTR_TYPE_SOFT_EXCEPTION)
		vx->pend_len = vmread(VMCS_VM_EXIT_INSTRUCTION_LEN);
}

