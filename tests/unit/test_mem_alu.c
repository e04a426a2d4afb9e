/*
 * The memory-operand emulator (core/mem_alu.c) against the host CPU: each
 * instruction form is encoded here with its memory operand at [rbx],
 * decoded by core/insn_decode.c and carried out by mem_alu_exec(), and the
 * same bytes run on the host (copied into an executable page and called
 * from inline assembly that sets RFLAGS with POPF and reads it back with
 * PUSHF) with the memory operand in a static buffer.  Registers, RFLAGS
 * (without the flags the SDM calls undefined) and memory must agree for
 * every operand value and incoming RFLAGS.  Then the cases the host cannot
 * show: operand sizes in 16/32-bit code, LOCK #UD, unknown instructions.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "mem_alu.h"

#define RFLAGS_BASE 0x202ull /* IF and the always-one bit 1, as user mode sees them */
#define BUF_QWORDS 8
#define BASE_OFF 32          /* [rbx] is buf + 32: BT offsets reach 32 bytes either way */

/* The registers the harness binds; rbx holds the memory operand's address. */
static const unsigned used_regs[] = { GPR_RAX, GPR_RCX, GPR_RDX, GPR_RBX, GPR_RSI, GPR_RDI,
				      GPR_R8, GPR_R9 };

static uint8_t *code_page;
/* The memory the host's instruction sees (fixed: A0-A3 embed its address). */
static uint64_t mem_area[BUF_QWORDS];
static unsigned long host_runs;
static unsigned long logic_af_differs, bt_undefined_differs;

struct form {
	uint8_t bytes[16];
	unsigned len;
	unsigned reg;   /* the register operand's number in gpr[] (REX.R included) */
	bool byte_reg;  /* a byte register operand */
	bool high_byte; /* ... that is AH, CH, DH or BH (4-7 without REX) */
	bool bt_reg;    /* BT* Ev,Gv: the register is a signed bit offset */
	bool acc;       /* CMPXCHG: also run with the accumulator equal to memory */
	uint64_t undefined; /* RFLAGS bits the SDM leaves undefined */
	bool undefined_af_logic; /* AF of a logical op: count host disagreements */
};

struct machine {
	uint64_t gpr[GPR_COUNT];
	uint64_t rflags;
	uint64_t buf[BUF_QWORDS];
};

/* Run the form's bytes on this CPU with m's registers, flags and memory. */
static void host_run(const struct form *f, struct machine *m)
{
	uint64_t rax = m->gpr[GPR_RAX], rcx = m->gpr[GPR_RCX], rdx = m->gpr[GPR_RDX];
	uint64_t rsi = m->gpr[GPR_RSI], rdi = m->gpr[GPR_RDI], fl = m->rflags;
	uint64_t rbx = (uint64_t)(uintptr_t)((uint8_t *)mem_area + BASE_OFF);

	memcpy(mem_area, m->buf, sizeof(mem_area));
	memcpy(code_page, f->bytes, f->len);
	code_page[f->len] = 0xc3; /* RET */
	/* Set after the memcpy calls, which may clobber R8 and R9. */
	register uint64_t r8 __asm__("r8") = m->gpr[GPR_R8];
	register uint64_t r9 __asm__("r9") = m->gpr[GPR_R9];
	/* Step over the red zone: PUSH/CALL would overwrite it. */
	__asm__ __volatile__("lea -128(%%rsp), %%rsp\n\t"
			     "push %[fl]\n\t"
			     "popfq\n\t"
			     "call *%[fn]\n\t"
			     "pushfq\n\t"
			     "pop %[fl]\n\t"
			     "lea 128(%%rsp), %%rsp"
			     : "+a"(rax), "+c"(rcx), "+d"(rdx), "+b"(rbx), "+S"(rsi), "+D"(rdi),
			       "+r"(r8), "+r"(r9), [fl] "+r"(fl)
			     : [fn] "r"(code_page)
			     : "memory", "cc");
	m->gpr[GPR_RAX] = rax;
	m->gpr[GPR_RCX] = rcx;
	m->gpr[GPR_RDX] = rdx;
	m->gpr[GPR_RBX] = rbx;
	m->gpr[GPR_RSI] = rsi;
	m->gpr[GPR_RDI] = rdi;
	m->gpr[GPR_R8] = r8;
	m->gpr[GPR_R9] = r9;
	m->rflags = fl;
	memcpy(m->buf, mem_area, sizeof(mem_area));
	host_runs++;
}

