/*
 * Data instructions on a memory value the monitor read for the guest (see
 * include/mem_alu.h): which instruction it is (SDM Vol. 2 Appendix A, opcode
 * maps and the groups of A-6), and what it does to the registers,
 * RFLAGS and the memory operand (SDM Vol. 2 instruction pages).
 */
#include "mem_alu.h"

/* The low `bytes` bytes of v as a signed number, extended to 64 bits
 * (MOVSX, and the sign-extended immediates of SDM Vol. 2 3.1.1.3). */
static uint64_t sign_extend(uint64_t v, unsigned bytes)
{
	uint64_t sign = 1ull << (bytes * 8 - 1);

	return ((v & low_bytes_mask(bytes)) ^ sign) - sign;
}

/* A register operand: without any REX prefix, byte registers 4-7 are AH,
 * CH, DH, BH, bits 15:8 of registers 0-3 (SDM Vol. 2 2.1.5 Table 2-2 and
 * 2.2.1.2 "Byte-register addressing"). */
static uint64_t get_reg(const uint64_t gpr[GPR_COUNT], const struct mem_alu_op *op,
			unsigned size)
{
	if (size == 1 && !op->rex && op->reg >= 4 && op->reg < 8)
		return (gpr[op->reg - 4] >> 8) & 0xff;
	return gpr[op->reg] & low_bytes_mask(size);
}

/* Write a register operand: 8- and 16-bit writes keep the other bits, a
 * 32-bit write zero-extends to 64 bits (SDM Vol. 1 3.4.1.1). */
static void set_reg(uint64_t gpr[GPR_COUNT], const struct mem_alu_op *op, unsigned size,
		    uint64_t val)
{
	uint64_t m = low_bytes_mask(size);

	if (size == 1 && !op->rex && op->reg >= 4 && op->reg < 8)
		gpr[op->reg - 4] = (gpr[op->reg - 4] & ~0xff00ull) | ((val & 0xff) << 8);
	else if (size >= 4)
		gpr[op->reg] = val & m;
	else
		gpr[op->reg] = (gpr[op->reg] & ~m) | (val & m);
}

/* ZF, SF and PF of a result (SDM Vol. 1 3.4.3.1): zero, its top bit, and
 * an even number of ones in its low byte. */
static uint64_t flags_szp(uint64_t res, unsigned size)
{
	uint64_t f = 0, p = res & 0xff;

	res &= low_bytes_mask(size);
	if (!res)
		f |= EFLAGS_ZF;
	if (res >> (size * 8 - 1))
		f |= EFLAGS_SF;
	p ^= p >> 4;
	p ^= p >> 2;
	p ^= p >> 1;
	if (!(p & 1))
		f |= EFLAGS_PF;
	return f;
}

/*
 * ADD, OR, ADC, SBB, AND, SUB, XOR, CMP of a and b (SDM Vol. 2 pages of
 * each; flags Vol. 1 3.4.3.1 and Appendix A).  CF is the carry (borrow)
 * out of the top bit, OF a signed overflow, AF the carry (borrow) out of
 * bit 3; the logical ones clear CF and OF and leave AF 0, as Intel and AMD
 * CPUs do where the SDM says "undefined".  Stores the status flags in *f.
 */
static uint64_t alu(enum mem_alu_kind k, uint64_t a, uint64_t b, bool carry_in, unsigned size,
		    uint64_t *f)
{
	uint64_t res, carry = 0, over = 0, adjust = 0, top = 1ull << (size * 8 - 1);

	switch (k) {
	case MA_OR:
		res = a | b;
		break;
	case MA_AND:
		res = a & b;
		break;
	case MA_XOR:
		res = a ^ b;
		break;
	case MA_ADD:
	case MA_ADC:
		res = a + b + (k == MA_ADC && carry_in);
		carry = (a & b) | ((a | b) & ~res);
		over = (a ^ res) & (b ^ res);
		adjust = a ^ b ^ res;
		break;
	default: /* MA_SUB, MA_SBB, MA_CMP */
		res = a - b - (k == MA_SBB && carry_in);
		carry = (~a & b) | ((~a | b) & res);
		over = (a ^ b) & (a ^ res);
		adjust = a ^ b ^ res;
		break;
	}
	*f = flags_szp(res, size) | (carry & top ? EFLAGS_CF : 0) | (over & top ? EFLAGS_OF : 0) |
	     (adjust & 0x10 ? EFLAGS_AF : 0);
	return res & low_bytes_mask(size);
}

/* One-byte opcodes (SDM Vol. 2 Table A-2, groups 1, 3, 4, 5, 11 in A-6)
 * with a ModRM memory operand, or A0-A3's moffs.  false if not covered. */
