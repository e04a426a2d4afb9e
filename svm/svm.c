/*
 * The AMD-V backend: one VMCB per vCPU, nested paging, and every exit
 * turned into a vendor-neutral struct vm_exit (svm_exit.c).
 * References: APM Vol. 2 chapter 15 "Secure Virtual Machine".
 */
#include "kprintf.h"
#include "lib.h"
#include "monitor.h"
#include "nested_pt.h"
#include "svm.h"
#include "virt_features.h"
#include "x86.h"

#define IOPM_PAGES 3   /* 12 KiB: one bit per port, plus a spill page (APM 15.10.1) */
#define MSRPM_PAGES 2  /* 8 KiB: two bits per MSR in three ranges (APM 15.11) */
#define PAT_POWER_ON 0x0007040600070406ull

static struct svm_vcpu svm_vcpu0;

static void svm_set_intr_window(struct vcpu *v, bool on);
static uint64_t svm_hsave_pa;

static struct vmcb *vmcb_of(struct vcpu *v)
{
	return ((struct svm_vcpu *)v->backend)->vmcb;
}

/* Enable SVM on this CPU: EFER.SVME (APM 15.4) and a host save area whose
 * physical address goes to VM_HSAVE_PA (APM 15.30.4). */
static int svm_enable(void)
{
	void *hsave;

	if (svm_hsave_pa)
		return 0;
	hsave = pages_alloc(1, PAGE_SIZE);
	if (!hsave)
		return -1;
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	svm_hsave_pa = (uint64_t)hsave;
	wrmsr(MSR_VM_HSAVE_PA, svm_hsave_pa);
	return 0;
}

/*
 * The x86 reset state (APM Vol. 2 14.1.3, Table 14-1): real mode, CS
 * selector F000h with base FFFF0000h so the first fetch is at FFFFFFF0h,
 * RIP FFF0h, segment limits FFFFh, CR0 60000010h, RFLAGS 2, EDX holding
 * the processor signature (CPUID 1 EAX).
 */
static void svm_reset_state(struct vcpu *v)
{
	struct vmcb *c = vmcb_of(v);
	const struct vmcb_seg data = { 0, 0x93, 0xffff, 0 };

	c->es = c->ss = c->ds = c->fs = c->gs = data;
	c->cs = (struct vmcb_seg){ 0xf000, 0x9b, 0xffff, 0xffff0000 };
	c->gdtr = c->idtr = (struct vmcb_seg){ 0, 0, 0xffff, 0 };
	c->ldtr = (struct vmcb_seg){ 0, 0x82, 0xffff, 0 };
	c->tr = (struct vmcb_seg){ 0, 0x8b, 0xffff, 0 };
	c->cpl = 0;
	c->cr0 = CR0_CD | CR0_NW | CR0_ET;
	c->cr2 = c->cr3 = c->cr4 = 0;
	c->efer = EFER_SVME; /* VMRUN requires it in the guest's EFER (APM 15.5.1) */
	c->dr6 = 0xffff0ff0;
	c->dr7 = 0x400;
	c->g_pat = PAT_POWER_ON;
	memset(v->gpr, 0, sizeof(v->gpr));
	v->gpr[GPR_RDX] = cpuid(1, 0).eax;
	v->rip = 0xfff0;
	v->rflags = RFLAGS_FIXED;
}

/*
 * Build the VMCB control area.  Intercepted: every port (IOPM all ones),
 * every MSR (MSRPM all ones), CPUID, HLT, INVD, shutdown, host INTR/NMI/
 * INIT, and every SVM instruction — VMRUN must be intercepted or VMRUN
 * fails (APM 15.5.1); the guest gets #UD for all of them.  Nested paging
 * with the tables core/ built (APM 15.25.3); V_INTR_MASKING so the guest's
 * RFLAGS.IF never masks host interrupts (APM 15.21.1).
 */
