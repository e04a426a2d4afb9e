/*
 * Guest register state in the VMCS, in the vendor-neutral form of
 * struct vm_segment / enum vm_reg: segment access rights, CR0/CR4 with
 * their guest/host masks and read shadows, EFER.LMA with the "IA-32e
 * mode guest" control, PAE PDPTEs, the MSRs the VMCS does not hold, and
 * the x86 reset state (SDM Vol. 3C 25.4, checked by 27.3.1).
 */
#include "gpa_map.h"
#include "lib.h"
#include "vmx_internal.h"
#include "x86.h"

#define PAT_RESET_VALUE 0x0007040600070406ull /* SDM Vol. 3A 13.12.4 */
#define DR7_RESET_VALUE 0x400ull        /* SDM Vol. 3A 18.2.4 */
#define CR0_RESET_VALUE (CR0_CD | CR0_NW | CR0_ET) /* SDM Vol. 3A 10.1.1 */

/* ---- Segments ---- */

#define SEG_TYPE_TSS_BUSY BIT(1) /* TSS types: 1/9 available, 3/11 busy */

/*
 * The VMCB attribute layout (struct vm_segment) keeps the descriptor's
 * bits 40-47 and 52-55 packed into 12 bits; VMX access rights (SDM
 * 25.4.1) keep them at bits 0-7 and 12-15, and add bit 16 "unusable".
 * A segment is unusable after a null selector was loaded in protected
 * mode; both AMD-V and VT-x show that as P=0 in the hidden part, so P=0
 * is what "unusable" means in struct vm_segment.  VM entry skips most
 * checks for an unusable segment (27.3.1.2).
 *
 * Two fix-ups make states written by core/ acceptable to VM entry the way
 * the processor itself would have left them: a code/data segment loaded
 * by the processor always has its accessed bit set (Vol. 3A 3.4.5.1;
 * 27.3.1.2 requires it), and a loaded TR is always "busy" (Vol. 3A
 * 8.2.2; 27.3.1.2 accepts only busy TSS types).
 */
static uint32_t attr_to_ar(enum vm_seg s, uint16_t attr)
{
	uint32_t ar = (attr & 0xff) | ((uint32_t)(attr & 0xf00) << 4);

	if (!(attr & SEG_ATTR_P))
		return ar | VMX_AR_UNUSABLE;
	if (s == SEG_TR)
		ar |= SEG_TYPE_TSS_BUSY;
	else if (ar & VMX_AR_S)
		ar |= VMX_AR_TYPE_ACCESSED;
	return ar;
}

static uint16_t ar_to_attr(uint32_t ar)
{
	uint16_t attr = (ar & 0xff) | ((ar >> 4) & 0xf00);

	if (ar & VMX_AR_UNUSABLE)
		attr &= ~SEG_ATTR_P;
	return attr;
}

void vmx_get_seg(struct vcpu *v, enum vm_seg s, struct vm_segment *out)
{
	vmx_load(v);
	memset(out, 0, sizeof(*out));
	switch (s) {
	case SEG_GDTR:
		out->base = vmread(VMCS_GUEST_GDTR_BASE);
		out->limit = vmread(VMCS_GUEST_GDTR_LIMIT);
		return;
	case SEG_IDTR:
		out->base = vmread(VMCS_GUEST_IDTR_BASE);
		out->limit = vmread(VMCS_GUEST_IDTR_LIMIT);
		return;
	default:
		out->sel = vmread(SEG_SELECTOR(s));
		out->base = vmread(SEG_BASE(s));
		out->limit = vmread(SEG_LIMIT(s));
		out->attr = ar_to_attr(vmread(SEG_AR(s)));
		return;
	}
}

void vmx_set_seg(struct vcpu *v, enum vm_seg s, const struct vm_segment *in)
{
	vmx_load(v);
	switch (s) {
	case SEG_GDTR:
		vmwrite(VMCS_GUEST_GDTR_BASE, in->base);
		vmwrite(VMCS_GUEST_GDTR_LIMIT, in->limit);
		return;
	case SEG_IDTR:
		vmwrite(VMCS_GUEST_IDTR_BASE, in->base);
		vmwrite(VMCS_GUEST_IDTR_LIMIT, in->limit);
		return;
	default:
		vmwrite(SEG_SELECTOR(s), in->sel);
		vmwrite(SEG_BASE(s), in->base);
		vmwrite(SEG_LIMIT(s), in->limit);
		vmwrite(SEG_AR(s), attr_to_ar(s, in->attr));
		return;
	}
}

/* ---- Control registers, EFER, PDPTEs ---- */

/* What the guest sees of CR0/CR4: owned bits from the read shadow, the
 * rest from the real register (SDM 26.3, "MOV from CR0/CR4"). */
static uint64_t guest_visible_cr(uint32_t real_field, uint32_t shadow_field, uint32_t mask)
{
	return (vmread(real_field) & ~(uint64_t)mask) | (vmread(shadow_field) & mask);
}

