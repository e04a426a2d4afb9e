/*
 * The processor state a loader hands a 32-bit kernel: flat protected mode,
 * paging off.  Shared by flat test guests, Linux and Multiboot kernels.
 */
#include "guest.h"
#include "x86.h"

/*
 * Flat 32-bit protected mode as loaders hand it over (Linux's 32-bit boot
 * protocol, Multiboot 3.2 "Machine state"): a GDT lamina writes at
 * gdt_gpa whose entry code_index is a 4 GiB execute/read code segment and
 * code_index + 1 a 4 GiB read/write data segment (SDM Vol. 3A 3.4.5), CS
 * and the data segment registers loaded from them, CR0.PE set, paging off.
 */
void guest_enter_flat32(struct guest *g, uint64_t gdt_gpa, unsigned code_index)
{
	struct vcpu *v = &g->vcpu;
	uint64_t *gdt = (uint64_t *)(g->ram + gdt_gpa);
	const struct vm_segment gdtr = { 0, 0, (uint32_t)((code_index + 2) * 8 - 1), gdt_gpa };
	const struct vm_segment cs = { (uint16_t)(code_index * 8), 0xc9b, 0xffffffff, 0 };
	const struct vm_segment ds = { (uint16_t)((code_index + 1) * 8), 0xc93, 0xffffffff, 0 };

	for (unsigned i = 0; i < code_index; i++)
		gdt[i] = 0;
	gdt[code_index] = 0x00cf9b000000ffffull;     /* code: base 0, 4 GiB, 32-bit, accessed */
	gdt[code_index + 1] = 0x00cf93000000ffffull; /* data: base 0, 4 GiB, writable, accessed */
	v->ops->set_seg(v, SEG_GDTR, &gdtr);
	v->ops->set_seg(v, SEG_CS, &cs);
	for (enum vm_seg s = SEG_ES; s <= SEG_GS; s++)
		if (s != SEG_CS)
			v->ops->set_seg(v, s, &ds);
	v->ops->set_reg(v, VM_REG_CR0, CR0_PE | CR0_ET);
}
