/*
 * The vendor-neutral vCPU interface (after bhyve's vmm_ops).
 *
 * svm/ (AMD-V) and vmx/ (VT-x) each fill one struct vmm_ops.  Each turns
 * its raw exit (SVM EXITCODE / VMX basic exit reason) into a struct
 * vm_exit; everything after that — CPUID policy, MSRs, port I/O, HLT,
 * interrupt injection, the trace — lives once in core/.
 */
#ifndef LAMINA_VMM_H
#define LAMINA_VMM_H

#include "types.h"

/* GPRs in x86 encoding order, so a ModRM reg field indexes gpr[] directly. */
enum vm_gpr {
	GPR_RAX, GPR_RCX, GPR_RDX, GPR_RBX, GPR_RSP, GPR_RBP, GPR_RSI, GPR_RDI,
	GPR_R8, GPR_R9, GPR_R10, GPR_R11, GPR_R12, GPR_R13, GPR_R14, GPR_R15,
	GPR_COUNT
};

/* Guest state reached through the backend (VMCB save area / VMCS fields). */
enum vm_reg {
	VM_REG_CR0, VM_REG_CR2, VM_REG_CR3, VM_REG_CR4, VM_REG_EFER, VM_REG_DR7,
	VM_REG_PAT, VM_REG_SYSENTER_CS, VM_REG_SYSENTER_ESP, VM_REG_SYSENTER_EIP,
	VM_REG_STAR, VM_REG_LSTAR, VM_REG_CSTAR, VM_REG_SFMASK, VM_REG_KERNEL_GS_BASE,
	VM_REG_COUNT
};

enum vm_seg { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_LDTR, SEG_TR,
	      SEG_GDTR, SEG_IDTR, SEG_COUNT };

/*
 * Segment register with its hidden part.  attr uses the VMCB layout
 * (APM Vol. 2 15.5.1): bits 0-3 type, 4 S, 5-6 DPL, 7 P, 8 AVL, 9 L,
 * 10 D/B, 11 G.  VMX's access-rights field is the same bits shifted
 * (bits 8-11 -> 12-15) plus an "unusable" bit 16; vmx/ converts.
 */
struct vm_segment {
	uint16_t sel;
	uint16_t attr;
	uint32_t limit;
	uint64_t base;
};

#define SEG_ATTR_P BIT(7)
#define SEG_ATTR_L BIT(9)
#define SEG_ATTR_DB BIT(10)
#define SEG_ATTR_G BIT(11)

enum vm_exit_reason {
	EXIT_IO,           /* IN/OUT/INS/OUTS */
	EXIT_CPUID,
	EXIT_RDMSR,
	EXIT_WRMSR,
	EXIT_CR_ACCESS,    /* MOV to/from CRn, CLTS, LMSW */
	EXIT_PAGING,       /* NPT fault / EPT violation: guest-physical access */
	EXIT_PAGING_MISCONFIG, /* EPT misconfiguration (lamina's own bug) */
	EXIT_HLT,
	EXIT_EXCEPTION,    /* an intercepted guest exception */
	EXIT_NMI,          /* a host NMI arrived while the guest ran */
	EXIT_EXT_INTR,     /* a host interrupt arrived while the guest ran */
	EXIT_INTR_WINDOW,  /* the guest can now take an interrupt */
	EXIT_TRIPLE_FAULT, /* VMX triple fault / SVM shutdown */
	EXIT_HYPERCALL,    /* VMCALL / VMMCALL */
	EXIT_VIRT_INSN,    /* other VMX/SVM instruction: the guest gets #UD */
	EXIT_INVD,
	EXIT_XSETBV,
	EXIT_TIMER,        /* monitor deadline (VMX preemption timer, host timer) */
	EXIT_INIT_SIPI,
	EXIT_TASK_SWITCH,  /* VMX: a guest task switch (exits unconditionally) */
	EXIT_ENTRY_FAILED, /* VM entry refused the guest state */
	EXIT_OTHER,        /* anything else: reported with its raw code */
	EXIT_REASON_COUNT
};

enum cr_access_type { CR_MOV_TO, CR_MOV_FROM, CR_CLTS, CR_LMSW };
/* What started a task switch (SDM Vol. 3C Table 28-2, bits 31:30). */
enum task_switch_source { TASK_CALL, TASK_IRET, TASK_JMP, TASK_IDT_GATE };

