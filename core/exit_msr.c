/*
 * RDMSR/WRMSR emulation.  Every MSR access exits (SVM MSR permission map
 * and VMX MSR bitmaps are all ones), so the guest only ever sees what this
 * table gives it.  Unknown MSRs raise #GP in the guest, as on a CPU that
 * does not implement them (SDM Vol. 2B "RDMSR": "#GP(0) if ECX specifies a
 * reserved or unimplemented MSR"), and are logged once.  The MSRs that
 * control virtualization itself (IA32_FEATURE_CONTROL's VMX bits,
 * IA32_VMX_*, VM_CR, VM_HSAVE_PA, EFER.SVME) are never reachable.
 */
#include "guest.h"
#include "kprintf.h"
#include "x86.h"

#define MSR_IA32_PLATFORM_ID 0x17
#define MSR_IA32_BIOS_SIGN_ID 0x8b
#define MSR_IA32_MTRRCAP 0xfe
#define MSR_IA32_MCG_CAP 0x179
#define MSR_IA32_MCG_STATUS 0x17a
#define MSR_IA32_MISC_ENABLE 0x1a0
#define MSR_MTRR_PHYS_FIRST 0x200 /* 8 pairs of IA32_MTRR_PHYSBASEn/PHYSMASKn */
#define MSR_MTRR_PHYS_LAST 0x20f
#define MSR_MTRR_FIX64K 0x250
#define MSR_MTRR_FIX16K_80000 0x258
#define MSR_MTRR_FIX16K_A0000 0x259
#define MSR_MTRR_FIX4K_FIRST 0x268
#define MSR_MTRR_FIX4K_LAST 0x26f
#define MSR_MTRR_DEF_TYPE 0x2ff
#define MSR_AMD_HWCR 0xc0010015
#define MSR_AMD_SYSCFG 0xc0010010
#define MSR_AMD_INT_PENDING_MSG 0xc0010055 /* BKDG fam 10h; Linux reads it for erratum 400 */

#define MTRRCAP_VCNT 8
#define MTRRCAP_FIX BIT(8)
#define MTRRCAP_WC BIT(10)
#define MISC_ENABLE_FAST_STRINGS BIT(0)
#define APIC_BASE_BSP BIT(8)
#define APIC_DEFAULT_BASE 0xfee00000ull
/* EFER bits a guest may set (SDM Vol. 3A 2.2.1; APM Vol. 2 3.1.7) */
#define EFER_GUEST_WRITABLE (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE)

/* MTRRs lamina stores but does not act on: guest RAM is always mapped
 * write-back in the nested tables.  Index: variable 0-15, fixed 16-26, def 27. */
static uint64_t mtrr[16 + 11 + 1];

static int mtrr_index(uint32_t msr)
{
	if (msr >= MSR_MTRR_PHYS_FIRST && msr <= MSR_MTRR_PHYS_LAST)
		return msr - MSR_MTRR_PHYS_FIRST;
	if (msr == MSR_MTRR_FIX64K)
		return 16;
	if (msr == MSR_MTRR_FIX16K_80000 || msr == MSR_MTRR_FIX16K_A0000)
		return 17 + (msr - MSR_MTRR_FIX16K_80000);
	if (msr >= MSR_MTRR_FIX4K_FIRST && msr <= MSR_MTRR_FIX4K_LAST)
		return 19 + (msr - MSR_MTRR_FIX4K_FIRST);
	if (msr == MSR_MTRR_DEF_TYPE)
		return 27;
	return -1;
}

/* MSRs that live in the VMCB/VMCS (or are loaded by the backend). */
static int context_reg(uint32_t msr, enum vm_reg *r)
{
	static const struct { uint32_t msr; enum vm_reg reg; } map[] = {
		{ MSR_EFER, VM_REG_EFER },
		{ MSR_IA32_PAT, VM_REG_PAT },
		{ MSR_IA32_SYSENTER_CS, VM_REG_SYSENTER_CS },
		{ MSR_IA32_SYSENTER_ESP, VM_REG_SYSENTER_ESP },
		{ MSR_IA32_SYSENTER_EIP, VM_REG_SYSENTER_EIP },
		{ MSR_STAR, VM_REG_STAR },
		{ MSR_LSTAR, VM_REG_LSTAR },
		{ MSR_CSTAR, VM_REG_CSTAR },
		{ MSR_SFMASK, VM_REG_SFMASK },
		{ MSR_KERNEL_GS_BASE, VM_REG_KERNEL_GS_BASE },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(map); i++) {
		if (map[i].msr == msr) {
			*r = map[i].reg;
			return 0;
		}
	}
	return -1;
}

/* Each PAT entry must be a valid memory type: 0, 1, 4, 5, 6 or 7
 * (SDM Vol. 3A 13.12.2: other values make WRMSR raise #GP). */
static bool pat_valid(uint64_t pat)
{
	for (unsigned i = 0; i < 8; i++) {
		uint8_t t = (pat >> (i * 8)) & 0xff;

		if (t == 2 || t == 3 || t > 7)
			return false;
	}
	return true;
}

/* MSRs holding linear addresses refuse non-canonical values with #GP
 * (SDM Vol. 2B "WRMSR"; Vol. 4 notes on IA32_LSTAR, IA32_FS_BASE...). */
static bool needs_canonical(uint32_t msr)
{
	switch (msr) {
	case MSR_LSTAR: case MSR_CSTAR: case MSR_KERNEL_GS_BASE: case MSR_FS_BASE:
	case MSR_GS_BASE: case MSR_IA32_SYSENTER_ESP: case MSR_IA32_SYSENTER_EIP:
		return true;
	default:
		return false;
	}
}