/*
 * With EPT, VM entry loads the four PAE PDPTEs from the VMCS, not from
 * guest memory, when the guest uses PAE paging (CR0.PG=1, CR4.PAE=1,
 * EFER.LMA=0; SDM 27.3.2.4), and the guest's own MOV to CR0/CR3/CR4
 * loads them only when it runs.  When lamina changes one of those
 * registers for the guest, it does what that MOV would have done: read
 * the PDPTEs at CR3[31:5] (Vol. 3A 5.4.1).  An unbacked CR3 gives
 * not-present PDPTEs.
 */
static void load_pdptes(struct vcpu *v)
{
	uint64_t cr0 = vmread(VMCS_GUEST_CR0), cr4 = vmread(VMCS_GUEST_CR4);
	uint64_t pdpte[4] = { 0, 0, 0, 0 };
	const uint64_t *src;

	if (!(cr0 & CR0_PG) || !(cr4 & CR4_PAE) || (vmread(VMCS_GUEST_IA32_EFER) & EFER_LMA))
		return;
	src = gpa_to_hva(v->mem, vmread(VMCS_GUEST_CR3) & 0xffffffe0u, sizeof(pdpte), false);
	if (src)
		memcpy(pdpte, src, sizeof(pdpte));
	for (unsigned i = 0; i < 4; i++)
		vmwrite(VMCS_GUEST_PDPTE0 + 2 * i, pdpte[i]);
}

/*
 * EFER.LMA is not the guest's to write: the processor sets it to
 * EFER.LME && CR0.PG when paging is turned on or off (Vol. 3A 10.8.5).
 * VM entry requires the "IA-32e mode guest" entry control to equal
 * EFER.LMA, and LMA to equal LME when CR0.PG=1 (SDM 27.3.1.1), so both
 * are updated together whenever lamina changes EFER or CR0 for the guest.
 */
static void update_lma(void)
{
	uint64_t efer = vmread(VMCS_GUEST_IA32_EFER);
	uint64_t entry = vmread(VMCS_VM_ENTRY_CONTROLS);
	bool lma = (efer & EFER_LME) && (vmread(VMCS_GUEST_CR0) & CR0_PG);

	efer = lma ? efer | EFER_LMA : efer & ~EFER_LMA;
	entry = lma ? entry | VM_ENTRY_IA32E_MODE_GUEST : entry & ~VM_ENTRY_IA32E_MODE_GUEST;
	vmwrite(VMCS_GUEST_IA32_EFER, efer);
	vmwrite(VMCS_VM_ENTRY_CONTROLS, entry);
}

uint64_t vmx_get_reg(struct vcpu *v, enum vm_reg r)
{
	struct vmx_vcpu *vx = vmx(v);

	vmx_load(v);
	switch (r) {
	case VM_REG_CR0:
		return guest_visible_cr(VMCS_GUEST_CR0, VMCS_CR0_READ_SHADOW, vx->cr0_mask);
	case VM_REG_CR2:
		return vx->cr2;
	case VM_REG_CR3:
		return vmread(VMCS_GUEST_CR3);
	case VM_REG_CR4:
		return guest_visible_cr(VMCS_GUEST_CR4, VMCS_CR4_READ_SHADOW, vx->cr4_mask);
	case VM_REG_EFER:
		return vmread(VMCS_GUEST_IA32_EFER);
	case VM_REG_DR7:
		return vmread(VMCS_GUEST_DR7);
	case VM_REG_PAT:
		return vmread(VMCS_GUEST_IA32_PAT);
	case VM_REG_SYSENTER_CS:
		return vmread(VMCS_GUEST_SYSENTER_CS);
	case VM_REG_SYSENTER_ESP:
		return vmread(VMCS_GUEST_SYSENTER_ESP);
	case VM_REG_SYSENTER_EIP:
		return vmread(VMCS_GUEST_SYSENTER_EIP);
	case VM_REG_STAR: case VM_REG_LSTAR: case VM_REG_CSTAR: case VM_REG_SFMASK:
	case VM_REG_KERNEL_GS_BASE:
		return vx->syscall_msr[r - VM_REG_STAR];
	default:
		panic_halt("VT-x: get_reg of unknown register %d", (int)r);
	}
}

/*
 * CR0/CR4: the read shadow gets the value the guest asked for, the real
 * register the same value with the bits VM entry requires forced (SDM
 * 27.3.1.1, A.7, A.8).  STAR, LSTAR, CSTAR, SFMASK and KERNEL_GS_BASE
 * have no VMCS fields (SDM 25.4.1); the monitor never executes SYSCALL,
 * SYSRET or SWAPGS, so the hardware MSRs can simply hold the guest's
 * values: run() writes them into the CPU when they changed or another
 * vCPU's are loaded.  core/ must refuse non-canonical LSTAR/CSTAR/
 * KERNEL_GS_BASE values (#GP in the guest) as the CPU would, since WRMSR
 * of one here would fault in the monitor.
 */