static bool decode_1byte(const struct insn *insn, enum insn_mode mode, struct mem_alu_op *op)
{
	uint8_t b = insn->opcode[0];
	unsigned ext = insn->reg & 7; /* ModRM.reg as an opcode extension */
	bool mem = insn->has_modrm && insn->mod != 3;

	op->size = insn_operand_size(insn, mode, !(b & 1));
	if (b < 0x40 && (b & 7) < 4) { /* ALU Eb,Gb Ev,Gv Gb,Eb Gv,Ev */
		op->kind = (enum mem_alu_kind)(b >> 3);
		op->reg_dest = b & 2;
		return mem;
	}
	switch (b) {
	case 0x80: case 0x81: case 0x83: /* group 1 Eb,Ib Ev,Iz Ev,Ib */
		op->kind = (enum mem_alu_kind)ext;
		op->size = insn_operand_size(insn, mode, b == 0x80);
		op->imm_src = true;
		return mem;
	case 0x84: case 0x85:
		op->kind = MA_TEST;
		return mem;
	case 0x86: case 0x87:
		op->kind = MA_XCHG;
		return mem;
	case 0x88: case 0x89:
		op->kind = MA_STORE;
		return mem;
	case 0x8a: case 0x8b:
		op->kind = MA_LOAD;
		op->reg_dest = true;
		return mem;
	case 0xa0: case 0xa1: /* MOV AL/rAX, moffs */
		op->kind = MA_LOAD;
		op->reg = GPR_RAX;
		op->reg_dest = true;
		return true;
	case 0xa2: case 0xa3: /* MOV moffs, AL/rAX */
		op->kind = MA_STORE;
		op->reg = GPR_RAX;
		return true;
	case 0xc6: case 0xc7: /* group 11: /0 MOV Eb,Ib Ev,Iz */
		op->kind = MA_STORE;
		op->imm_src = true;
		return mem && ext == 0;
	case 0xf6: case 0xf7: /* group 3: /0 TEST, /2 NOT, /3 NEG */
		op->kind = ext == 0 ? MA_TEST : ext == 2 ? MA_NOT : MA_NEG;
		op->imm_src = ext == 0;
		return mem && (ext == 0 || ext == 2 || ext == 3);
	case 0xfe: case 0xff: /* groups 4, 5: /0 INC, /1 DEC */
		op->kind = ext == 0 ? MA_INC : MA_DEC;
		return mem && ext <= 1;
	case 0x63: /* MOVSXD Gv,Ed with REX.W (64-bit mode only; else ARPL) */
		op->kind = MA_MOVSX;
		op->size = 4;
		op->reg_size = 8;
		op->reg_dest = true;
		return mem && mode == INSN_MODE_64 && (insn->rex & 8);
	default:
		return false;
	}
}

/* Two-byte opcodes 0F xx (SDM Vol. 2 Table A-3, group 8 in A-6) with a
 * ModRM memory operand.  false if not covered. */
static bool decode_0f(const struct insn *insn, enum insn_mode mode, struct mem_alu_op *op)
{
	uint8_t b = insn->opcode[1];
	unsigned ext = insn->reg & 7;
	bool mem = insn->has_modrm && insn->mod != 3;

	op->size = insn_operand_size(insn, mode, b == 0xb0 || b == 0xc0);
	switch (b) {
	case 0xb6: case 0xb7: /* MOVZX Gv,Eb Gv,Ew */
	case 0xbe: case 0xbf: /* MOVSX Gv,Eb Gv,Ew */
		op->kind = b >= 0xbe ? MA_MOVSX : MA_MOVZX;
		op->reg_size = op->size;
		op->size = b & 1 ? 2 : 1;
		op->reg_dest = true;
		return mem;
	case 0xa3: case 0xab: case 0xb3: case 0xbb: /* BT BTS BTR BTC Ev,Gv */
		op->kind = (enum mem_alu_kind)(MA_BT + ((b >> 3) & 3));
		return mem;
	case 0xba: /* group 8: /4-/7 BT BTS BTR BTC Ev,Ib */
		op->kind = (enum mem_alu_kind)(MA_BT + (ext & 3));
		op->imm_src = true;
		return mem && ext >= 4;
	case 0xb0: case 0xb1:
		op->kind = MA_CMPXCHG;
		return mem;
	case 0xc0: case 0xc1:
		op->kind = MA_XADD;
		return mem;
	default:
		return false;
	}
}

/* LOCK is allowed only on the read-modify-write instructions, and only
 * with a memory destination; anywhere else it is #UD (SDM Vol. 2 "LOCK"). */
static bool lockable(const struct mem_alu_op *op)
{
	switch (op->kind) {
	case MA_CMP: case MA_TEST: case MA_LOAD: case MA_STORE: case MA_MOVZX: case MA_MOVSX:
	case MA_BT:
		return false;
	default:
		return !op->reg_dest;
	}
}

