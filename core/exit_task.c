/*
 * Hardware task switches (SDM Vol. 3A 8.3 "Task Switching").  VT-x exits
 * on every guest task switch (SDM Vol. 3C 26.1.2), so the monitor performs
 * it: save the current state into the old 32-bit TSS, load the new one,
 * move the busy bits, set CR0.TS.  FreeDOS's EMM386 enters its protected-
 * mode monitor this way.  AMD-V runs task switches in hardware.
 * Not emulated (the guest is stopped with a report): 16-bit TSSs and task
 * gates reached through the IDT.
 */
#include "guest.h"
#include "guest_walk.h"
#include "kprintf.h"
#include "lib.h"
#include "x86.h"

#define TSS32_AVAILABLE 0x9
#define TSS32_BUSY 0xb
#define DESC_TYPE_BUSY_BIT BIT(41)
#define TSS32_MIN_LIMIT 0x67
#define TSS_PREV 0x00
#define TSS_CR3 0x1c
#define TSS_EIP 0x20
#define TSS_EFLAGS 0x24
#define TSS_GPRS 0x28    /* EAX ECX EDX EBX ESP EBP ESI EDI */
#define TSS_SEGS 0x48    /* ES CS SS DS FS GS, 4 bytes each */
#define TSS_LDT 0x60
#define RFLAGS_NT BIT(14)

/* Read or write guest memory at a linear address, page by page, through
 * the guest's own page tables (supervisor access, as the CPU does for
 * TSS and descriptor-table accesses). */
static int linear_access(struct vcpu *v, uint64_t lin, void *buf, size_t len, bool write)
{
	struct guest_paging pg;
	struct guest_walk_result res;
	uint8_t *b = buf;

	vcpu_paging_state(v, &pg);
	pg.cpl = 0;
	while (len) {
		size_t chunk = PAGE_SIZE - (lin & (PAGE_SIZE - 1));
		uint8_t *p;

		if (chunk > len)
			chunk = len;
		guest_walk(&pg, guest_read_phys, v->mem, lin, write ? GW_WRITE : GW_READ, &res);
		if (res.fault || !(p = gpa_to_hva(v->mem, res.gpa, chunk, write)))
			return -1;
		if (write)
			memcpy(p, b, chunk);
		else
			memcpy(b, p, chunk);
		lin += chunk;
		b += chunk;
		len -= chunk;
	}
	return 0;
}

/* The 8-byte descriptor for sel in the GDT or (TI=1) the LDT. */
static int read_desc(struct vcpu *v, uint16_t sel, uint64_t *desc, uint64_t *where)
{
	struct vm_segment table;

	v->ops->get_seg(v, (sel & 4) ? SEG_LDTR : SEG_GDTR, &table);
	if ((sel | 7u) > table.limit)
		return -1;
	*where = table.base + (sel & ~7u);
	return linear_access(v, *where, desc, 8, false);
}

/* A descriptor in the struct vm_segment form (VMCB attribute layout:
 * type/S/DPL/P from bits 40-47, AVL/L/D/G from bits 52-55). */
static struct vm_segment desc_to_seg(uint16_t sel, uint64_t d)
{
	uint32_t limit = (uint32_t)((d & 0xffff) | ((d >> 32) & 0xf0000));

	if (d & BIT(55))
		limit = (limit << 12) | 0xfff;
	return (struct vm_segment){
		.sel = sel,
		.attr = (uint16_t)(((d >> 40) & 0xff) | (((d >> 52) & 0xf) << 8)),
		.limit = limit,
		.base = ((d >> 16) & 0xffffff) | (((d >> 56) & 0xff) << 24),
	};
}

static int load_seg(struct vcpu *v, enum vm_seg s, uint16_t sel, bool vm86)
{
	struct vm_segment seg = { sel, 0, 0, 0 };
	uint64_t d, where;

	if (vm86) /* virtual-8086 segments: base = selector * 16, 64 KiB, DPL 3 */
		seg = (struct vm_segment){ sel, 0xf3, 0xffff, (uint64_t)sel << 4 };
	else if (sel & ~3u) {
		if (read_desc(v, sel, &d, &where) || !(d & BIT(47)))
			return -1;
		seg = desc_to_seg(sel, d);
	}
	v->ops->set_seg(v, s, &seg);
	return 0;
}