static int svm_init(struct vcpu *v)
{
	struct svm_vcpu *s = &svm_vcpu0;
	struct cpu_raw raw;
	struct vmcb *c;

	if (svm_enable())
		return -1;
	memset(s, 0, sizeof(*s));
	s->vmcb = pages_alloc(1, PAGE_SIZE);
	s->host_vmcb = pages_alloc(1, PAGE_SIZE);
	s->iopm = pages_alloc(IOPM_PAGES, PAGE_SIZE);
	s->msrpm = pages_alloc(MSRPM_PAGES, PAGE_SIZE);
	if (!s->vmcb || !s->host_vmcb || !s->iopm || !s->msrpm)
		return -1;
	memset(s->iopm, 0xff, IOPM_PAGES * PAGE_SIZE);
	memset(s->msrpm, 0xff, MSRPM_PAGES * PAGE_SIZE);
	cpu_probe(&raw);
	s->nrips = raw.svm_features & SVM_FEATURE_NRIPS;
	v->backend = s;

	c = s->vmcb;
	/* CR4 writes are checked by exit_cr_access: a reserved bit must be
	 * #GP in the guest, and QEMU's TCG answers a nested guest's reserved
	 * CR4 bit (VMXE, SMXE) with VMEXIT_INVALID instead. */
	c->intercept_cr = SVM_INTERCEPT_CR4_WRITE;
	c->intercept_misc1 = SVM_INTERCEPT_INTR | SVM_INTERCEPT_NMI | SVM_INTERCEPT_INIT |
			     SVM_INTERCEPT_CPUID | SVM_INTERCEPT_RSM | SVM_INTERCEPT_INVD |
			     SVM_INTERCEPT_HLT | SVM_INTERCEPT_INVLPGA | SVM_INTERCEPT_IOIO_PROT |
			     SVM_INTERCEPT_MSR_PROT | SVM_INTERCEPT_FERR_FREEZE |
			     SVM_INTERCEPT_SHUTDOWN;
	c->intercept_misc2 = SVM_INTERCEPT_VMRUN | SVM_INTERCEPT_VMMCALL | SVM_INTERCEPT_VMLOAD |
			     SVM_INTERCEPT_VMSAVE | SVM_INTERCEPT_STGI | SVM_INTERCEPT_CLGI |
			     SVM_INTERCEPT_SKINIT | SVM_INTERCEPT_MONITOR | SVM_INTERCEPT_MWAIT |
			     SVM_INTERCEPT_MWAIT_COND;
	c->iopm_base_pa = (uint64_t)s->iopm;
	c->msrpm_base_pa = (uint64_t)s->msrpm;
	c->asid = 1;
	c->tlb_control = SVM_TLB_FLUSH_ALL;
	c->v_intr = SVM_V_INTR_MASKING;
	c->np_enable = SVM_NP_ENABLE;
	c->n_cr3 = v->root_pt_phys;
	svm_reset_state(v);

	/* The host's own FS/GS/TR/LDTR and syscall MSRs, restored after each
	 * guest run by VMLOAD (VMRUN does not switch them). */
	__asm__ volatile("vmsave %%rax" ::"a"((uint64_t)s->host_vmcb) : "memory");
	return 0;
}

static void svm_reset(struct vcpu *v)
{
	struct svm_vcpu *s = v->backend;

	s->event_queued = false;
	svm_set_intr_window(v, false);
	s->vmcb->interrupt_shadow = 0;
	s->vmcb->tlb_control = SVM_TLB_FLUSH_ALL;
	svm_reset_state(v);
}

/* Put a queued event into EVENTINJ (APM 15.20). */
static void svm_load_event(struct svm_vcpu *s)
{
	static const uint8_t type_code[] = {
		[EVENT_EXTINT] = SVM_EVTINJ_TYPE_INTR,
		[EVENT_NMI] = SVM_EVTINJ_TYPE_NMI,
		[EVENT_EXCEPTION] = SVM_EVTINJ_TYPE_EXCEPTION,
		[EVENT_SOFTINT] = SVM_EVTINJ_TYPE_SOFT,
	};
	const struct vm_event *ev = &s->event;
	uint64_t inj;

	if (!s->event_queued)
		return;
	inj = ev->vector | ((uint64_t)type_code[ev->type] << SVM_EVTINJ_TYPE_SHIFT) | SVM_EVTINJ_VALID;
	if (ev->has_error)
		inj |= SVM_EVTINJ_EV | ((uint64_t)ev->error_code << 32);
	s->vmcb->eventinj = inj;
	s->event_queued = false;
}

/*
 * An exit that interrupted the delivery of an event leaves it in
 * EXITINTINFO (APM 15.7.2); it must be delivered again.  A software
 * interrupt is not re-injected: RIP still points at its INT instruction,
 * which simply runs again.  QEMU's TCG may leave junk in the other bits,
 * so only the valid bit counts (testbench.md).
 */
