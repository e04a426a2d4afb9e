/*
 * x86 instruction decoder (SDM Vol. 2 chapter 2 "Instruction Format" and
 * Appendix A "Opcode Map"; APM Vol. 3 chapter 1 "Instruction Encoding").
 *
 * An instruction is laid out as (SDM Vol. 2 Figure 2-1)
 *
 *   legacy prefixes | REX | opcode (1-3 bytes) | ModRM | SIB | disp | imm
 *
 * or with a VEX/EVEX/XOP prefix standing for REX and the opcode escapes.
 * One attribute table per opcode map says whether a ModRM byte follows the
 * opcode and how long the immediate is; the prefixes and the mode give the
 * operand and address sizes, and the ModRM/SIB bytes the displacement.
 *
 * Not checked: reserved ModRM.reg values inside opcode groups (Table A-6)
 * and undefined entries of the 0F38/0F3A and VEX/EVEX/XOP maps.  They
 * decode to the length their encoding form implies; the CPU raises #UD.
 */
#include "insn_decode.h"

/*
 * Opcode attributes: what follows the opcode, after the operand types of
 * SDM Vol. 2 A.2.1 ("Codes for Addressing Method") and A.2.2 ("Codes for
 * Operand Type").  Immediate sizes add up (ENTER Iw,Ib; far pointer Ap).
 */
#define A_MODRM 0x0001 /* ModRM byte: operand types E, G, M, R, ... */
#define A_I8    0x0002 /* Ib */
#define A_I16   0x0004 /* Iw */
#define A_I32   0x0008 /* Id */
#define A_IZ    0x0010 /* Iz/Jz: word for 16-bit operand size, else dword */
#define A_IV    0x0020 /* Iv: word, dword or qword (MOV r, imm: B8+r) */
#define A_MOFFS 0x0040 /* Ob/Ov: an offset of the address size, no ModRM */
#define A_GRP3  0x0080 /* group 3 (F6/F7): the immediate is only for /0, /1 */
#define A_CRDR  0x0100 /* MOV CR/DR: mod is ignored, always a register (A.2.1 C, D) */
#define A_SSE4A 0x0200 /* 0F 78: 66 EXTRQ / F2 INSERTQ add Ib, Ib (APM Vol. 4) */
#define A_VEX   0x0400 /* C4/C5: VEX, or LES/LDS (2.3.5) */
#define A_EVEX  0x0800 /* 62: EVEX, or BOUND (2.7.1) */
#define A_XOP   0x1000 /* 8F: XOP, or POP Ev (APM Vol. 3 1.9) */
#define A_I64   0x2000 /* invalid in 64-bit mode (superscript i64) */
#define A_BAD   0x4000 /* undefined: #UD */

/* Short names for the tables below (undefined again after them). */
#define NO_ 0                            /* no ModRM, no immediate */
#define PFX 0                            /* prefix or escape, consumed before the lookup */
#define MR_ A_MODRM
#define MIb (A_MODRM | A_I8)
#define MIz (A_MODRM | A_IZ)
#define Ib_ A_I8
#define Iw_ A_I16
#define Iz_ A_IZ
#define Iv_ A_IV
#define IwB (A_I16 | A_I8)               /* ENTER Iw, Ib */
#define Ap_ (A_IZ | A_I16 | A_I64)       /* far JMP/CALL ptr16:16 / ptr16:32 */
#define Ov_ A_MOFFS
#define i64 A_I64
#define iIb (A_I64 | A_I8)
#define iMb (A_I64 | A_MODRM | A_I8)
#define VEX (A_VEX | A_MODRM | A_I64)
#define EVX (A_EVEX | A_MODRM | A_I64)
#define XOP (A_XOP | A_MODRM)
#define G3b (A_GRP3 | A_MODRM | A_I8)
#define G3z (A_GRP3 | A_MODRM | A_IZ)
#define CRx (A_CRDR | A_MODRM)
#define S4A (A_SSE4A | A_MODRM)
#define UD_ A_BAD

