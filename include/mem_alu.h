/*
 * Data instructions with one memory operand, carried out on a value the
 * caller read: the monitor emulates them when the operand is a
 * guest-physical hole (reads all-ones) or ROM (the write is lost), so the
 * registers and RFLAGS end up as the CPU would leave them (SDM Vol. 2
 * instruction pages; status flags Vol. 1 3.4.3.1).  Pure: it never touches
 * guest memory, and host tests compare it with the host CPU.
 *
 * Covered, with a memory operand only: MOV (88-8B, A0-A3, C6/C7 /0),
 * MOVZX, MOVSX, MOVSXD (64-bit mode, REX.W), the ALU group ADD OR ADC SBB
 * AND SUB XOR CMP (00-3B, 80/81/83), TEST (84/85, F6/F7 /0), NOT/NEG
 * (F6/F7 /2 /3), INC/DEC (FE/FF /0 /1), XCHG (86/87), XADD, CMPXCHG, and
 * BT/BTS/BTR/BTC (0F A3/AB/B3/BB, 0F BA /4-/7).
 */
#ifndef LAMINA_MEM_ALU_H
#define LAMINA_MEM_ALU_H

#include "insn_decode.h"
#include "vmm.h"

/* RFLAGS status flags (SDM Vol. 1 3.4.3.1, Figure 3-8). */
#define EFLAGS_CF BIT(0)
#define EFLAGS_PF BIT(2)
#define EFLAGS_AF BIT(4)
#define EFLAGS_ZF BIT(6)
#define EFLAGS_SF BIT(7)
#define EFLAGS_OF BIT(11)
#define EFLAGS_STATUS (EFLAGS_CF | EFLAGS_PF | EFLAGS_AF | EFLAGS_ZF | EFLAGS_SF | EFLAGS_OF)

/* What the instruction does (the first eight in the order of the group-1
 * ModRM.reg field and of opcode bits 5:3, SDM Vol. 2 Table A-6). */
enum mem_alu_kind {
	MA_ADD, MA_OR, MA_ADC, MA_SBB, MA_AND, MA_SUB, MA_XOR, MA_CMP,
	MA_TEST, MA_INC, MA_DEC, MA_NOT, MA_NEG, MA_XCHG, MA_XADD, MA_CMPXCHG,
	MA_LOAD, MA_STORE, MA_MOVZX, MA_MOVSX, MA_BT, MA_BTS, MA_BTR, MA_BTC,
};

struct mem_alu_op {
	enum mem_alu_kind kind;
	unsigned size;     /* bytes of the memory operand (the value to read) */
	unsigned reg_size; /* bytes of the register operand (MOVZX/MOVSX: wider) */
	unsigned reg;      /* the register operand: ModRM.reg, or rAX for A0-A3 */
	bool rex;          /* a REX prefix: byte registers 4-7 are SPL..DIL, not AH..BH */
	bool reg_dest;     /* the result goes to the register (ALU r, r/m; loads) */
	bool imm_src;      /* the source is the immediate, not the register */
	uint64_t imm;      /* sign-extended to 64 bits (SDM Vol. 2 3.1.1.3 "Ib", "Iz") */
};

enum { MEM_ALU_OK = 0, MEM_ALU_UD = 1, MEM_ALU_UNKNOWN = -1 };

/* Recognise insn (decoded in mode) as one of the instructions above with a
 * memory operand.  MEM_ALU_OK and *op; MEM_ALU_UD if its LOCK prefix makes
 * it #UD (SDM Vol. 2 "LOCK"); MEM_ALU_UNKNOWN for anything else. */
int mem_alu_decode(const struct insn *insn, enum insn_mode mode, struct mem_alu_op *op);

/* Execute op with the memory operand's value *mem (op->size bytes, as read):
 * updates gpr[] and *rflags as the CPU would.  Returns whether the CPU
 * writes the memory operand, with the value written in *mem.  A BT* register
 * form's *mem is the operand-size unit that holds the bit (the one the CPU
 * accesses, SDM Vol. 2 "BT"). */
bool mem_alu_exec(const struct mem_alu_op *op, uint64_t gpr[GPR_COUNT], uint64_t *rflags,
		  uint64_t *mem);

#endif