static void svm_requeue_interrupted_event(struct svm_vcpu *s)
{
	uint64_t info = s->vmcb->exitintinfo;
	unsigned type = (info >> SVM_EVTINJ_TYPE_SHIFT) & 7;

	if (!(info & SVM_EVTINJ_VALID) || type == SVM_EVTINJ_TYPE_SOFT)
		return;
	s->event = (struct vm_event){
		.type = type == SVM_EVTINJ_TYPE_NMI ? EVENT_NMI
			: type == SVM_EVTINJ_TYPE_EXCEPTION ? EVENT_EXCEPTION : EVENT_EXTINT,
		.vector = info & SVM_EVTINJ_VEC_MASK,
		.has_error = info & SVM_EVTINJ_EV,
		.error_code = (uint32_t)(info >> 32),
	};
	s->event_queued = true;
}

static void svm_run(struct vcpu *v, struct vm_exit *exit, uint64_t deadline_tsc)
{
	struct svm_vcpu *s = v->backend;
	struct vmcb *c = s->vmcb;

	/* An instruction lamina emulated has ended any STI/MOV SS interrupt
	 * shadow it started in (APM 15.21.5). */
	if (c->rip != v->rip)
		c->interrupt_shadow &= ~SVM_INTERRUPT_SHADOW;
	c->rip = v->rip;
	c->rflags = v->rflags;
	c->rsp = v->gpr[GPR_RSP];
	c->rax = v->gpr[GPR_RAX];
	c->eventinj = 0;
	svm_load_event(s);
	c->clean_bits = 0; /* lamina edits the VMCB freely: nothing is cached */

	hosttimer_arm(deadline_tsc);
	svm_vmrun((uint64_t)c, v->gpr, (uint64_t)s->host_vmcb);
	hosttimer_disarm();

	c->tlb_control = 0;
	v->rip = c->rip;
	v->rflags = c->rflags;
	v->gpr[GPR_RSP] = c->rsp;
	v->gpr[GPR_RAX] = c->rax;
	svm_requeue_interrupted_event(s);
	svm_decode_exit(v, c, s->nrips, exit);
}

static uint64_t *svm_reg_field(struct vmcb *c, enum vm_reg r)
{
	switch (r) {
	case VM_REG_CR0: return &c->cr0;
	case VM_REG_CR2: return &c->cr2;
	case VM_REG_CR3: return &c->cr3;
	case VM_REG_CR4: return &c->cr4;
	case VM_REG_EFER: return &c->efer;
	case VM_REG_DR7: return &c->dr7;
	case VM_REG_PAT: return &c->g_pat;
	case VM_REG_SYSENTER_CS: return &c->sysenter_cs;
	case VM_REG_SYSENTER_ESP: return &c->sysenter_esp;
	case VM_REG_SYSENTER_EIP: return &c->sysenter_eip;
	case VM_REG_STAR: return &c->star;
	case VM_REG_LSTAR: return &c->lstar;
	case VM_REG_CSTAR: return &c->cstar;
	case VM_REG_SFMASK: return &c->sfmask;
	case VM_REG_KERNEL_GS_BASE: return &c->kernel_gs_base;
	default: return NULL;
	}
}

/* The guest never sees EFER.SVME, which lamina must keep set. */
static uint64_t svm_get_reg(struct vcpu *v, enum vm_reg r)
{
	uint64_t *f = svm_reg_field(vmcb_of(v), r);
	uint64_t val = f ? *f : 0;

	return r == VM_REG_EFER ? val & ~EFER_SVME : val;
}

/* EFER.LMA is owned by the CPU (set when paging turns on with LME). */
static void svm_set_reg(struct vcpu *v, enum vm_reg r, uint64_t val)
{
	struct vmcb *c = vmcb_of(v);
	uint64_t *f = svm_reg_field(c, r);

	if (!f)
		return;
	if (r == VM_REG_EFER)
		val = (val & ~EFER_LMA) | (c->efer & EFER_LMA) | EFER_SVME;
	*f = val;
	if (r == VM_REG_CR0 || r == VM_REG_CR3 || r == VM_REG_CR4 || r == VM_REG_EFER)
		c->tlb_control = SVM_TLB_FLUSH_ALL;
}

static struct vmcb_seg *svm_seg_field(struct vmcb *c, enum vm_seg s)
{
	switch (s) {
	case SEG_ES: return &c->es;
	case SEG_CS: return &c->cs;
	case SEG_SS: return &c->ss;
	case SEG_DS: return &c->ds;
	case SEG_FS: return &c->fs;
	case SEG_GS: return &c->gs;
	case SEG_LDTR: return &c->ldtr;
	case SEG_TR: return &c->tr;
	case SEG_GDTR: return &c->gdtr;
	default: return &c->idtr;
	}
}

