/*
 * Fuzzes the x86 instruction-length decoder (core/insn_decode.c) with
 * arbitrary bytes: the first input byte picks the mode (16, 32, 64-bit),
 * the rest is the buffer, copied into an exact-size allocation so ASan
 * catches any read past avail.
 * Invariants: a decoded instruction is 1-15 bytes and fits in avail; its
 * parts are consistent (ModRM before SIB, lengths within bounds); decoding
 * the same bytes with avail = len gives the same result, and with one
 * byte fewer fails (the decoder never looks past the instruction).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_io.h"
#include "insn_decode.h"


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct insn a, b;
	enum insn_mode mode;
	uint8_t *buf;
	size_t avail;

	if (size < 1)
		return 0;
	mode = (enum insn_mode)(data[0] % 3);
	avail = size - 1;
	buf = malloc(avail ? avail : 1);
	FUZZ_CHECK(buf != NULL);
	memcpy(buf, data + 1, avail);
	if (insn_decode(buf, avail, mode, &a) == 0) {
		FUZZ_CHECK(a.len >= 1 && a.len <= INSN_MAX_LEN && a.len <= avail);
		FUZZ_CHECK(a.opcode_len >= 1 && a.opcode_len <= 3);
		FUZZ_CHECK(!a.has_sib || a.has_modrm);
		FUZZ_CHECK(a.prefix_len < a.len);
		FUZZ_CHECK(a.disp_len <= 8 && a.imm_len <= 8);
		FUZZ_CHECK(a.prefix_len + a.opcode_len + a.has_modrm + a.has_sib + a.disp_len +
				   a.imm_len <= a.len);
		FUZZ_CHECK(a.rep == 0 || a.rep == 0xf2 || a.rep == 0xf3);
		FUZZ_CHECK(a.seg >= -1 && a.seg <= INSN_SEG_GS);
		FUZZ_CHECK(mode == INSN_MODE_64 || a.rex == 0);
		FUZZ_CHECK(insn_decode(buf, a.len, mode, &b) == 0);
		FUZZ_CHECK(memcmp(&a, &b, sizeof(a)) == 0);
		FUZZ_CHECK(insn_decode(buf, a.len - 1u, mode, &b) == -1);
	}
	free(buf);
	return 0;
}
