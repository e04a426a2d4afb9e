/*
 * Control-register exits.  With nested paging the guest owns CR0/CR3/CR4;
 * what still exits are the bits lamina must keep (VT-x: CR0.NE and
 * CR4.VMXE through the guest/host masks).  Values are checked as the CPU
 * would check them (SDM Vol. 3A 2.5, Vol. 2A "MOV—Move to/from Control
 * Registers": #GP for reserved bits, PG without PE, NW without CD).
 */
#include "guest.h"
#include "x86.h"

#define CR4_KNOWN_BITS 0x3f77fffull /* SDM Vol. 3A Figure 2-7, through CR4.PKS */

static int cr_write(struct vcpu *v, unsigned cr, uint64_t val)
{
	switch (cr) {
	case 0:
		if ((val >> 32) || ((val & CR0_PG) && !(val & CR0_PE)) ||
		    ((val & CR0_NW) && !(val & CR0_CD)))
			return -1;
		v->ops->set_reg(v, VM_REG_CR0, val | CR0_ET);
		return 0;
	case 3:
		v->ops->set_reg(v, VM_REG_CR3, val);
		return 0;
	case 4:
		if ((val & ~CR4_KNOWN_BITS) || (val & (CR4_VMXE | CR4_SMXE)))
			return -1; /* VMX and SMX are hidden from the guest (CPUID.1:ECX) */
		v->ops->set_reg(v, VM_REG_CR4, val);
		return 0;
	case 8:
		return 0; /* task priority: no local APIC, nothing to prioritise */
	default:
		return -1;
	}
}

static uint64_t cr_read(struct vcpu *v, unsigned cr)
{
	switch (cr) {
	case 0: return v->ops->get_reg(v, VM_REG_CR0);
	case 3: return v->ops->get_reg(v, VM_REG_CR3);
	case 4: return v->ops->get_reg(v, VM_REG_CR4);
	default: return 0;
	}
}

enum exit_action exit_cr_access(struct vcpu *v, const struct vm_exit *e)
{
	unsigned gpr = e->u.cr.gpr;
	uint64_t cr0 = v->ops->get_reg(v, VM_REG_CR0);
	int bad = 0;

	if (gpr == 0xff) { /* no decode assist: MOV CR's r/m names the GPR */
		struct insn insn;

		if (vcpu_fetch_insn(v, &insn)) {
			guest_stop(-1, "cannot decode a CR access at rip %#llx",
				   (unsigned long long)v->rip);
			return EXIT_STOP;
		}
		gpr = insn.rm & 15;
	}
	switch (e->u.cr.type) {
	case CR_MOV_TO:
		bad = cr_write(v, e->u.cr.cr, v->gpr[gpr]);
		break;
	case CR_MOV_FROM:
		v->gpr[gpr] = cr_read(v, e->u.cr.cr);
		break;
	case CR_CLTS:
		v->ops->set_reg(v, VM_REG_CR0, cr0 & ~CR0_TS);
		break;
	case CR_LMSW: /* loads PE, MP, EM, TS; can set PE but never clear it */
		v->ops->set_reg(v, VM_REG_CR0,
				(cr0 & ~0xeull) | (e->u.cr.lmsw_src & 0xf) | (cr0 & CR0_PE));
		break;
	}
	if (bad) {
		vcpu_inject_exception(v, VEC_GP, true, 0);
		return EXIT_RESUME;
	}
	return vcpu_skip_insn(v, e);
}