void vmx_set_reg(struct vcpu *v, enum vm_reg r, uint64_t val)
{
	struct vmx_vcpu *vx = vmx(v);

	vmx_load(v);
	switch (r) {
	case VM_REG_CR0:
		vmwrite(VMCS_CR0_READ_SHADOW, val);
		vmwrite(VMCS_GUEST_CR0, (val | vmx_caps.cr0_fixed0_guest) & vmx_caps.cr0_fixed1);
		update_lma();
		load_pdptes(v);
		return;
	case VM_REG_CR2:
		vx->cr2 = val;
		return;
	case VM_REG_CR3:
		vmwrite(VMCS_GUEST_CR3, val);
		load_pdptes(v);
		return;
	case VM_REG_CR4:
		vmwrite(VMCS_CR4_READ_SHADOW, val);
		vmwrite(VMCS_GUEST_CR4, (val | vmx_caps.cr4_fixed0) & vmx_caps.cr4_fixed1);
		load_pdptes(v);
		return;
	case VM_REG_EFER:
		vmwrite(VMCS_GUEST_IA32_EFER, val);
		update_lma();
		load_pdptes(v);
		return;
	case VM_REG_DR7:
		vmwrite(VMCS_GUEST_DR7, val);
		return;
	case VM_REG_PAT:
		vmwrite(VMCS_GUEST_IA32_PAT, val);
		return;
	case VM_REG_SYSENTER_CS:
		vmwrite(VMCS_GUEST_SYSENTER_CS, val);
		return;
	case VM_REG_SYSENTER_ESP:
		vmwrite(VMCS_GUEST_SYSENTER_ESP, val);
		return;
	case VM_REG_SYSENTER_EIP:
		vmwrite(VMCS_GUEST_SYSENTER_EIP, val);
		return;
	case VM_REG_STAR: case VM_REG_LSTAR: case VM_REG_CSTAR: case VM_REG_SFMASK:
	case VM_REG_KERNEL_GS_BASE:
		vx->syscall_msr[r - VM_REG_STAR] = val;
		vx->syscall_msr_dirty = true;
		return;
	default:
		panic_halt("VT-x: set_reg of unknown register %d", (int)r);
	}
}

/*
 * The x86 power-on state (SDM Vol. 3A 10.1.1, Table 10-1) as VMX guest
 * state (SDM 25.4): real mode at F000:FFF0 with CS.base FFFF0000, data
 * segments at 0 with 64 KiB limits, "accessed" read/write data (type 3)
 * and execute/read code (type 11), both required of usable segments by
 * 27.3.1.2; LDTR present with type 2 and TR a busy TSS (type 11), the
 * only types entry accepts for them.  With unrestricted guest, CR0.PE=0
 * and PG=0 pass the entry checks (27.3.1.1).  Activity state active, no
 * interrupt blocking, no VMCS shadowing (link pointer all ones, 27.3.1.5).
 */
void vmx_guest_reset_state(struct vcpu *v)
{
	static const struct vm_segment data = { 0, 0x93, 0xffff, 0 };
	struct vm_segment cs = { 0xf000, 0x9b, 0xffff, 0xffff0000ull };
	struct vm_segment ldtr = { 0, 0x82, 0xffff, 0 };
	struct vm_segment tr = { 0, 0x8b, 0xffff, 0 };
	struct vm_segment table = { 0, 0, 0xffff, 0 };

	memset(v->gpr, 0, sizeof(v->gpr));
	v->rip = 0xfff0;
	v->rflags = RFLAGS_FIXED;
	vmwrite(VMCS_GUEST_IA32_EFER, 0);
	vmwrite(VMCS_GUEST_CR3, 0);
	vmx_set_reg(v, VM_REG_CR0, CR0_RESET_VALUE);
	vmx_set_reg(v, VM_REG_CR4, 0);
	for (enum vm_seg s = SEG_ES; s <= SEG_GS; s++)
		vmx_set_seg(v, s, s == SEG_CS ? &cs : &data);
	vmx_set_seg(v, SEG_LDTR, &ldtr);
	vmx_set_seg(v, SEG_TR, &tr);
	vmx_set_seg(v, SEG_GDTR, &table);
	vmx_set_seg(v, SEG_IDTR, &table);
	vmx_set_reg(v, VM_REG_DR7, DR7_RESET_VALUE);
	vmx_set_reg(v, VM_REG_PAT, PAT_RESET_VALUE);
	vmx_set_reg(v, VM_REG_SYSENTER_CS, 0);
	vmx_set_reg(v, VM_REG_SYSENTER_ESP, 0);
	vmx_set_reg(v, VM_REG_SYSENTER_EIP, 0);
	vmwrite(VMCS_GUEST_IA32_DEBUGCTL, 0);
	vmwrite(VMCS_GUEST_RIP, v->rip);
	vmwrite(VMCS_GUEST_RSP, 0);
	vmwrite(VMCS_GUEST_RFLAGS, v->rflags);
	vmwrite(VMCS_GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmwrite(VMCS_GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	vmwrite(VMCS_GUEST_INTERRUPTIBILITY_INFO, 0);
	vmwrite(VMCS_LINK_POINTER, ~0ull);
}
