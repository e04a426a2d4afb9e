/*
 * The VMCB (APM Vol. 2, Appendix B "Layout of VMCB"): a 4 KiB page with the
 * control area at offset 0 and the state-save area at 0x400.  Offsets are
 * checked at compile time against the APM's tables.
 */
#ifndef LAMINA_SVM_VMCB_H
#define LAMINA_SVM_VMCB_H

#include "types.h"

/* Intercept vector 3 (offset 0x0C), APM Table B-1 */
#define SVM_INTERCEPT_INTR BIT(0)
#define SVM_INTERCEPT_NMI BIT(1)
#define SVM_INTERCEPT_SMI BIT(2)
#define SVM_INTERCEPT_INIT BIT(3)
#define SVM_INTERCEPT_VINTR BIT(4)
#define SVM_INTERCEPT_CPUID BIT(18)
#define SVM_INTERCEPT_RSM BIT(19)
#define SVM_INTERCEPT_INVD BIT(22)
#define SVM_INTERCEPT_HLT BIT(24)
#define SVM_INTERCEPT_INVLPGA BIT(26)
#define SVM_INTERCEPT_IOIO_PROT BIT(27)
#define SVM_INTERCEPT_MSR_PROT BIT(28)
#define SVM_INTERCEPT_TASK_SWITCH BIT(29)
#define SVM_INTERCEPT_FERR_FREEZE BIT(30)
#define SVM_INTERCEPT_SHUTDOWN BIT(31)
/* Intercept vector 4 (offset 0x10) */
#define SVM_INTERCEPT_VMRUN BIT(0)
#define SVM_INTERCEPT_VMMCALL BIT(1)
#define SVM_INTERCEPT_VMLOAD BIT(2)
#define SVM_INTERCEPT_VMSAVE BIT(3)
#define SVM_INTERCEPT_STGI BIT(4)
#define SVM_INTERCEPT_CLGI BIT(5)
#define SVM_INTERCEPT_SKINIT BIT(6)
#define SVM_INTERCEPT_RDTSCP BIT(7)
#define SVM_INTERCEPT_MONITOR BIT(10)
#define SVM_INTERCEPT_MWAIT BIT(11)
#define SVM_INTERCEPT_MWAIT_COND BIT(12)

/* Exit codes, APM Appendix C */
#define SVM_EXIT_CR0_READ 0x000
#define SVM_EXIT_CR0_WRITE 0x010
#define SVM_EXIT_CR4_WRITE 0x014
#define SVM_INTERCEPT_CR4_WRITE (1u << (16 + 4)) /* intercept_cr */
#define SVM_EXIT_EXCP_BASE 0x040
#define SVM_EXIT_INTR 0x060
#define SVM_EXIT_NMI 0x061
#define SVM_EXIT_SMI 0x062
#define SVM_EXIT_INIT 0x063
#define SVM_EXIT_VINTR 0x064
#define SVM_EXIT_CPUID 0x072
#define SVM_EXIT_RSM 0x073
#define SVM_EXIT_INVD 0x076
#define SVM_EXIT_HLT 0x078
#define SVM_EXIT_INVLPGA 0x07a
#define SVM_EXIT_IOIO 0x07b
#define SVM_EXIT_MSR 0x07c
#define SVM_EXIT_TASK_SWITCH 0x07d
#define SVM_EXIT_FERR_FREEZE 0x07e
#define SVM_EXIT_SHUTDOWN 0x07f
#define SVM_EXIT_VMRUN 0x080
#define SVM_EXIT_VMMCALL 0x081
#define SVM_EXIT_VMLOAD 0x082
#define SVM_EXIT_VMSAVE 0x083
#define SVM_EXIT_STGI 0x084
#define SVM_EXIT_CLGI 0x085
#define SVM_EXIT_SKINIT 0x086
#define SVM_EXIT_RDTSCP 0x087
#define SVM_EXIT_MONITOR 0x08a
#define SVM_EXIT_MWAIT 0x08b
#define SVM_EXIT_MWAIT_COND 0x08c
#define SVM_EXIT_XSETBV 0x08d
#define SVM_EXIT_NPF 0x400
#define SVM_EXIT_INVALID 0xffffffffu

/* IOIO EXITINFO1 (APM 15.10.2, Figure 15-2) */
#define SVM_IOIO_TYPE_IN BIT(0)
#define SVM_IOIO_STR BIT(2)
#define SVM_IOIO_REP BIT(3)
#define SVM_IOIO_SZ8 BIT(4)
#define SVM_IOIO_SZ16 BIT(5)
#define SVM_IOIO_SZ32 BIT(6)
#define SVM_IOIO_A16 BIT(7)
#define SVM_IOIO_A32 BIT(8)
#define SVM_IOIO_A64 BIT(9)
#define SVM_IOIO_SEG_SHIFT 10
#define SVM_IOIO_PORT_SHIFT 16

/* NPF EXITINFO1 (APM 15.25.6): a #PF-style error code */
#define SVM_NPF_P BIT(0)
#define SVM_NPF_RW BIT(1)
#define SVM_NPF_ID BIT(4)
#define SVM_NPF_GPA BIT(32)