static int set_busy(struct vcpu *v, uint16_t sel, bool busy)
{
	uint64_t d, where;

	if (read_desc(v, sel, &d, &where))
		return -1;
	d = busy ? d | DESC_TYPE_BUSY_BIT : d & ~DESC_TYPE_BUSY_BIT;
	return linear_access(v, where, &d, 8, true);
}

static enum exit_action task_fail(struct vcpu *v, const char *why)
{
	kprintf("lamina: guest task switch: %s\n", why);
	vcpu_report(v);
	guest_stop(-1, "task switch not emulated: %s", why);
	return EXIT_STOP;
}

enum exit_action exit_task_switch(struct vcpu *v, const struct vm_exit *e)
{
	static const enum vm_seg segs[6] = { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS };
	uint32_t old[0x68 / 4], new[0x68 / 4];
	uint16_t sel = e->u.task.sel;
	struct vm_segment tr, seg;
	uint64_t d, where, old_rflags = v->rflags;
	unsigned type;

	if (e->u.task.source == TASK_IDT_GATE)
		return task_fail(v, "a task gate in the IDT");
	if ((sel & 4) || read_desc(v, sel, &d, &where))
		return task_fail(v, "the new TSS selector is outside the GDT");
	type = (d >> 40) & 0xf;
	if ((type != TSS32_AVAILABLE && type != TSS32_BUSY) || desc_to_seg(sel, d).limit < TSS32_MIN_LIMIT)
		return task_fail(v, "the new task has no 32-bit TSS");

	/* 1. The outgoing task's state goes into its TSS (SDM 8.3, step 8). */
	v->ops->get_seg(v, SEG_TR, &tr);
	if (linear_access(v, tr.base, old, sizeof(old), false))
		return task_fail(v, "the current TSS is not in guest RAM");
	old[TSS_EIP / 4] = (uint32_t)(v->rip + e->inst_len);
	old[TSS_EFLAGS / 4] = (uint32_t)(e->u.task.source == TASK_IRET ? old_rflags & ~RFLAGS_NT
									: old_rflags);
	for (unsigned i = 0; i < 8; i++)
		old[TSS_GPRS / 4 + i] = (uint32_t)v->gpr[i];
	for (unsigned i = 0; i < 6; i++) {
		v->ops->get_seg(v, segs[i], &seg);
		old[TSS_SEGS / 4 + i] = seg.sel;
	}
	if (linear_access(v, tr.base, old, sizeof(old), true))
		return task_fail(v, "the current TSS is not writable guest RAM");
	if (e->u.task.source != TASK_CALL && set_busy(v, tr.sel, false))
		return task_fail(v, "cannot clear the old TSS's busy bit");

	/* 2. The incoming task (steps 9-12). */
	seg = desc_to_seg(sel, d);
	if (linear_access(v, seg.base, new, sizeof(new), false))
		return task_fail(v, "the new TSS is not in guest RAM");
	if (e->u.task.source == TASK_CALL) {
		new[TSS_PREV / 4] = tr.sel;
		new[TSS_EFLAGS / 4] |= RFLAGS_NT;
		if (linear_access(v, seg.base, new, 4, true))
			return task_fail(v, "the new TSS is not writable guest RAM");
	}
	if (e->u.task.source != TASK_IRET && set_busy(v, sel, true))
		return task_fail(v, "cannot set the new TSS's busy bit");
	seg.attr = (uint16_t)((seg.attr & ~0xf) | TSS32_BUSY);
	v->ops->set_seg(v, SEG_TR, &seg);
	if (v->ops->get_reg(v, VM_REG_CR0) & CR0_PG)
		v->ops->set_reg(v, VM_REG_CR3, new[TSS_CR3 / 4]);
	v->rip = new[TSS_EIP / 4];
	v->rflags = new[TSS_EFLAGS / 4] | RFLAGS_FIXED;
	for (unsigned i = 0; i < 8; i++)
		v->gpr[i] = new[TSS_GPRS / 4 + i];
	if (load_seg(v, SEG_LDTR, (uint16_t)new[TSS_LDT / 4], false))
		return task_fail(v, "the new task's LDT descriptor is not present");
	for (unsigned i = 0; i < 6; i++)
		if (load_seg(v, segs[i], (uint16_t)new[TSS_SEGS / 4 + i], v->rflags & RFLAGS_VM))
			return task_fail(v, "a segment of the new task is not present");
	v->ops->set_reg(v, VM_REG_CR0, v->ops->get_reg(v, VM_REG_CR0) | CR0_TS);
	return EXIT_RESUME;
}
