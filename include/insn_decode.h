/*
 * x86 instruction decoder: length and encoding fields of one instruction
 * (SDM Vol. 2 chapter 2 "Instruction Format", Appendix A "Opcode Map").
 *
 * The monitor needs it when the hardware does not say enough: without SVM
 * NRIP save it must find the next RIP of an intercepted instruction itself,
 * and without decode assists the register operand of MOV CR / LMSW.  It only
 * decodes the encoding; it never executes or checks privileges.
 */
#ifndef LAMINA_INSN_DECODE_H
#define LAMINA_INSN_DECODE_H

#include "types.h"

#define INSN_MAX_LEN 15 /* SDM Vol. 2 2.3.11: longer instructions raise #GP */

/* Default operand/address size of the code segment: real mode, virtual-8086
 * and 16-bit protected mode = 16; CS.D=1 = 32; CS.L=1 in long mode = 64. */
enum insn_mode { INSN_MODE_16, INSN_MODE_32, INSN_MODE_64 };

enum insn_seg { INSN_SEG_ES, INSN_SEG_CS, INSN_SEG_SS, INSN_SEG_DS, INSN_SEG_FS, INSN_SEG_GS };

struct insn {
	uint8_t len;        /* total length in bytes, 1..15 */
	uint8_t prefix_len; /* legacy + REX bytes, plus the VEX/EVEX/XOP bytes */
	bool opsize;        /* 0x66 seen */
	bool addrsize;      /* 0x67 seen */
	uint8_t rep;        /* 0, 0xF2 or 0xF3 (the last one seen) */
	int8_t seg;         /* last segment override (enum insn_seg) or -1; in
			     * 64-bit mode only FS/GS have an effect (SDM 3.3.7.1) */
	bool lock;
	uint8_t rex;        /* the REX byte in effect, 0 if none (64-bit mode only) */
	uint8_t vex;        /* 0, or the escape of a VEX (0xC4/0xC5), EVEX (0x62) or
			     * XOP (0x8F) prefix; opcode[0] is then the opcode byte */
	uint8_t vex_map;    /* the opcode map selected by that prefix (1 = 0F, ...) */
	uint8_t opcode[3];  /* e.g. {0x0F, 0x20} for MOV r,CRn */
	uint8_t opcode_len; /* 1, 2 or 3 */
	bool has_modrm;
	uint8_t modrm, mod; /* MOV CR/DR: mod reads as 3 whatever the byte says */
	uint8_t reg, rm;    /* with REX.R / REX.B (or the VEX/EVEX/XOP R, B bits) in
			     * bit 3; with a SIB byte B extends the base instead */
	bool has_sib;
	uint8_t sib;
	uint8_t disp_len;   /* 0, 1, 2, 4, or for MOV moffs 2, 4 or 8 */
	uint8_t imm_len;    /* total immediate bytes (ENTER: 3, far pointer: 4 or 6) */
	int64_t disp;       /* sign-extended; a MOV moffs offset is zero-extended */
	uint64_t imm;       /* immediate bytes read little-endian: ENTER iw | ib << 16,
			     * far pointer offset | selector << 16 or 32 */
};

/* Decode the instruction at buf[0..avail).  Returns 0 and fills *out, or -1
 * if the encoding is invalid in this mode, longer than 15 bytes, or needs
 * more than avail bytes.  Never reads past buf[avail - 1]. */
int insn_decode(const uint8_t *buf, size_t avail, enum insn_mode mode, struct insn *out);

/* Operand size of an instruction with byte and full-size forms (SDM Vol. 2
 * 3.1.1.1): 1 for the byte form, else 16/32/64 bits from the mode, 66h
 * and REX.W, in bytes. */
unsigned insn_operand_size(const struct insn *insn, enum insn_mode mode, bool byte_form);

#endif