/* The same with the emulator: the memory operand is the operand-size unit
 * at [rbx] (BT* Ev,Gv: the unit holding the bit, SDM Vol. 2 "BT"). */
static void emu_run(const struct form *f, struct machine *m)
{
	struct insn insn;
	struct mem_alu_op op;
	uint8_t *unit = (uint8_t *)m->buf + BASE_OFF;
	uint64_t val = 0;

	assert_int_equal(insn_decode(f->bytes, f->len, INSN_MODE_64, &insn), 0);
	assert_int_equal(insn.len, f->len);
	assert_int_equal(mem_alu_decode(&insn, INSN_MODE_64, &op), MEM_ALU_OK);
	if (f->bt_reg) {
		uint64_t sign = 1ull << (op.size * 8 - 1);
		int64_t off = (int64_t)(((m->gpr[f->reg] & (sign | (sign - 1))) ^ sign) - sign);
		int64_t units = off >= 0 ? off / (op.size * 8) : -((-off + op.size * 8 - 1) / (op.size * 8));

		unit += units * (int64_t)op.size;
	}
	memcpy(&val, unit, op.size);
	if (mem_alu_exec(&op, m->gpr, &m->rflags, &val))
		memcpy(unit, &val, op.size);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

#define N_RANDOM 4
static uint64_t values[15 + N_RANDOM] = {
	0, 1, 0x0f, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000,
	0xffffffff, 0x7fffffffffffffff, 0x8000000000000000, ~0ull,
};
/* Bit offsets for BT* Ev,Gv: in and out of the operand, both signs. */
static const int64_t bit_offsets[] = { 0, 1, 7, 8, 15, 16, 31, 32, 63, 64, 127, 255,
				       -1, -8, -64, -200 };
static const uint64_t logic_undefined = EFLAGS_AF; /* AND OR XOR TEST */
static const uint64_t bt_undefined = EFLAGS_OF | EFLAGS_SF | EFLAGS_AF | EFLAGS_PF;
static const uint64_t flags_in[] = { 0, EFLAGS_CF, EFLAGS_STATUS };

static void print_form(const struct form *f)
{
	for (unsigned i = 0; i < f->len; i++)
		printf("%02x ", f->bytes[i]);
}

/* One run on the host and in the emulator from the same state. */
static void compare(const struct form *f, uint64_t mem, uint64_t reg, uint64_t fl, bool acc_eq)
{
	struct machine h, e;
	uint64_t mask = ~f->undefined;

	memset(&h, 0, sizeof(h));
	for (unsigned i = 0; i < ARRAY_SIZE(used_regs); i++)
		h.gpr[used_regs[i]] = 0x0123456789abcdefull * (i + 1);
	if (f->high_byte)
		h.gpr[f->reg - 4] = (h.gpr[f->reg - 4] & ~0xff00ull) | ((reg & 0xff) << 8);
	else
		h.gpr[f->reg] = reg;
	h.gpr[GPR_RBX] = (uint64_t)(uintptr_t)((uint8_t *)mem_area + BASE_OFF);
	if (acc_eq)
		h.gpr[GPR_RAX] = mem;
	h.rflags = RFLAGS_BASE | fl;
	for (unsigned i = 0; i < BUF_QWORDS; i++)
		h.buf[i] = mem ^ (i == BASE_OFF / 8 ? 0 : 0x5a5a5a5a5a5a5a5aull * i);
	e = h;
	host_run(f, &h);
	emu_run(f, &e);
	if (f->undefined_af_logic && ((h.rflags ^ e.rflags) & EFLAGS_AF))
		logic_af_differs++;
	if (f->undefined == bt_undefined && ((h.rflags ^ e.rflags) & f->undefined))
		bt_undefined_differs++;
	for (unsigned i = 0; i < ARRAY_SIZE(used_regs); i++) {
		unsigned r = used_regs[i];

		if (h.gpr[r] != e.gpr[r]) {
			print_form(f);
			printf(": mem %#llx reg %#llx flags %#llx: gpr[%u] host %#llx emulated %#llx\n",
			       (unsigned long long)mem, (unsigned long long)reg,
			       (unsigned long long)fl, r, (unsigned long long)h.gpr[r],
			       (unsigned long long)e.gpr[r]);
			fail();
		}
	}
	if ((h.rflags ^ e.rflags) & mask) {
		print_form(f);
		printf(": mem %#llx reg %#llx flags %#llx: rflags host %#llx emulated %#llx\n",
		       (unsigned long long)mem, (unsigned long long)reg, (unsigned long long)fl,
		       (unsigned long long)h.rflags, (unsigned long long)e.rflags);
		fail();
	}
	if (memcmp(h.buf, e.buf, sizeof(h.buf))) {
		print_form(f);
		printf(": mem %#llx reg %#llx flags %#llx: memory differs\n",
		       (unsigned long long)mem, (unsigned long long)reg, (unsigned long long)fl);
		fail();
	}
}

/* Every operand value, register value and incoming RFLAGS for one form. */
static void check_form(const struct form *f)
{
	for (unsigned m = 0; m < ARRAY_SIZE(values); m++)
		for (unsigned k = 0; k < ARRAY_SIZE(flags_in); k++) {
			if (f->bt_reg) {
				for (unsigned r = 0; r < ARRAY_SIZE(bit_offsets); r++)
					compare(f, values[m], (uint64_t)bit_offsets[r], flags_in[k],
						false);
				continue;
			}
			for (unsigned r = 0; r < ARRAY_SIZE(values); r++) {
				compare(f, values[m], values[r], flags_in[k], false);
				if (f->acc)
					compare(f, values[m], values[r], flags_in[k], true);
			}
		}
}

/* Register operands to try: number, and the REX bits it needs. */
struct reg_choice {
	unsigned n;
	uint8_t rex;
};
static const struct reg_choice byte_regs[] = {
	{ GPR_RAX, 0 }, { 4, 0 } /* AH */, { 6, 0 } /* DH */, { GPR_RSI, 0x40 } /* SIL */,
	{ GPR_R9, 0x44 } /* R9B */,
};
static const struct reg_choice full_regs[] = {
	{ GPR_RCX, 0 }, { GPR_RAX, 0 }, { GPR_RDI, 0 }, { GPR_R9, 0x44 },
};
/* Operand-size prefixes for the full-size forms: 32, 16 (66h), 64 (REX.W). */
static const struct { uint8_t p66, rexw; } full_sizes[] = { { 0, 0 }, { 1, 0 }, { 0, 0x48 } };

/*
 * Build a form: [LOCK] [66] [REX] opcode... ModRM(mod 00, reg, rm 011 =
 * [rbx]) imm.  reg is a register number or a group's /digit.
 */
static struct form make(bool lock, bool p66, uint8_t rex, const uint8_t *opc, unsigned nop,
			unsigned reg, unsigned imm_len, uint64_t imm)
{
	struct form f = { .reg = reg };

	if (lock)
		f.bytes[f.len++] = 0xf0;
	if (p66)
		f.bytes[f.len++] = 0x66;
	if (rex || reg >= 8)
		f.bytes[f.len++] = (uint8_t)(0x40 | rex | (reg >= 8 ? 4 : 0));
	memcpy(f.bytes + f.len, opc, nop);
	f.len += nop;
	f.bytes[f.len++] = (uint8_t)(((reg & 7) << 3) | 3);
	for (unsigned i = 0; i < imm_len; i++)
		f.bytes[f.len++] = (uint8_t)(imm >> (8 * i));
	return f;
}

/* The form's register operand in every byte or full-size variant. */
static unsigned check_reg_forms(const uint8_t *opc, unsigned nop, bool byte_form, bool lock,
				uint64_t undefined, bool acc)
{
	unsigned n = 0;

	if (byte_form) {
		for (unsigned r = 0; r < ARRAY_SIZE(byte_regs); r++) {
			struct form f = make(lock, false, byte_regs[r].rex, opc, nop, byte_regs[r].n,
					     0, 0);

			f.byte_reg = true;
			f.high_byte = !byte_regs[r].rex && byte_regs[r].n >= 4;
			f.undefined = undefined;
			f.undefined_af_logic = undefined == EFLAGS_AF;
			f.acc = acc;
			check_form(&f);
			n++;
		}
		return n;
	}
	for (unsigned s = 0; s < ARRAY_SIZE(full_sizes); s++)
		for (unsigned r = 0; r < ARRAY_SIZE(full_regs); r++) {
			struct form f = make(lock, full_sizes[s].p66,
					     (uint8_t)(full_sizes[s].rexw | full_regs[r].rex), opc,
					     nop, full_regs[r].n, 0, 0);

			f.undefined = undefined;
			f.undefined_af_logic = undefined == EFLAGS_AF;
			f.acc = acc;
			check_form(&f);
			n++;
		}
	return n;
}

/* A group form /ext with an immediate of imm_len bytes (0: none), in the
 * given sizes, for a few immediates. */
static unsigned check_imm_forms(const uint8_t *opc, unsigned nop, unsigned ext, bool byte_form,
				unsigned imm_len, bool lock, uint64_t undefined)
{
	static const uint64_t imms[] = { 0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0x7fffffff,
					 0x80000000, 0xffffffff, 0x12345678 };
	unsigned n = 0, sizes = byte_form ? 1 : ARRAY_SIZE(full_sizes);

	for (unsigned s = 0; s < sizes; s++)
		for (unsigned i = 0; i < (imm_len ? ARRAY_SIZE(imms) : 1); i++) {
			bool p66 = !byte_form && full_sizes[s].p66;
			unsigned len = imm_len == 4 && p66 ? 2 : imm_len; /* Iz */
			struct form f;

			if (len && len < 4 && imms[i] >> (8 * len))
				continue;
			f = make(lock, p66, byte_form ? 0 : full_sizes[s].rexw, opc, nop, ext, len,
				 imms[i]);
			f.reg = GPR_RCX; /* no register operand: keep RCX as it is */
			f.undefined = undefined;
			f.undefined_af_logic = undefined == EFLAGS_AF;
			check_form(&f);
			n++;
		}
	return n;
}

static bool is_logic(unsigned kind)
{
	return kind == MA_OR || kind == MA_AND || kind == MA_XOR;
}

/* 00-3B: ADD OR ADC SBB AND SUB XOR CMP in all four r/m directions, and
 * the memory-destination ones with LOCK. */
static void test_alu_rm(void **state)
{
	unsigned n = 0;

	(void)state;
	for (unsigned k = 0; k < 8; k++)
		for (unsigned d = 0; d < 4; d++) {
			uint8_t opc = (uint8_t)(k * 8 + d);
			uint64_t u = is_logic(k) ? logic_undefined : 0;

			n += check_reg_forms(&opc, 1, !(d & 1), false, u, false);
			if (d < 2 && k != MA_CMP)
				n += check_reg_forms(&opc, 1, !(d & 1), true, u, false);
		}
	printf("ALU r/m: %u forms\n", n);
}

/* 80, 81, 83 /0-/7: the ALU group with an immediate. */
static void test_alu_imm(void **state)
{
	static const uint8_t op80 = 0x80, op81 = 0x81, op83 = 0x83;
	unsigned n = 0;

	(void)state;
	for (unsigned k = 0; k < 8; k++) {
		uint64_t u = is_logic(k) ? logic_undefined : 0;

		n += check_imm_forms(&op80, 1, k, true, 1, false, u);
		n += check_imm_forms(&op81, 1, k, false, 4, false, u);
		n += check_imm_forms(&op83, 1, k, false, 1, false, u);
		if (k != MA_CMP)
			n += check_imm_forms(&op83, 1, k, false, 1, true, u);
	}
	printf("ALU imm: %u forms\n", n);
}

/* TEST 84/85 and F6/F7 /0; NOT, NEG (F6/F7 /2 /3); INC, DEC (FE/FF /0 /1). */
static void test_unary_and_test(void **state)
{
	static const uint8_t op84 = 0x84, op85 = 0x85, opf6 = 0xf6, opf7 = 0xf7, opfe = 0xfe,
			     opff = 0xff;
	unsigned n = 0;

	(void)state;
	n += check_reg_forms(&op84, 1, true, false, logic_undefined, false);
	n += check_reg_forms(&op85, 1, false, false, logic_undefined, false);
	n += check_imm_forms(&opf6, 1, 0, true, 1, false, logic_undefined);
	n += check_imm_forms(&opf7, 1, 0, false, 4, false, logic_undefined);
	for (unsigned lock = 0; lock < 2; lock++)
		for (unsigned ext = 0; ext < 4; ext++) {
			/* FE/FF /0 /1 INC DEC, F6/F7 /2 /3 NOT NEG */
			const uint8_t *b = ext < 2 ? &opfe : &opf6, *v = ext < 2 ? &opff : &opf7;

			n += check_imm_forms(b, 1, ext, true, 0, lock, 0);
			n += check_imm_forms(v, 1, ext, false, 0, lock, 0);
		}
	printf("TEST/NOT/NEG/INC/DEC: %u forms\n", n);
}

/* XCHG, XADD, CMPXCHG: the register operand and the accumulator change. */
static void test_exchange(void **state)
{
	static const uint8_t op86 = 0x86, op87 = 0x87, xadd_b[] = { 0x0f, 0xc0 },
			     xadd_v[] = { 0x0f, 0xc1 }, cx_b[] = { 0x0f, 0xb0 },
			     cx_v[] = { 0x0f, 0xb1 };
	unsigned n = 0;

	(void)state;
	for (unsigned lock = 0; lock < 2; lock++) {
		n += check_reg_forms(&op86, 1, true, lock, 0, false);
		n += check_reg_forms(&op87, 1, false, lock, 0, false);
		n += check_reg_forms(xadd_b, 2, true, lock, 0, false);
		n += check_reg_forms(xadd_v, 2, false, lock, 0, false);
		n += check_reg_forms(cx_b, 2, true, lock, 0, true);
		n += check_reg_forms(cx_v, 2, false, lock, 0, true);
	}
	printf("XCHG/XADD/CMPXCHG: %u forms\n", n);
}

/* MOV (88-8B, C6/C7 /0, A0-A3 with a 64-bit moffs), MOVZX, MOVSX, MOVSXD. */
static void test_moves(void **state)
{
	static const uint8_t op88 = 0x88, op89 = 0x89, op8a = 0x8a, op8b = 0x8b, opc6 = 0xc6,
			     opc7 = 0xc7, zx_b[] = { 0x0f, 0xb6 }, zx_w[] = { 0x0f, 0xb7 },
			     sx_b[] = { 0x0f, 0xbe }, sx_w[] = { 0x0f, 0xbf };
	unsigned n = 0;

	(void)state;
	n += check_reg_forms(&op88, 1, true, false, 0, false);
	n += check_reg_forms(&op89, 1, false, false, 0, false);
	n += check_reg_forms(&op8a, 1, true, false, 0, false);
	n += check_reg_forms(&op8b, 1, false, false, 0, false);
	n += check_imm_forms(&opc6, 1, 0, true, 1, false, 0);
	n += check_imm_forms(&opc7, 1, 0, false, 4, false, 0);
	n += check_reg_forms(zx_b, 2, false, false, 0, false);
	n += check_reg_forms(zx_w, 2, false, false, 0, false);
	n += check_reg_forms(sx_b, 2, false, false, 0, false);
	n += check_reg_forms(sx_w, 2, false, false, 0, false);
	for (unsigned r = 0; r < ARRAY_SIZE(full_regs); r++) { /* MOVSXD Gq,Ed */
		static const uint8_t op63 = 0x63;
		struct form f = make(false, false, (uint8_t)(0x48 | full_regs[r].rex), &op63, 1,
				     full_regs[r].n, 0, 0);

		check_form(&f);
		n++;
	}
	for (uint8_t op = 0xa0; op <= 0xa3; op++) /* MOV AL/rAX <-> moffs64 = [rbx] */
		for (unsigned s = 0; s < (op & 1 ? ARRAY_SIZE(full_sizes) : 1); s++) {
			struct form f = { .reg = GPR_RAX, .byte_reg = !(op & 1) };
			uint64_t addr = (uint64_t)(uintptr_t)((uint8_t *)mem_area + BASE_OFF);

			if (full_sizes[s].p66)
				f.bytes[f.len++] = 0x66;
			if (full_sizes[s].rexw)
				f.bytes[f.len++] = 0x48;
			f.bytes[f.len++] = op;
			for (unsigned i = 0; i < 8; i++)
				f.bytes[f.len++] = (uint8_t)(addr >> (8 * i));
			check_form(&f);
			n++;
		}
	printf("MOV/MOVZX/MOVSX/MOVSXD: %u forms\n", n);
}

/* BT BTS BTR BTC: Ev,Gv with offsets outside the operand, Ev,Ib. */
static void test_bits(void **state)
{
	static const uint8_t reg_ops[][2] = { { 0x0f, 0xa3 }, { 0x0f, 0xab }, { 0x0f, 0xb3 },
					       { 0x0f, 0xbb } };
	static const uint8_t grp8[] = { 0x0f, 0xba };
	unsigned n = 0;

	(void)state;
	for (unsigned k = 0; k < 4; k++)
		for (unsigned lock = 0; lock < (k ? 2u : 1u); lock++) {
			for (unsigned s = 0; s < ARRAY_SIZE(full_sizes); s++) {
				struct form f = make(lock, full_sizes[s].p66, full_sizes[s].rexw,
						     reg_ops[k], 2, GPR_RCX, 0, 0);

				f.bt_reg = true;
				f.undefined = bt_undefined;
				check_form(&f);
				n++;
			}
			n += check_imm_forms(grp8, 2, 4 + k, false, 1, lock, bt_undefined);
		}
	printf("BT/BTS/BTR/BTC: %u forms\n", n);
}

/* Operand sizes outside 64-bit mode, which the host cannot run. */
static void test_sizes_16_32(void **state)
{
	static const struct {
		enum insn_mode mode;
		uint8_t bytes[6];
		unsigned len, size, reg_size;
	} cases[] = {
		{ INSN_MODE_16, { 0x03, 0x07 }, 2, 2, 2 },             /* add ax,[bx] */
		{ INSN_MODE_16, { 0x66, 0x03, 0x07 }, 3, 4, 4 },       /* add eax,[bx] */
		{ INSN_MODE_32, { 0x03, 0x03 }, 2, 4, 4 },             /* add eax,[ebx] */
		{ INSN_MODE_32, { 0x66, 0x03, 0x03 }, 3, 2, 2 },       /* add ax,[ebx] */
		{ INSN_MODE_16, { 0x0f, 0xbe, 0x07 }, 3, 1, 2 },       /* movsx ax,byte [bx] */
		{ INSN_MODE_32, { 0x0f, 0xbf, 0x03 }, 3, 2, 4 },       /* movsx eax,word [ebx] */
		{ INSN_MODE_16, { 0xa1, 0x00, 0x10 }, 3, 2, 2 },       /* mov ax,[0x1000] */
		{ INSN_MODE_32, { 0x0f, 0xba, 0x23, 0x21 }, 4, 4, 4 }, /* bt dword [ebx],33 */
	};
	struct insn insn;
	struct mem_alu_op op;

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		assert_int_equal(insn_decode(cases[i].bytes, cases[i].len, cases[i].mode, &insn), 0);
		assert_int_equal(mem_alu_decode(&insn, cases[i].mode, &op), MEM_ALU_OK);
		assert_int_equal(op.size, cases[i].size);
		assert_int_equal(op.reg_size, cases[i].reg_size);
	}
	/* 16-bit ADD: the upper half of EAX stays (SDM Vol. 1 3.4.1.1) */
	{
		uint64_t gpr[GPR_COUNT] = { 0x12345678 }, fl = RFLAGS_BASE, mem = 0xffff;

		assert_int_equal(insn_decode(cases[0].bytes, 2, INSN_MODE_16, &insn), 0);
		assert_int_equal(mem_alu_decode(&insn, INSN_MODE_16, &op), MEM_ALU_OK);
		assert_false(mem_alu_exec(&op, gpr, &fl, &mem));
		assert_int_equal(gpr[GPR_RAX], 0x12345677);
		assert_int_equal(fl & EFLAGS_STATUS, EFLAGS_CF | EFLAGS_PF | EFLAGS_AF);
	}
}