/* EVENTINJ / EXITINTINFO (APM 15.20, Figure 15-6) */
#define SVM_EVTINJ_VEC_MASK 0xff
#define SVM_EVTINJ_TYPE_SHIFT 8
#define SVM_EVTINJ_TYPE_INTR 0
#define SVM_EVTINJ_TYPE_NMI 2
#define SVM_EVTINJ_TYPE_EXCEPTION 3
#define SVM_EVTINJ_TYPE_SOFT 4
#define SVM_EVTINJ_EV BIT(11)
#define SVM_EVTINJ_VALID BIT(31)

/* V_INTR fields at offset 0x60 (APM 15.21.4) */
#define SVM_V_IRQ BIT(8)
#define SVM_V_INTR_PRIO_SHIFT 16
#define SVM_V_IGN_TPR BIT(20)
#define SVM_V_INTR_MASKING BIT(24)
#define SVM_INTERRUPT_SHADOW BIT(0)

#define SVM_NP_ENABLE BIT(0)
#define SVM_TLB_FLUSH_ALL 1

struct vmcb_seg {
	uint16_t sel, attr;
	uint32_t limit;
	uint64_t base;
};

struct vmcb {
	/* control area */
	uint32_t intercept_cr;    /* 0x000: reads 0-15, writes 16-31 */
	uint32_t intercept_dr;    /* 0x004 */
	uint32_t intercept_exc;   /* 0x008 */
	uint32_t intercept_misc1; /* 0x00c */
	uint32_t intercept_misc2; /* 0x010 */
	uint8_t reserved_014[0x03c - 0x014];
	uint16_t pause_filter_thresh; /* 0x03c */
	uint16_t pause_filter_count;  /* 0x03e */
	uint64_t iopm_base_pa;    /* 0x040 */
	uint64_t msrpm_base_pa;   /* 0x048 */
	uint64_t tsc_offset;      /* 0x050 */
	uint32_t asid;            /* 0x058 */
	uint8_t tlb_control;      /* 0x05c */
	uint8_t reserved_05d[3];
	uint32_t v_intr;          /* 0x060: V_TPR, V_IRQ, prio, V_IGN_TPR, V_INTR_MASKING */
	uint32_t v_intr_vector;   /* 0x064 */
	uint64_t interrupt_shadow; /* 0x068 */
	uint64_t exitcode;        /* 0x070 */
	uint64_t exitinfo1;       /* 0x078 */
	uint64_t exitinfo2;       /* 0x080 */
	uint64_t exitintinfo;     /* 0x088 */
	uint64_t np_enable;       /* 0x090 */
	uint8_t reserved_098[0x0a8 - 0x098];
	uint64_t eventinj;        /* 0x0a8 */
	uint64_t n_cr3;           /* 0x0b0 */
	uint64_t lbr_virt;        /* 0x0b8 */
	uint32_t clean_bits;      /* 0x0c0 */
	uint32_t reserved_0c4;
	uint64_t next_rip;        /* 0x0c8 */
	uint8_t insn_len;         /* 0x0d0 */
	uint8_t insn_bytes[15];   /* 0x0d1 */
	uint8_t reserved_0e0[0x400 - 0x0e0];
	/* state-save area, APM Table B-2 */
	struct vmcb_seg es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr; /* 0x400-0x49f */
	uint8_t reserved_4a0[0x4cb - 0x4a0];
	uint8_t cpl;              /* 0x4cb */
	uint32_t reserved_4cc;
	uint64_t efer;            /* 0x4d0 */
	uint8_t reserved_4d8[0x548 - 0x4d8];
	uint64_t cr4;             /* 0x548 */
	uint64_t cr3;             /* 0x550 */
	uint64_t cr0;             /* 0x558 */
	uint64_t dr7;             /* 0x560 */
	uint64_t dr6;             /* 0x568 */
	uint64_t rflags;          /* 0x570 */
	uint64_t rip;             /* 0x578 */
	uint8_t reserved_580[0x5d8 - 0x580];
	uint64_t rsp;             /* 0x5d8 */
	uint8_t reserved_5e0[0x5f8 - 0x5e0];
	uint64_t rax;             /* 0x5f8 */
	uint64_t star;            /* 0x600 */
	uint64_t lstar;           /* 0x608 */
	uint64_t cstar;           /* 0x610 */
	uint64_t sfmask;          /* 0x618 */
	uint64_t kernel_gs_base;  /* 0x620 */
	uint64_t sysenter_cs;     /* 0x628 */
	uint64_t sysenter_esp;    /* 0x630 */
	uint64_t sysenter_eip;    /* 0x638 */
	uint64_t cr2;             /* 0x640 */
	uint8_t reserved_648[0x668 - 0x648];
	uint64_t g_pat;           /* 0x668 */
	uint8_t reserved_670[0x1000 - 0x670];
};

_Static_assert(__builtin_offsetof(struct vmcb, iopm_base_pa) == 0x40, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, exitcode) == 0x70, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, eventinj) == 0xa8, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, next_rip) == 0xc8, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, es) == 0x400, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, tr) == 0x490, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, cpl) == 0x4cb, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, efer) == 0x4d0, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, cr4) == 0x548, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, rip) == 0x578, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, rsp) == 0x5d8, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, rax) == 0x5f8, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, cr2) == 0x640, "VMCB layout");
_Static_assert(__builtin_offsetof(struct vmcb, g_pat) == 0x668, "VMCB layout");
_Static_assert(sizeof(struct vmcb) == 0x1000, "VMCB is one page");

#endif
