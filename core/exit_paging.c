/*
 * Guest-physical accesses the nested tables refuse (NPF, APM Vol. 2
 * 15.25.6; EPT violation, SDM Vol. 3C 29.3.3.2).
 *  - A write to ROM: ignored, as a real ROM ignores it.  MOVS/STOS run to
 *    the end with the ROM writes dropped (tests/hostile/phys_sweep.asm); the
 *    data instructions of core/mem_alu.c (MOV, MOVZX/MOVSX, the ALU group,
 *    TEST, INC/DEC, NOT/NEG, XCHG, XADD, CMPXCHG, BT*) run on the ROM's
 *    bytes, so a read-modify-write still sets its flags and registers; any
 *    other instruction is skipped.
 *  - An access to an unmapped address (no RAM, no device there): behaves
 *    like an empty bus, reads all-ones and drops writes, for the same data
 *    instructions and for MOVS/STOS/LODS (the BIOS and Linux's real-mode
 *    setup save and clear a VGA text screen that is not there;
 *    core/string_insn.c).  Anything else (executing there, SHL, PUSH/POP,
 *    a segment load...) stops the guest with a report.
 * A memory operand must lie wholly in the hole or the ROM region.  Each
 * page is logged once.
 */
#include "guest.h"
#include "kprintf.h"
#include "lib.h"
#include "mem_alu.h"
#include "string_insn.h"

#define LOGGED_PAGES 64

static bool log_once(uint64_t gpa)
{
	static uint64_t pages[LOGGED_PAGES];
	static unsigned n;
	static bool full;
	uint64_t page = gpa & ~(PAGE_SIZE - 1);

	for (unsigned i = 0; i < n; i++)
		if (pages[i] == page)
			return false;
	if (n < LOGGED_PAGES) {
		pages[n++] = page;
		return true;
	}
	if (!full) { /* a guest sweeping the address space must not flood the console */
		full = true;
		kprintf("lamina: guest touched more than %u pages without RAM or ROM writes: "
			"no more are logged\n", LOGGED_PAGES);
	}
	return false;
}

/* The memory operand as the bus returns it: all-ones from a hole (nothing
 * drives the bus), the ROM's bytes from ROM.  false if the operand runs out
 * of the hole or the ROM region (part of it may be RAM: not emulated). */
static bool read_operand(struct vcpu *v, const struct gpa_region *r, uint64_t gpa,
			 unsigned size, uint64_t *val)
{
	const void *p;

	if (!r) {
		*val = ~0ull;
		return !gpa_map_find(v->mem, gpa + size - 1);
	}
	p = gpa_to_hva(v->mem, gpa, size, false);
	if (!p)
		return false;
	*val = 0;
	memcpy(val, p, size);
	return true;
}

/* Carry out a data instruction (core/mem_alu.c) whose memory operand at
 * gpa is a hole or ROM: registers and RFLAGS as the CPU leaves them, the
 * memory write (if any) dropped, as the bus drops it.  A LOCK prefix the
 * instruction does not allow raises #UD (SDM Vol. 2 "LOCK").  -1 if
 * mem_alu does not cover the instruction. */
static int emulate_data_insn(struct vcpu *v, const struct gpa_region *r, uint64_t gpa,
			     const struct insn *insn)
{
	struct mem_alu_op op;
	uint64_t val;
	int ret = mem_alu_decode(insn, vcpu_insn_mode(v), &op);

	if (ret == MEM_ALU_UD) {
		vcpu_inject_exception(v, VEC_UD, false, 0);
		return 0;
	}
	if (ret != MEM_ALU_OK || !read_operand(v, r, gpa, op.size, &val))
		return -1;
	mem_alu_exec(&op, v->gpr, &v->rflags, &val);
	vcpu_advance_rip(v, insn->len);
	return 0;
}

enum exit_action exit_paging(struct vcpu *v, const struct vm_exit *e)
{
	uint64_t gpa = e->u.paging.gpa;
	const struct gpa_region *r = gpa_map_find(v->mem, gpa);
	const char *kind = e->u.paging.fetch ? "executed" : e->u.paging.write ? "wrote" : "read";
	struct insn insn;

	if (r && e->u.paging.write && !(r->perm & GPA_W)) {
		if (log_once(gpa))
			kprintf("lamina: guest wrote to ROM '%s' at gpa %#llx (rip %#llx): ignored "
				"(logged once per page)\n", r->name, (unsigned long long)gpa,
				(unsigned long long)e->rip);
		/* A REP STOS/MOVS still runs to the end, only its ROM writes
		 * dropped: skipping it would leave rCX and rDI as they were;
		 * a read-modify-write still sets its flags and registers. */
		if (!e->u.paging.fetch && vcpu_fetch_insn(v, &insn) == 0 &&
		    (string_move_emulate(v, &insn) == EXIT_RESUME ||
		     emulate_data_insn(v, r, gpa, &insn) == 0))
			return EXIT_RESUME;
		return vcpu_skip_insn(v, e);
	}
	if (!r && !e->u.paging.fetch && vcpu_fetch_insn(v, &insn) == 0) {
		if (emulate_data_insn(v, r, gpa, &insn) == 0) {
			if (log_once(gpa))
				kprintf("lamina: guest %s unmapped gpa %#llx (rip %#llx): reads are "
					"all-ones, writes dropped (logged once per page)\n", kind,
					(unsigned long long)gpa, (unsigned long long)e->rip);
			return EXIT_RESUME;
		}
		if (string_move_emulate(v, &insn) == EXIT_RESUME) {
			if (log_once(gpa))
				kprintf("lamina: guest string move %s unmapped gpa %#llx (rip %#llx): "
					"reads are all-ones, writes dropped (logged once per page)\n",
					kind, (unsigned long long)gpa, (unsigned long long)e->rip);
			return EXIT_RESUME;
		}
	}
	kprintf("lamina: guest %s gpa %#llx (%s) at rip %#llx and lamina cannot emulate it\n",
		kind, (unsigned long long)gpa, r ? r->name : "unmapped",
		(unsigned long long)e->rip);
	vcpu_report(v);
	guest_stop(-1, "unemulated access to guest-physical %#llx", (unsigned long long)gpa);
	return EXIT_STOP;
}