/* LOCK only on a read-modify-write with a memory destination (else #UD),
 * and instructions lamina does not cover. */
static void test_lock_and_unknown(void **state)
{
	static const struct {
		enum insn_mode mode;
		uint8_t bytes[6];
		unsigned len;
		int want;
	} cases[] = {
		{ INSN_MODE_64, { 0xf0, 0x01, 0x03 }, 3, MEM_ALU_OK },       /* lock add [rbx],eax */
		{ INSN_MODE_64, { 0xf0, 0x0f, 0xab, 0x03 }, 4, MEM_ALU_OK }, /* lock bts */
		{ INSN_MODE_64, { 0xf0, 0x87, 0x03 }, 3, MEM_ALU_OK },       /* lock xchg */
		{ INSN_MODE_64, { 0xf0, 0xf7, 0x13 }, 3, MEM_ALU_OK },       /* lock not */
		{ INSN_MODE_64, { 0xf0, 0x39, 0x03 }, 3, MEM_ALU_UD },       /* lock cmp */
		{ INSN_MODE_64, { 0xf0, 0x03, 0x03 }, 3, MEM_ALU_UD },       /* lock add eax,[rbx] */
		{ INSN_MODE_64, { 0xf0, 0x85, 0x03 }, 3, MEM_ALU_UD },       /* lock test */
		{ INSN_MODE_64, { 0xf0, 0x0f, 0xa3, 0x03 }, 4, MEM_ALU_UD }, /* lock bt */
		{ INSN_MODE_64, { 0xf0, 0x8b, 0x03 }, 3, MEM_ALU_UD },       /* lock mov */
		{ INSN_MODE_64, { 0xf0, 0x0f, 0xbe, 0x03 }, 4, MEM_ALU_UD }, /* lock movsx */
		{ INSN_MODE_64, { 0xf0, 0x0f, 0xba, 0x23, 1 }, 5, MEM_ALU_UD }, /* lock bt imm */
		{ INSN_MODE_64, { 0x01, 0xc3 }, 2, MEM_ALU_UNKNOWN },        /* add ebx,eax */
		{ INSN_MODE_64, { 0xf7, 0x0b, 1, 0, 0, 0 }, 6, MEM_ALU_UNKNOWN }, /* F7 /1 */
		{ INSN_MODE_64, { 0xf7, 0x23 }, 2, MEM_ALU_UNKNOWN },        /* mul */
		{ INSN_MODE_64, { 0xfe, 0x13 }, 2, MEM_ALU_UNKNOWN },        /* FE /2 */
		{ INSN_MODE_64, { 0xff, 0x13 }, 2, MEM_ALU_UNKNOWN },        /* call [rbx] */
		{ INSN_MODE_64, { 0xd1, 0x23 }, 2, MEM_ALU_UNKNOWN },        /* shl */
		{ INSN_MODE_64, { 0xc7, 0xf8, 0, 0, 0, 0 }, 6, MEM_ALU_UNKNOWN }, /* xbegin */
		{ INSN_MODE_64, { 0x63, 0x03 }, 2, MEM_ALU_UNKNOWN },        /* movsxd without REX.W */
		{ INSN_MODE_32, { 0x63, 0x03 }, 2, MEM_ALU_UNKNOWN },        /* arpl */
		{ INSN_MODE_64, { 0x0f, 0xbc, 0x03 }, 3, MEM_ALU_UNKNOWN },  /* bsf */
		{ INSN_MODE_64, { 0xc5, 0xf9, 0x6f, 0x03 }, 4, MEM_ALU_UNKNOWN }, /* vmovdqa */
	};
	struct insn insn;
	struct mem_alu_op op;

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		assert_int_equal(insn_decode(cases[i].bytes, cases[i].len, cases[i].mode, &insn), 0);
		assert_int_equal(insn.len, cases[i].len);
		assert_int_equal(mem_alu_decode(&insn, cases[i].mode, &op), cases[i].want);
	}
}

static int setup(void **state)
{
	(void)state;
	for (unsigned i = ARRAY_SIZE(values) - N_RANDOM; i < ARRAY_SIZE(values); i++)
		values[i] = rng();
	code_page = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
	return code_page == MAP_FAILED ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	printf("%lu runs compared with the host CPU; AF of AND/OR/XOR/TEST differed %lu times, "
	       "BT*'s undefined flags %lu times\n", host_runs, logic_af_differs,
	       bt_undefined_differs);
	return munmap(code_page, 4096);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alu_rm),
		cmocka_unit_test(test_alu_imm),
		cmocka_unit_test(test_unary_and_test),
		cmocka_unit_test(test_exchange),
		cmocka_unit_test(test_moves),
		cmocka_unit_test(test_bits),
		cmocka_unit_test(test_sizes_16_32),
		cmocka_unit_test(test_lock_and_unknown),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