/* One-byte opcode map: SDM Vol. 2 Table A-2. */
static const uint16_t map_1byte[256] = {
/*        x0   x1   x2   x3   x4   x5   x6   x7   x8   x9   xA   xB   xC   xD   xE   xF */
/* 0x */ MR_, MR_, MR_, MR_, Ib_, Iz_, i64, i64, MR_, MR_, MR_, MR_, Ib_, Iz_, i64, PFX,
/* 1x */ MR_, MR_, MR_, MR_, Ib_, Iz_, i64, i64, MR_, MR_, MR_, MR_, Ib_, Iz_, i64, i64,
/* 2x */ MR_, MR_, MR_, MR_, Ib_, Iz_, PFX, i64, MR_, MR_, MR_, MR_, Ib_, Iz_, PFX, i64,
/* 3x */ MR_, MR_, MR_, MR_, Ib_, Iz_, PFX, i64, MR_, MR_, MR_, MR_, Ib_, Iz_, PFX, i64,
/* 4x */ NO_, NO_, NO_, NO_, NO_, NO_, NO_, NO_, NO_, NO_, NO_, NO_, NO_, NO_, NO_, NO_,
/* 5x */ NO_, NO_, NO_, NO_, NO_, NO_, NO_, NO_, NO_, NO_, NO_, NO_, NO_, NO_, NO_, NO_,
/* 6x */ i64, i64, EVX, MR_, PFX, PFX, PFX, PFX, Iz_, MIz, Ib_, MIb, NO_, NO_, NO_, NO_,
/* 7x */ Ib_, Ib_, Ib_, Ib_, Ib_, Ib_, Ib_, Ib_, Ib_, Ib_, Ib_, Ib_, Ib_, Ib_, Ib_, Ib_,
/* 8x */ MIb, MIz, iMb, MIb, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, XOP,
/* 9x */ NO_, NO_, NO_, NO_, NO_, NO_, NO_, NO_, NO_, NO_, Ap_, NO_, NO_, NO_, NO_, NO_,
/* Ax */ Ov_, Ov_, Ov_, Ov_, NO_, NO_, NO_, NO_, Ib_, Iz_, NO_, NO_, NO_, NO_, NO_, NO_,
/* Bx */ Ib_, Ib_, Ib_, Ib_, Ib_, Ib_, Ib_, Ib_, Iv_, Iv_, Iv_, Iv_, Iv_, Iv_, Iv_, Iv_,
/* Cx */ MIb, MIb, Iw_, NO_, VEX, VEX, MIb, MIz, IwB, NO_, Iw_, NO_, NO_, Ib_, i64, NO_,
/* Dx */ MR_, MR_, MR_, MR_, iIb, iIb, UD_, NO_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_,
/* Ex */ Ib_, Ib_, Ib_, Ib_, Ib_, Ib_, Ib_, Ib_, Iz_, Iz_, Ap_, Ib_, NO_, NO_, NO_, NO_,
/* Fx */ PFX, NO_, PFX, PFX, NO_, NO_, G3b, G3z, NO_, NO_, NO_, NO_, NO_, NO_, MR_, MR_,
};

/* Two-byte opcode map (0F xx): SDM Vol. 2 Table A-3, with the AMD entries
 * of APM Vol. 3 Appendix A (0D PREFETCH, 0E FEMMS, 0F 3DNow!, 78 SSE4A). */