struct vm_exit {
	enum vm_exit_reason reason;
	uint32_t raw;      /* SVM EXITCODE (low 32 bits) / VMX basic exit reason */
	uint64_t rip;      /* guest RIP of the exiting instruction */
	uint8_t inst_len;  /* 0 when the hardware did not say (SVM without NRIP):
			      core/ decodes the instruction then */
	union {
		struct {
			uint16_t port;
			uint8_t size;      /* 1, 2, 4 */
			bool in, string, rep;
			uint8_t addr_size; /* 2, 4, 8 (string forms) */
			uint8_t seg;       /* enum vm_seg of the OUTS source (default DS) */
			uint64_t next_rip; /* when the hardware gave it (SVM EXITINFO2), else 0 */
		} io;
		struct {
			uint8_t cr;        /* 0, 3, 4, 8 */
			uint8_t type;      /* enum cr_access_type */
			uint8_t gpr;       /* enum vm_gpr, 0xff when unknown (core decodes) */
			uint16_t lmsw_src; /* LMSW operand when known */
		} cr;
		struct {
			uint64_t gpa, gla;
			bool gla_valid, read, write, fetch, present;
		} paging;
		struct {
			uint8_t vector;
			bool has_error;
			uint32_t error_code;
			uint64_t cr2; /* #PF faulting address */
		} exc;
		struct {
			uint16_t sel;       /* the new task's TSS selector */
			uint8_t source;     /* enum task_switch_source */
		} task;
		struct {
			uint64_t code;      /* VM-instruction error / SVM exit code */
			uint64_t qual;      /* exit qualification */
			const char *what;   /* plain-words reason */
		} fail;
	} u;
};

enum vm_event_type { EVENT_EXTINT, EVENT_NMI, EVENT_EXCEPTION, EVENT_SOFTINT };

struct vm_event {
	enum vm_event_type type;
	uint8_t vector;
	bool has_error;
	uint32_t error_code;
};

/* Exception vectors the core injects (SDM Vol. 3A Table 6-1). */
#define VEC_DE 0
#define VEC_DB 1
#define VEC_UD 6
#define VEC_DF 8
#define VEC_GP 13
#define VEC_PF 14

struct vcpu;

struct npt_encoder;

struct vmm_ops {
	const char *name; /* "AMD-V" or "VT-x" */
	const struct npt_encoder *pt_encoder; /* &npt_encoder or &ept_encoder */
	/* Enable the extension on this CPU, build the control structure and
	 * put the guest in the x86 reset state (real mode, F000:FFF0). */
	int (*init)(struct vcpu *v);
	/* Back to the x86 reset state (a CPU reset): registers, segments and
	 * control registers as after power-on, nothing queued. */
	void (*reset)(struct vcpu *v);
	/* Enter the guest and return with its next exit decoded.  The backend
	 * makes sure the guest exits by deadline_tsc (host TSC) at the latest,
	 * and re-injects an event whose delivery an exit interrupted. */
	void (*run)(struct vcpu *v, struct vm_exit *exit, uint64_t deadline_tsc);
	uint64_t (*get_reg)(struct vcpu *v, enum vm_reg r);
	void (*set_reg)(struct vcpu *v, enum vm_reg r, uint64_t val);
	void (*get_seg)(struct vcpu *v, enum vm_seg s, struct vm_segment *out);
	void (*set_seg)(struct vcpu *v, enum vm_seg s, const struct vm_segment *in);
	/* Deliver this event at the next entry (one at a time). */
	void (*inject)(struct vcpu *v, const struct vm_event *ev);
	bool (*event_pending)(struct vcpu *v); /* an injection is still queued */
	/* Exit as soon as the guest can take an external interrupt. */
	void (*set_intr_window)(struct vcpu *v, bool on);
	/* RFLAGS.IF=1, no STI/MOV-SS shadow, nothing queued: an external
	 * interrupt can be injected now. */
	bool (*intr_allowed)(struct vcpu *v);
	/* The guest-physical map changed permissions: flush cached translations. */
	void (*flush_gpa)(struct vcpu *v);
	/* Print the raw control-structure state that explains a failure. */
	void (*dump)(struct vcpu *v);
	/* Test aid: make the next VM entry fail on an illegal guest-state
	 * field, to exercise the failure report (test.corrupt=guest-state). */
	void (*corrupt_guest_state)(struct vcpu *v);
};

/*
 * One virtual CPU.  gpr[], rip and rflags are authoritative in this struct
 * while the monitor runs: the backend copies them from the VMCB/VMCS after
 * every exit and back before every entry (including RSP and, on SVM, RAX).
 */
struct vcpu {
	uint64_t gpr[GPR_COUNT];
	uint64_t rip, rflags;
	const struct vmm_ops *ops;
	void *backend; /* struct svm_vcpu / struct vmx_vcpu */
	struct gpa_map *mem;
	uint64_t root_pt_phys; /* NPT/EPT root built from mem (PML4) */
	bool halted;
};

/* Backends: detection already happened (core/virt_features.c). */
extern const struct vmm_ops svm_ops;
extern const struct vmm_ops vmx_ops;

const char *vm_exit_reason_name(enum vm_exit_reason r);

#endif