static bool canonical(uint64_t addr)
{
	return (uint64_t)((int64_t)(addr << 16) >> 16) == addr;
}

static void log_unknown(struct vcpu *v, uint32_t msr, bool write)
{
	static uint32_t logged[32];
	static unsigned n_logged;

	for (unsigned i = 0; i < n_logged; i++)
		if (logged[i] == msr)
			return;
	/* A guest probing thousands of MSRs must not flood the console. */
	if (n_logged >= ARRAY_SIZE(logged)) {
		if (n_logged == ARRAY_SIZE(logged)) {
			kprintf("lamina: msr: more than %u unknown MSRs: no more are logged\n",
				(unsigned)ARRAY_SIZE(logged));
			n_logged++;
		}
		return;
	}
	logged[n_logged++] = msr;
	kprintf("lamina: msr: guest %s MSR %#x at rip %#llx: unknown MSR or invalid value, "
		"#GP (logged once)\n",
		write ? "wrote" : "read", msr, (unsigned long long)v->rip);
}

static int msr_read(struct vcpu *v, uint32_t msr, uint64_t *val)
{
	enum vm_reg r;
	struct vm_segment seg;
	int i;

	if (context_reg(msr, &r) == 0) {
		*val = v->ops->get_reg(v, r);
		return 0;
	}
	if ((i = mtrr_index(msr)) >= 0) {
		*val = mtrr[i];
		return 0;
	}
	switch (msr) {
	case MSR_FS_BASE:
	case MSR_GS_BASE:
		v->ops->get_seg(v, msr == MSR_FS_BASE ? SEG_FS : SEG_GS, &seg);
		*val = seg.base;
		return 0;
	case MSR_IA32_TSC:
		*val = rdtsc();
		return 0;
	case MSR_IA32_APIC_BASE: /* the APIC is hidden: report it disabled */
		*val = APIC_DEFAULT_BASE | APIC_BASE_BSP;
		return 0;
	case MSR_IA32_MTRRCAP:
		*val = MTRRCAP_VCNT | MTRRCAP_FIX | MTRRCAP_WC;
		return 0;
	case MSR_IA32_MISC_ENABLE:
		*val = MISC_ENABLE_FAST_STRINGS;
		return 0;
	case MSR_IA32_PLATFORM_ID:
	case MSR_IA32_BIOS_SIGN_ID:
	case MSR_IA32_MCG_CAP:
	case MSR_IA32_MCG_STATUS:
	case MSR_AMD_HWCR:
	case MSR_AMD_SYSCFG:
	case MSR_AMD_INT_PENDING_MSG: /* no C1E, no SMI on halt: nothing to turn off */
		*val = 0;
		return 0;
	default:
		return -1;
	}
}

static int msr_write(struct vcpu *v, uint32_t msr, uint64_t val)
{
	enum vm_reg r;
	struct vm_segment seg;
	int i;

	if (msr == MSR_EFER && (val & ~EFER_GUEST_WRITABLE))
		return -1; /* reserved bits, and SVME: no nested SVM */
	/* EFER.LME may not change while paging is on (SDM Vol. 3A 10.8.5). */
	if (msr == MSR_EFER && (v->ops->get_reg(v, VM_REG_CR0) & CR0_PG) &&
	    ((val ^ v->ops->get_reg(v, VM_REG_EFER)) & EFER_LME))
		return -1;
	if (needs_canonical(msr) && !canonical(val))
		return -1;
	if (msr == MSR_IA32_PAT && !pat_valid(val))
		return -1;
	if (context_reg(msr, &r) == 0) {
		v->ops->set_reg(v, r, val);
		return 0;
	}
	if ((i = mtrr_index(msr)) >= 0) {
		mtrr[i] = val;
		return 0;
	}
	switch (msr) {
	case MSR_FS_BASE:
	case MSR_GS_BASE:
		v->ops->get_seg(v, msr == MSR_FS_BASE ? SEG_FS : SEG_GS, &seg);
		seg.base = val;
		v->ops->set_seg(v, msr == MSR_FS_BASE ? SEG_FS : SEG_GS, &seg);
		return 0;
	case MSR_IA32_TSC:            /* TSC writes are ignored: the guest shares it */
	case MSR_IA32_APIC_BASE:      /* nothing to move or enable */
	case MSR_IA32_BIOS_SIGN_ID:   /* microcode update signature probe */
	case MSR_IA32_MISC_ENABLE:
	case MSR_IA32_MCG_STATUS:
		return 0;
	default:
		return -1;
	}
}

enum exit_action exit_rdmsr(struct vcpu *v, const struct vm_exit *e)
{
	uint32_t msr = (uint32_t)v->gpr[GPR_RCX];
	uint64_t val;

	if (msr_read(v, msr, &val)) {
		log_unknown(v, msr, false);
		vcpu_inject_exception(v, VEC_GP, true, 0);
		return EXIT_RESUME;
	}
	v->gpr[GPR_RAX] = (uint32_t)val;
	v->gpr[GPR_RDX] = val >> 32;
	return vcpu_skip_insn(v, e);
}

enum exit_action exit_wrmsr(struct vcpu *v, const struct vm_exit *e)
{
	uint32_t msr = (uint32_t)v->gpr[GPR_RCX];
	uint64_t val = (v->gpr[GPR_RDX] << 32) | (uint32_t)v->gpr[GPR_RAX];

	if (msr_write(v, msr, val)) {
		log_unknown(v, msr, true);
		vcpu_inject_exception(v, VEC_GP, true, 0);
		return EXIT_RESUME;
	}
	return vcpu_skip_insn(v, e);
}