static const uint16_t map_0f[256] = {
/*        x0   x1   x2   x3   x4   x5   x6   x7   x8   x9   xA   xB   xC   xD   xE   xF */
/* 0x */ MR_, MR_, MR_, MR_, UD_, NO_, NO_, NO_, NO_, NO_, UD_, NO_, UD_, MR_, NO_, MIb,
/* 1x */ MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_,
/* 2x */ CRx, CRx, CRx, CRx, UD_, UD_, UD_, UD_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_,
/* 3x */ NO_, NO_, NO_, NO_, NO_, NO_, UD_, NO_, PFX, UD_, PFX, UD_, UD_, UD_, UD_, UD_,
/* 4x */ MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_,
/* 5x */ MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_,
/* 6x */ MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_,
/* 7x */ MIb, MIb, MIb, MIb, MR_, MR_, MR_, NO_, S4A, MR_, UD_, UD_, MR_, MR_, MR_, MR_,
/* 8x */ Iz_, Iz_, Iz_, Iz_, Iz_, Iz_, Iz_, Iz_, Iz_, Iz_, Iz_, Iz_, Iz_, Iz_, Iz_, Iz_,
/* 9x */ MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_,
/* Ax */ NO_, NO_, NO_, MR_, MIb, MR_, UD_, UD_, NO_, NO_, NO_, MR_, MIb, MR_, MR_, MR_,
/* Bx */ MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MIb, MR_, MR_, MR_, MR_, MR_,
/* Cx */ MR_, MR_, MIb, MR_, MIb, MIb, MIb, MR_, NO_, NO_, NO_, NO_, NO_, NO_, NO_, NO_,
/* Dx */ MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_,
/* Ex */ MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_,
/* Fx */ MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_, MR_,
};

#undef NO_
#undef PFX
#undef MR_
#undef MIb
#undef MIz
#undef Ib_
#undef Iw_
#undef Iz_
#undef Iv_
#undef IwB
#undef Ap_
#undef Ov_
#undef i64
#undef iIb
#undef iMb
#undef VEX
#undef EVX
#undef XOP
#undef G3b
#undef G3z
#undef CRx
#undef S4A
#undef UD_

/*
 * Opcode maps are numbered as the VEX/EVEX mmmmm and XOP map_select fields
 * number them (SDM Vol. 2 2.3.6.1, 2.7.1; APM Vol. 3 1.9).  Maps 0 and 1
 * have the tables above; in every other map all opcodes share one form:
 * the three-byte maps 0F38 (Table A-4) and 0F3A (Table A-5), EVEX maps 5
 * and 6 (AVX512-FP16), and XOP maps 8, 9 and 0A (APM Vol. 3 Appendix A).
 */
enum { MAP_0F = 1, MAP_0F38, MAP_0F3A, MAP_LAST = 10 };

static const uint16_t map_uniform[MAP_LAST + 1] = {
	[MAP_0F38] = A_MODRM,
	[MAP_0F3A] = A_MODRM | A_I8,
	[5] = A_MODRM,
	[6] = A_MODRM,
	[8] = A_MODRM | A_I8,
	[9] = A_MODRM,
	[10] = A_MODRM | A_I32,
};

/* Maps each prefix may select (bit n = map n). */
#define VEX_MAPS  (BIT(MAP_0F) | BIT(MAP_0F38) | BIT(MAP_0F3A))
#define EVEX_MAPS (VEX_MAPS | BIT(5) | BIT(6))
#define XOP_MAPS  (BIT(8) | BIT(9) | BIT(10))

/* REX prefix bits (SDM Vol. 2 2.2.1.2, Table 2-4). */
#define REX_W 0x8
#define REX_R 0x4
#define REX_X 0x2
#define REX_B 0x1

struct dec {
	const uint8_t *buf;
	size_t lim;          /* bytes that may be read: min(avail, 15) */
	size_t pos;
	enum insn_mode mode;
	uint8_t ext;         /* REX.WRXB, or the equivalent VEX/EVEX/XOP bits */
	struct insn in;
};

/* Next instruction byte, unless that would pass avail or 15 bytes. */
static bool fetch(struct dec *d, uint8_t *b)
{
	if (d->pos >= d->lim)
		return false;
	*b = d->buf[d->pos++];
	return true;
}

