/*
 * Guest-physical accesses the nested tables refuse (NPF, APM Vol. 2
 * 15.25.6; EPT violation, SDM Vol. 3C 29.3.3.2).
 *  - A write to ROM: ignored, as a real ROM ignores it; the instruction is
 *    skipped, except MOVS/STOS, which run to the end with the ROM writes
 *    dropped (tests/hostile/phys_sweep.asm).
 *  - An access to an unmapped address (no RAM, no device there): behaves
 *    like an empty bus — the plain MOV loads lamina can emulate read
 *    all-ones, MOV stores are dropped, and MOVS/STOS/LODS (the BIOS and
 *    Linux's real-mode setup save and clear a VGA text screen that is not
 *    there) move all-ones or nothing (core/string_insn.c).  Anything else (executing there, a
 *    read-modify-write) stops the guest with a report.
 * Each page is logged once.
 */
#include "guest.h"
#include "kprintf.h"
#include "lib.h"
#include "string_insn.h"

#define LOGGED_PAGES 64

static bool log_once(uint64_t gpa)
{
	static uint64_t pages[LOGGED_PAGES];
	static unsigned n;
	uint64_t page = gpa & ~(PAGE_SIZE - 1);

	for (unsigned i = 0; i < n; i++)
		if (pages[i] == page)
			return false;
	if (n < LOGGED_PAGES)
		pages[n++] = page;
	return true;
}

/* Write all-ones of `size` bytes into GPR n, honouring AH..BH (n 4-7
 * without REX in byte form) and the 32-bit zero-extension rule. */
static void load_ones(struct vcpu *v, unsigned n, unsigned size, bool has_rex)
{
	if (size == 1 && !has_rex && n >= 4 && n < 8) {
		v->gpr[n - 4] |= 0xff00;
		return;
	}
	if (size >= 4)
		v->gpr[n] = size == 8 ? ~0ull : 0xffffffffull;
	else
		v->gpr[n] |= size == 2 ? 0xffff : 0xff;
}

/* Emulate a MOV that touched an unmapped address; -1 if it is not one. */
static int emulate_unmapped_mov(struct vcpu *v, const struct insn *insn)
{
	enum insn_mode mode = vcpu_insn_mode(v);
	uint8_t op = insn->opcode[0];
	bool rex = insn->rex != 0;

	if (insn->opcode_len == 1) {
		switch (op) {
		case 0x8a: case 0x8b: /* MOV r, r/m */
			load_ones(v, insn->reg, insn_operand_size(insn, mode, op == 0x8a), rex);
			return 0;
		case 0xa0: case 0xa1: /* MOV AL/rAX, moffs */
			load_ones(v, GPR_RAX, insn_operand_size(insn, mode, op == 0xa0), rex);
			return 0;
		case 0x88: case 0x89: case 0xa2: case 0xa3: case 0xc6: case 0xc7:
			return 0; /* stores: dropped */
		default:
			return -1;
		}
	}
	if (insn->opcode_len == 2 && insn->opcode[0] == 0x0f &&
	    (insn->opcode[1] == 0xb6 || insn->opcode[1] == 0xb7)) { /* MOVZX */
		unsigned dst = insn_operand_size(insn, mode, false);
		uint64_t val = insn->opcode[1] == 0xb6 ? 0xff : 0xffff;

		v->gpr[insn->reg] = dst == 2 ? (v->gpr[insn->reg] & ~0xffffull) | val : val;
		return 0;
	}
	return -1;
}

enum exit_action exit_paging(struct vcpu *v, const struct vm_exit *e)
{
	const struct gpa_region *r = gpa_map_find(v->mem, e->u.paging.gpa);
	const char *kind = e->u.paging.fetch ? "executed" : e->u.paging.write ? "wrote" : "read";
	struct insn insn;

	if (r && e->u.paging.write && !(r->perm & GPA_W)) {
		if (log_once(e->u.paging.gpa))
			kprintf("lamina: guest wrote to ROM '%s' at gpa %#llx (rip %#llx): ignored "
				"(logged once per page)\n", r->name,
				(unsigned long long)e->u.paging.gpa, (unsigned long long)e->rip);
		/* A REP STOS/MOVS still runs to the end, only its ROM writes
		 * dropped: skipping it would leave rCX and rDI as they were. */
		if (!e->u.paging.fetch && vcpu_fetch_insn(v, &insn) == 0 &&
		    string_move_emulate(v, &insn) == EXIT_RESUME)
			return EXIT_RESUME;
		return vcpu_skip_insn(v, e);
	}
	if (!r && !e->u.paging.fetch && vcpu_fetch_insn(v, &insn) == 0 &&
	    emulate_unmapped_mov(v, &insn) == 0) {
		if (log_once(e->u.paging.gpa))
			kprintf("lamina: guest %s unmapped gpa %#llx (rip %#llx): reads are all-ones, "
				"writes dropped (logged once per page)\n", kind,
				(unsigned long long)e->u.paging.gpa, (unsigned long long)e->rip);
		vcpu_advance_rip(v, insn.len);
		return EXIT_RESUME;
	}
	if (!r && !e->u.paging.fetch && vcpu_fetch_insn(v, &insn) == 0 &&
	    string_move_emulate(v, &insn) == EXIT_RESUME) {
		if (log_once(e->u.paging.gpa))
			kprintf("lamina: guest string move %s unmapped gpa %#llx (rip %#llx): reads "
				"are all-ones, writes dropped (logged once per page)\n", kind,
				(unsigned long long)e->u.paging.gpa, (unsigned long long)e->rip);
		return EXIT_RESUME;
	}
	kprintf("lamina: guest %s gpa %#llx (%s) at rip %#llx and lamina cannot emulate it\n",
		kind, (unsigned long long)e->u.paging.gpa, r ? r->name : "unmapped",
		(unsigned long long)e->rip);
	vcpu_report(v);
	guest_stop(-1, "unemulated access to guest-physical %#llx",
		   (unsigned long long)e->u.paging.gpa);
	return EXIT_STOP;
}
