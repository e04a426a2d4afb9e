/*
 * Fuzzes the memory-operand emulator (core/mem_alu.c) behind the
 * instruction decoder.  Input: a mode byte (16, 32, 64-bit), 15
 * instruction bytes, then the state little-endian: 16 GPRs, RFLAGS and
 * the memory value (missing bytes read as zero).
 * Invariants: a recognised instruction has a 1/2/4/8-byte memory operand
 * and a register operand at least as wide; executing it changes only the
 * status flags of RFLAGS, only its own register operand, rAX (CMPXCHG)
 * or the register holding AH..BH, writes a value of the operand's size,
 * and never writes memory for CMP, TEST, BT, MOV loads, MOVZX or MOVSX.
 */
#include <string.h>

#include "fuzz_io.h"
#include "mem_alu.h"

#define STATE_BYTES (8 * (GPR_COUNT + 2))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t code[INSN_MAX_LEN] = { 0 }, state[STATE_BYTES] = { 0 };
	uint64_t gpr[GPR_COUNT], before[GPR_COUNT], rflags, rflags_in, mem;
	enum insn_mode mode;
	struct insn insn;
	struct mem_alu_op op;
	bool writes;

	if (size < 1)
		return 0;
	mode = (enum insn_mode)(data[0] % 3);
	memcpy(code, data + 1, size - 1 < sizeof(code) ? size - 1 : sizeof(code));
	if (size > 1 + sizeof(code))
		memcpy(state, data + 1 + sizeof(code),
		       size - 1 - sizeof(code) < sizeof(state) ? size - 1 - sizeof(code)
							       : sizeof(state));
	memcpy(gpr, state, sizeof(gpr));
	memcpy(&rflags, state + sizeof(gpr), 8);
	memcpy(&mem, state + sizeof(gpr) + 8, 8);
	if (insn_decode(code, sizeof(code), mode, &insn) || mem_alu_decode(&insn, mode, &op))
		return 0;
	FUZZ_CHECK(op.size == 1 || op.size == 2 || op.size == 4 || op.size == 8);
	FUZZ_CHECK(op.reg_size >= op.size && op.reg_size <= 8 && op.reg < GPR_COUNT);
	FUZZ_CHECK(mode == INSN_MODE_64 || op.size <= 4);
	memcpy(before, gpr, sizeof(gpr));
	rflags_in = rflags;
	writes = mem_alu_exec(&op, gpr, &rflags, &mem);
	FUZZ_CHECK(((rflags ^ rflags_in) & ~EFLAGS_STATUS) == 0);
	FUZZ_CHECK(op.size == 8 || mem >> (8 * op.size) == 0);
	for (unsigned i = 0; i < GPR_COUNT; i++)
		FUZZ_CHECK(gpr[i] == before[i] || i == op.reg || i == GPR_RAX ||
			   (!op.rex && op.reg >= 4 && op.reg < 8 && i == op.reg - 4));
	if (op.kind == MA_CMP || op.kind == MA_TEST || op.kind == MA_BT || op.kind == MA_LOAD ||
	    op.kind == MA_MOVZX || op.kind == MA_MOVSX)
		FUZZ_CHECK(!writes);
	return 0;
}