/* n (<= 8) bytes, little-endian (SDM Vol. 1 1.3.1 "Bit and Byte Order"). */
static bool fetch_le(struct dec *d, unsigned n, uint64_t *v)
{
	*v = 0;
	for (unsigned i = 0; i < n; i++) {
		uint8_t b;

		if (!fetch(d, &b))
			return false;
		*v |= (uint64_t)b << (8 * i);
	}
	return true;
}

/* Effective operand size in bytes: SDM Vol. 1 3.6 Table 3-3 (66 flips the
 * 16/32-bit default) and Table 3-4 (64-bit mode: REX.W wins over 66). */
static unsigned operand_size(const struct dec *d)
{
	switch (d->mode) {
	case INSN_MODE_16:
		return d->in.opsize ? 4 : 2;
	case INSN_MODE_32:
		return d->in.opsize ? 2 : 4;
	default:
		return (d->ext & REX_W) ? 8 : d->in.opsize ? 2 : 4;
	}
}

/* Effective address size in bytes: the same tables, with 67. */
static unsigned address_size(const struct dec *d)
{
	switch (d->mode) {
	case INSN_MODE_16:
		return d->in.addrsize ? 4 : 2;
	case INSN_MODE_32:
		return d->in.addrsize ? 2 : 4;
	default:
		return d->in.addrsize ? 4 : 8;
	}
}

/* Legacy prefixes (SDM Vol. 2 2.1.1), any number in any order, and in
 * 64-bit mode REX (2.2.1), which only counts directly before the opcode:
 * a legacy prefix after it cancels it.  Stores the first other byte. */
static bool decode_prefixes(struct dec *d, uint8_t *op)
{
	struct insn *in = &d->in;
	uint8_t b;

	while (fetch(d, &b)) {
		switch (b) {
		case 0xF0: in->lock = true; break;
		case 0xF2:
		case 0xF3: in->rep = b; break;
		case 0x26: in->seg = INSN_SEG_ES; break;
		case 0x2E: in->seg = INSN_SEG_CS; break;
		case 0x36: in->seg = INSN_SEG_SS; break;
		case 0x3E: in->seg = INSN_SEG_DS; break;
		case 0x64: in->seg = INSN_SEG_FS; break;
		case 0x65: in->seg = INSN_SEG_GS; break;
		case 0x66: in->opsize = true; break;
		case 0x67: in->addrsize = true; break;
		default:
			if (d->mode == INSN_MODE_64 && (b & 0xF0) == 0x40) {
				in->rex = b;
				continue;
			}
			*op = b;
			return true;
		}
		in->rex = 0;
	}
	return false;
}

/* The opcode after the prefixes: one byte, 0F xx, 0F 38 xx or 0F 3A xx
 * (SDM Vol. 2 2.1.2).  Returns its attributes, or A_BAD. */
static uint16_t decode_opcode(struct dec *d, uint8_t op)
{
	struct insn *in = &d->in;
	uint16_t a;

	in->opcode[in->opcode_len++] = op;
	if (op != 0x0F) {
		a = map_1byte[op];
	} else {
		if (!fetch(d, &op))
			return A_BAD;
		in->opcode[in->opcode_len++] = op;
		a = map_0f[op];
		if (op == 0x38 || op == 0x3A) {
			a = map_uniform[op == 0x38 ? MAP_0F38 : MAP_0F3A];
			if (!fetch(d, &op))
				return A_BAD;
			in->opcode[in->opcode_len++] = op;
		}
	}
	if ((a & A_I64) && d->mode == INSN_MODE_64)
		return A_BAD;
	return a;
}

/* Is this C4/C5/62/8F a VEX/EVEX/XOP prefix (next = the byte after it)?
 * Outside 64-bit mode C4/C5/62 are LES/LDS/BOUND unless the next byte
 * would be a register-form ModRM, which those do not allow (SDM Vol. 2
 * 2.3.5, 2.7.1).  8F /0 (POP Ev) has ModRM.reg = 0, so an XOP map_select
 * of 8 or more cannot be one (APM Vol. 3 1.9). */
