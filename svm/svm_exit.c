/*
 * Turn a #VMEXIT (EXITCODE, EXITINFO1/2, APM Vol. 2 15.6 and Appendix C)
 * into the vendor-neutral struct vm_exit.  Instruction lengths come from
 * next_rip when the CPU has NRIP save (APM 15.7.1), from EXITINFO2 for I/O
 * exits, and otherwise are left 0 for core/ to decode (QEMU's TCG has no
 * NRIP save).
 */
#include "lib.h"
#include "svm.h"

static void decode_ioio(const struct vmcb *c, struct vm_exit *e)
{
	uint64_t info = c->exitinfo1;

	e->reason = EXIT_IO;
	e->u.io.port = (uint16_t)(info >> SVM_IOIO_PORT_SHIFT);
	e->u.io.size = (info & SVM_IOIO_SZ32) ? 4 : (info & SVM_IOIO_SZ16) ? 2 : 1;
	e->u.io.in = info & SVM_IOIO_TYPE_IN;
	e->u.io.string = info & SVM_IOIO_STR;
	e->u.io.rep = info & SVM_IOIO_REP;
	/* TCG never sets the address-size bits: 0 tells core/ to decode. */
	e->u.io.addr_size = (info & SVM_IOIO_A64) ? 8 : (info & SVM_IOIO_A32) ? 4
			    : (info & SVM_IOIO_A16) ? 2 : 0;
	e->u.io.seg = SEG_DS;
	e->u.io.next_rip = c->exitinfo2;
	if (c->exitinfo2 > c->rip && c->exitinfo2 - c->rip <= 15)
		e->inst_len = (uint8_t)(c->exitinfo2 - c->rip);
}

static void decode_npf(const struct vmcb *c, struct vm_exit *e)
{
	uint64_t err = c->exitinfo1;

	e->reason = EXIT_PAGING;
	e->u.paging.gpa = c->exitinfo2;
	e->u.paging.present = err & SVM_NPF_P;
	e->u.paging.write = err & SVM_NPF_RW;
	e->u.paging.fetch = err & SVM_NPF_ID;
	e->u.paging.read = !e->u.paging.write && !e->u.paging.fetch;
}

void svm_decode_exit(struct vcpu *v, const struct vmcb *c, bool nrips, struct vm_exit *e)
{
	uint32_t code = (uint32_t)c->exitcode; /* TCG writes VMEXIT_INVALID as 0x00000000ffffffff */

	memset(e, 0, sizeof(*e));
	e->raw = code;
	e->rip = v->rip;
	if (nrips && c->next_rip > c->rip && c->next_rip - c->rip <= 15)
		e->inst_len = (uint8_t)(c->next_rip - c->rip);

	if (code >= SVM_EXIT_EXCP_BASE && code < SVM_EXIT_EXCP_BASE + 32) {
		e->reason = EXIT_EXCEPTION;
		e->u.exc.vector = (uint8_t)(code - SVM_EXIT_EXCP_BASE);
		e->u.exc.error_code = (uint32_t)c->exitinfo1;
		e->u.exc.cr2 = c->exitinfo2;
		return;
	}
	switch (code) {
	case SVM_EXIT_IOIO:
		decode_ioio(c, e);
		break;
	case SVM_EXIT_CPUID:
		e->reason = EXIT_CPUID;
		break;
	case SVM_EXIT_CR4_WRITE:
		/* EXITINFO1 bit 63 with decode assists names the GPR (APM
		 * 15.8.1); otherwise exit_cr_access decodes the MOV. */
		e->reason = EXIT_CR_ACCESS;
		e->u.cr.cr = 4;
		e->u.cr.type = CR_MOV_TO;
		e->u.cr.gpr = (c->exitinfo1 >> 63) ? (uint8_t)(c->exitinfo1 & 15) : 0xff;
		break;
	case SVM_EXIT_MSR:
		e->reason = c->exitinfo1 ? EXIT_WRMSR : EXIT_RDMSR;
		break;
	case SVM_EXIT_HLT:
		e->reason = EXIT_HLT;
		break;
	case SVM_EXIT_NPF:
		decode_npf(c, e);
		break;
	case SVM_EXIT_INTR:
		/* The host's 8259s stay masked (core/hosttimer.c), so the only
		 * maskable host interrupt is the local-APIC timer lamina arms
		 * before VMRUN: its own deadline, the event VT-x reports as a
		 * VMX-preemption-timer exit (SDM Vol. 3C 26.5.1).  Both backends
		 * call it a timer exit. */
		e->reason = EXIT_TIMER;
		break;
	case SVM_EXIT_NMI:
		e->reason = EXIT_NMI;
		break;
	case SVM_EXIT_VINTR:
		e->reason = EXIT_INTR_WINDOW;
		break;
	case SVM_EXIT_SHUTDOWN:
		e->reason = EXIT_TRIPLE_FAULT;
		break;
	case SVM_EXIT_VMMCALL:
		e->reason = EXIT_HYPERCALL;
		break;
	case SVM_EXIT_VMRUN:
	case SVM_EXIT_VMLOAD:
	case SVM_EXIT_VMSAVE:
	case SVM_EXIT_STGI:
	case SVM_EXIT_CLGI:
	case SVM_EXIT_SKINIT:
	case SVM_EXIT_INVLPGA:
	case SVM_EXIT_MONITOR:
	case SVM_EXIT_MWAIT:
	case SVM_EXIT_MWAIT_COND:
	case SVM_EXIT_RSM:
		e->reason = EXIT_VIRT_INSN;
		break;
	case SVM_EXIT_INVD:
		e->reason = EXIT_INVD;
		break;
	case SVM_EXIT_XSETBV:
		e->reason = EXIT_XSETBV;
		break;
	case SVM_EXIT_INIT:
		e->reason = EXIT_INIT_SIPI;
		break;
	case SVM_EXIT_INVALID:
		e->reason = EXIT_ENTRY_FAILED;
		e->u.fail.code = c->exitcode;
		e->u.fail.what = "VMRUN refused the guest state in the VMCB (VMEXIT_INVALID, "
				 "APM 15.5.1 lists the consistency checks)";
		break;
	default:
		e->reason = EXIT_OTHER;
		break;
	}
}