int mem_alu_decode(const struct insn *insn, enum insn_mode mode, struct mem_alu_op *op)
{
	bool known;

	*op = (struct mem_alu_op){ .reg = insn->reg, .rex = insn->rex != 0 };
	if (insn->vex)
		return MEM_ALU_UNKNOWN;
	if (insn->opcode_len == 1)
		known = decode_1byte(insn, mode, op);
	else if (insn->opcode_len == 2 && insn->opcode[0] == 0x0f)
		known = decode_0f(insn, mode, op);
	else
		known = false;
	if (!known)
		return MEM_ALU_UNKNOWN;
	if (!op->reg_size)
		op->reg_size = op->size;
	if (op->imm_src)
		op->imm = sign_extend(insn->imm, insn->imm_len);
	return insn->lock && !lockable(op) ? MEM_ALU_UD : MEM_ALU_OK;
}

/* BT, BTS, BTR, BTC (SDM Vol. 2 pages of each): CF is the selected bit;
 * OF, SF, AF, PF are undefined and left as they were; ZF is unaffected.
 * The bit number is taken modulo the operand size: for the register form
 * the caller's *mem is already the unit that holds the bit. */
static bool exec_bit(const struct mem_alu_op *op, uint64_t src, uint64_t *rflags, uint64_t *mem)
{
	uint64_t bit = 1ull << (src & (op->size * 8 - 1));

	*rflags = (*rflags & ~EFLAGS_CF) | (*mem & bit ? EFLAGS_CF : 0);
	switch (op->kind) {
	case MA_BTS:
		*mem |= bit;
		return true;
	case MA_BTR:
		*mem &= ~bit;
		return true;
	case MA_BTC:
		*mem ^= bit;
		return true;
	default:
		return false;
	}
}

bool mem_alu_exec(const struct mem_alu_op *op, uint64_t gpr[GPR_COUNT], uint64_t *rflags,
		  uint64_t *mem)
{
	unsigned size = op->size;
	uint64_t m = low_bytes_mask(size), val = *mem & m, flags = 0, res;
	uint64_t src = op->imm_src ? op->imm & m : get_reg(gpr, op, size);
	bool cf = *rflags & EFLAGS_CF;

	*mem = val;
	switch (op->kind) {
	case MA_LOAD:
		set_reg(gpr, op, size, val);
		return false;
	case MA_MOVZX:
		set_reg(gpr, op, op->reg_size, val);
		return false;
	case MA_MOVSX:
		set_reg(gpr, op, op->reg_size, sign_extend(val, size));
		return false;
	case MA_STORE:
		*mem = src;
		return true;
	case MA_XCHG: /* the register gets the memory value; LOCK is implied */
		set_reg(gpr, op, size, val);
		*mem = src;
		return true;
	case MA_NOT: /* no flags */
		*mem = ~val & m;
		return true;
	case MA_BT: case MA_BTS: case MA_BTR: case MA_BTC:
		return exec_bit(op, src, rflags, mem);
	case MA_NEG: /* 0 - DEST: CF = (DEST != 0) */
		*mem = alu(MA_SUB, 0, val, false, size, &flags);
		break;
	case MA_INC: case MA_DEC: /* CF is not affected */
		*mem = alu(op->kind == MA_INC ? MA_ADD : MA_SUB, val, 1, false, size, &flags);
		flags = (flags & ~EFLAGS_CF) | (cf ? EFLAGS_CF : 0);
		break;
	case MA_TEST:
		alu(MA_AND, val, src, false, size, &flags);
		break;
	case MA_XADD: /* TEMP = SRC + DEST; SRC = DEST; DEST = TEMP */
		*mem = alu(MA_ADD, val, src, false, size, &flags);
		set_reg(gpr, op, size, val);
		break;
	case MA_CMPXCHG: /* flags of CMP accumulator, DEST; on a mismatch the
			  * accumulator gets DEST and DEST is written back as is */
		res = gpr[GPR_RAX] & m;
		alu(MA_CMP, res, val, false, size, &flags);
		if (res == val)
			*mem = src;
		else
			gpr[GPR_RAX] = size >= 4 ? val : (gpr[GPR_RAX] & ~m) | val;
		break;
	default: /* the ALU group: ADD OR ADC SBB AND SUB XOR CMP */
		if (op->reg_dest) {
			res = alu(op->kind, src, val, cf, size, &flags);
			if (op->kind != MA_CMP)
				set_reg(gpr, op, size, res);
		} else {
			*mem = alu(op->kind, val, src, cf, size, &flags);
		}
		*rflags = (*rflags & ~EFLAGS_STATUS) | flags;
		return !op->reg_dest && op->kind != MA_CMP;
	}
	*rflags = (*rflags & ~EFLAGS_STATUS) | flags;
	return op->kind != MA_TEST;
}