static bool is_vex_form(const struct dec *d, uint16_t a, uint8_t next)
{
	if (a & A_XOP)
		return (next & 0x1F) >= 8;
	return d->mode == INSN_MODE_64 || next >= 0xC0;
}

/*
 * VEX (SDM Vol. 2 2.3.5), EVEX (2.7.1) and XOP (APM Vol. 3 1.9) prefixes
 * and the opcode after them.  They replace REX and the escapes, so
 * 66/F2/F3/LOCK/REX before them are #UD (2.3.2-2.3.4).  The
 * opcode always has a ModRM byte, except VZEROUPPER/VZEROALL (VEX 0F 77);
 * map 0F opcodes take an imm8 where their legacy forms do (Table A-3).
 */
static uint16_t decode_vex(struct dec *d, uint8_t esc)
{
	struct insn *in = &d->in;
	unsigned n = esc == 0xC5 ? 1 : esc == 0x62 ? 3 : 2;
	uint8_t p[3] = { 0 }, op;
	unsigned map;

	if (in->opsize || in->rep || in->lock || in->rex)
		return A_BAD;
	for (unsigned i = 0; i < n; i++)
		if (!fetch(d, &p[i]))
			return A_BAD;
	/* First payload byte: C5 ~R ~vvvv L pp; C4/8F ~R ~X ~B m-mmmm;
	 * 62 ~R ~X ~B ~R' 0 mmm.  R, X and B only exist in 64-bit mode. */
	if (esc == 0xC5) {
		map = MAP_0F;
		d->ext = ((uint8_t)~p[0] >> 5) & REX_R;
	} else {
		map = p[0] & (esc == 0x62 ? 0x07 : 0x1F);
		d->ext = ((uint8_t)~p[0] >> 5) & (REX_R | REX_X | REX_B);
	}
	if (d->mode != INSN_MODE_64)
		d->ext = 0;
	if (esc == 0x62 && !(p[1] & 0x04))
		return A_BAD; /* EVEX P1 bit 2 is fixed at 1 */
	if (!((esc == 0x62 ? EVEX_MAPS : esc == 0x8F ? XOP_MAPS : VEX_MAPS) & BIT(map)))
		return A_BAD;
	if (!fetch(d, &op))
		return A_BAD;
	in->vex = esc;
	in->vex_map = (uint8_t)map;
	in->prefix_len = (uint8_t)(d->pos - 1);
	in->opcode[in->opcode_len++] = op;
	if (map != MAP_0F)
		return map_uniform[map];
	if (esc != 0x62 && op == 0x77)
		return 0;
	return A_MODRM | (map_0f[op] & A_I8);
}

/* A displacement of n bytes, sign-extended (SDM Vol. 2 2.1.5). */
static bool decode_disp(struct dec *d, unsigned n)
{
	uint64_t v;

	if (!fetch_le(d, n, &v))
		return false;
	d->in.disp_len = (uint8_t)n;
	d->in.disp = n == 1 ? (int8_t)v : n == 2 ? (int16_t)v : (int32_t)v;
	return true;
}

/*
 * ModRM, SIB and displacement (SDM Vol. 2 2.1.5).  16-bit addressing
 * (Table 2-1): no SIB, mod=00 rm=110 is a bare disp16.  32/64-bit
 * addressing (Tables 2-2, 2-3): rm=100 brings a SIB byte, mod=00 rm=101
 * is a bare disp32 (RIP-relative in 64-bit mode, 2.2.1.6), and so is a
 * SIB base of 101 with mod=00.  REX.B never changes these cases (2.2.1.2).
 * reg_form: MOV CR/DR, which treat any mod as 11 (no SIB, no disp).
 */