static void svm_get_seg(struct vcpu *v, enum vm_seg s, struct vm_segment *out)
{
	const struct vmcb_seg *f = svm_seg_field(vmcb_of(v), s);

	*out = (struct vm_segment){ f->sel, f->attr, f->limit, f->base };
}

/* The VMCB's CPL field must follow SS.DPL (APM 15.5.1). */
static void svm_set_seg(struct vcpu *v, enum vm_seg s, const struct vm_segment *in)
{
	struct vmcb *c = vmcb_of(v);

	*svm_seg_field(c, s) = (struct vmcb_seg){ in->sel, in->attr, in->limit, in->base };
	if (s == SEG_SS)
		c->cpl = (in->attr >> 5) & 3;
}

static void svm_inject(struct vcpu *v, const struct vm_event *ev)
{
	struct svm_vcpu *s = v->backend;

	s->event = *ev;
	s->event_queued = true;
}

static bool svm_event_pending(struct vcpu *v)
{
	return ((struct svm_vcpu *)v->backend)->event_queued;
}

/*
 * Interrupt window: a virtual interrupt (V_IRQ) with the VINTR intercept
 * exits exactly when the guest could take it (APM 15.21.4), so lamina
 * then injects the real vector through EVENTINJ.
 */
static void svm_set_intr_window(struct vcpu *v, bool on)
{
	struct vmcb *c = vmcb_of(v);

	if (on) {
		c->v_intr |= SVM_V_IRQ | SVM_V_IGN_TPR | (0xfu << SVM_V_INTR_PRIO_SHIFT);
		c->intercept_misc1 |= SVM_INTERCEPT_VINTR;
	} else {
		c->v_intr &= ~(SVM_V_IRQ | SVM_V_IGN_TPR | (0xfu << SVM_V_INTR_PRIO_SHIFT));
		c->intercept_misc1 &= ~SVM_INTERCEPT_VINTR;
	}
}

/* The interrupt shadow covers only the instruction after STI/MOV SS; once
 * lamina has moved RIP past an emulated instruction it no longer applies. */
static bool svm_intr_allowed(struct vcpu *v)
{
	struct svm_vcpu *s = v->backend;
	bool shadow = (s->vmcb->interrupt_shadow & SVM_INTERRUPT_SHADOW) && s->vmcb->rip == v->rip;

	return (v->rflags & RFLAGS_IF) && !shadow && !s->event_queued;
}

static void svm_flush_gpa(struct vcpu *v)
{
	vmcb_of(v)->tlb_control = SVM_TLB_FLUSH_ALL;
}

static void svm_dump(struct vcpu *v)
{
	struct vmcb *c = vmcb_of(v);

	kprintf("  vmcb: exitcode %#llx info1 %#llx info2 %#llx intinfo %#llx eventinj %#llx\n",
		(unsigned long long)c->exitcode, (unsigned long long)c->exitinfo1,
		(unsigned long long)c->exitinfo2, (unsigned long long)c->exitintinfo,
		(unsigned long long)c->eventinj);
	kprintf("  vmcb: cr0 %#llx cr3 %#llx cr4 %#llx efer %#llx cpl %u n_cr3 %#llx\n",
		(unsigned long long)c->cr0, (unsigned long long)c->cr3, (unsigned long long)c->cr4,
		(unsigned long long)c->efer, c->cpl, (unsigned long long)c->n_cr3);
}

/* Test aid (test.corrupt=guest-state): a guest EFER without SVME is an
 * illegal VMCB state, so VMRUN fails with VMEXIT_INVALID (APM 15.5.1). */
static void svm_corrupt_guest_state(struct vcpu *v)
{
	vmcb_of(v)->efer &= ~EFER_SVME;
}

const struct vmm_ops svm_ops = {
	.name = "AMD-V",
	.pt_encoder = &npt_encoder,
	.init = svm_init,
	.reset = svm_reset,
	.run = svm_run,
	.get_reg = svm_get_reg,
	.set_reg = svm_set_reg,
	.get_seg = svm_get_seg,
	.set_seg = svm_set_seg,
	.inject = svm_inject,
	.event_pending = svm_event_pending,
	.set_intr_window = svm_set_intr_window,
	.intr_allowed = svm_intr_allowed,
	.flush_gpa = svm_flush_gpa,
	.dump = svm_dump,
	.corrupt_guest_state = svm_corrupt_guest_state,
};