static bool decode_modrm(struct dec *d, bool reg_form)
{
	struct insn *in = &d->in;
	uint8_t m;
	unsigned rm3, disp = 0;

	if (!fetch(d, &m))
		return false;
	rm3 = m & 7;
	in->has_modrm = true;
	in->modrm = m;
	in->mod = reg_form ? 3 : m >> 6;
	in->reg = (uint8_t)(((m >> 3) & 7) | ((d->ext & REX_R) ? 8 : 0));
	in->rm = (uint8_t)(rm3 | ((d->ext & REX_B) ? 8 : 0));
	if (in->mod == 3)
		return true;
	if (address_size(d) == 2) {
		if (in->mod == 1)
			disp = 1;
		else if (in->mod == 2 || rm3 == 6)
			disp = 2;
	} else {
		if (rm3 == 4) {
			if (!fetch(d, &in->sib))
				return false;
			in->has_sib = true;
		}
		if (in->mod == 1)
			disp = 1;
		else if (in->mod == 2 || rm3 == 5 || (in->has_sib && (in->sib & 7) == 5))
			disp = 4;
	}
	return disp == 0 || decode_disp(d, disp);
}

/* Immediate bytes implied by the attributes (A.2.2), operand size and,
 * for group 3 and SSE4A, the ModRM byte and mandatory prefix.  Jz in 64-bit
 * mode follows AMD (APM Vol. 3 1.2.2, lamina's SVM target): 66 selects a
 * rel16; Intel CPUs ignore 66 there and read a rel32 (SDM Vol. 2 JMP). */
static unsigned imm_size(const struct dec *d, uint16_t a)
{
	const struct insn *in = &d->in;
	unsigned n = 0;

	if ((a & A_GRP3) && (in->reg & 7) > 1)
		return 0;
	if ((a & A_SSE4A) && (in->rep == 0xF2 || (in->rep == 0 && in->opsize)))
		n += 2;
	if (a & A_I8)
		n += 1;
	if (a & A_I16)
		n += 2;
	if (a & A_I32)
		n += 4;
	if (a & A_IZ)
		n += operand_size(d) == 2 ? 2 : 4;
	if (a & A_IV)
		n += operand_size(d);
	return n;
}

int insn_decode(const uint8_t *buf, size_t avail, enum insn_mode mode, struct insn *out)
{
	struct dec d = { .buf = buf, .lim = avail < INSN_MAX_LEN ? avail : INSN_MAX_LEN,
			 .mode = mode };
	struct insn *in = &d.in;
	uint16_t a;
	uint8_t op;
	unsigned n;

	in->seg = -1;
	if (!decode_prefixes(&d, &op))
		return -1;
	in->prefix_len = (uint8_t)(d.pos - 1);
	d.ext = in->rex & 0x0F;
	a = map_1byte[op];
	if ((a & (A_VEX | A_EVEX | A_XOP)) && d.pos < d.lim && is_vex_form(&d, a, buf[d.pos]))
		a = decode_vex(&d, op);
	else
		a = decode_opcode(&d, op);
	if (a & A_BAD)
		return -1;
	if ((a & A_MODRM) && !decode_modrm(&d, a & A_CRDR))
		return -1;
	if (a & A_MOFFS) {
		uint64_t off;

		n = address_size(&d);
		if (!fetch_le(&d, n, &off))
			return -1;
		in->disp_len = (uint8_t)n;
		in->disp = (int64_t)off;
	}
	n = imm_size(&d, a);
	if (!fetch_le(&d, n, &in->imm))
		return -1;
	in->imm_len = (uint8_t)n;
	in->len = (uint8_t)d.pos;
	*out = *in;
	return 0;
}

unsigned insn_operand_size(const struct insn *insn, enum insn_mode mode, bool byte_form)
{
	if (byte_form)
		return 1;
	if (insn->rex & 8)
		return 8;
	if (mode == INSN_MODE_16)
		return insn->opsize ? 4 : 2;
	return insn->opsize ? 2 : 4;
}
