/*
 * The monitor's string-instruction engine: one element at a time through
 * the guest's page tables, a bounded number of elements per exit.
 */
#include "lib.h"
#include "string_insn.h"
#include "x86.h"

unsigned string_addr_size(const struct insn *insn, enum insn_mode mode)
{
	if (mode == INSN_MODE_64)
		return insn->addrsize ? 4 : 8;
	return (mode == INSN_MODE_32) != insn->addrsize ? 4 : 2;
}

/* SDM Vol. 2 "MOVS": the destination is always ES:rDI (no override); the
 * source DS:rSI takes a segment override.  In 64-bit mode only FS and GS
 * have a base (SDM Vol. 1 3.3.7.1). */
uint64_t string_seg_base(struct vcpu *v, const struct insn *insn, bool dest)
{
	struct vm_segment seg;
	enum vm_seg which = dest ? SEG_ES : (insn->seg >= 0 ? (enum vm_seg)insn->seg : SEG_DS);

	if (vcpu_insn_mode(v) == INSN_MODE_64 &&
	    (dest || (insn->seg != INSN_SEG_FS && insn->seg != INSN_SEG_GS)))
		return 0;
	v->ops->get_seg(v, which, &seg);
	return seg.base;
}

uint64_t string_merge_reg(uint64_t old, uint64_t val, unsigned bytes)
{
	if (bytes == 4 || bytes == 8)
		return val & low_bytes_mask(bytes);
	return (old & ~low_bytes_mask(bytes)) | (val & low_bytes_mask(bytes));
}

void string_cursor_init(struct string_cursor *c, struct vcpu *v, const struct guest_paging *pg,
			bool write)
{
	*c = (struct string_cursor){ .v = v, .pg = pg, .write = write };
	c->lin_mask = vcpu_insn_mode(v) == INSN_MODE_64 ? ~0ull : 0xffffffffull;
}

/* The host page behind the linear page holding lin (lin page-aligned). */
static bool string_map_page(struct string_cursor *c, uint64_t lin, uint8_t **hva)
{
	if (!c->cached || c->page_lin != lin) {
		guest_walk(c->pg, guest_read_phys, c->v->mem, lin, c->write ? GW_WRITE : GW_READ,
			   &c->res);
		if (c->res.fault) {
			c->cached = false;
			c->fault_lin = lin;
			return false;
		}
		c->cached = true;
		c->page_lin = lin;
		c->page_hva = gpa_to_hva(c->v->mem, c->res.gpa & ~(PAGE_SIZE - 1), PAGE_SIZE,
					 c->write);
	}
	*hva = c->page_hva;
	return true;
}

bool string_map(struct string_cursor *c, uint64_t lin, unsigned size, struct string_span *s)
{
	uint64_t offset = lin & (PAGE_SIZE - 1);
	uint64_t second = (lin - offset + PAGE_SIZE) & c->lin_mask;

	s->size = size;
	s->first = offset + size > PAGE_SIZE ? (unsigned)(PAGE_SIZE - offset) : size;
	s->hva[1] = NULL;
	if (!string_map_page(c, lin - offset, &s->hva[0])) {
		c->fault_lin = lin;
		return false;
	}
	if (s->hva[0])
		s->hva[0] += offset;
	return s->first == size || string_map_page(c, second, &s->hva[1]);
}

/* Each part of the span: host memory, or the empty bus (NULL). */
void string_span_read(const struct string_span *s, void *buf)
{
	uint8_t *b = buf;

	if (s->hva[0])
		memcpy(b, s->hva[0], s->first);
	else
		memset(b, 0xff, s->first);
	if (s->hva[1])
		memcpy(b + s->first, s->hva[1], s->size - s->first);
	else
		memset(b + s->first, 0xff, s->size - s->first);
}

void string_span_write(const struct string_span *s, const void *buf)
{
	const uint8_t *b = buf;

	if (s->hva[0])
		memcpy(s->hva[0], b, s->first);
	if (s->hva[1])
		memcpy(s->hva[1], b + s->first, s->size - s->first);
}

void string_fault(const struct string_cursor *c)
{
	if (c->res.noncanonical)
		vcpu_inject_exception(c->v, VEC_GP, true, 0);
	else if (c->res.bad_table)
		vcpu_inject_pf(c->v, c->fault_lin,
			       PF_ERR_P | PF_ERR_RSVD | (c->write ? PF_ERR_W : 0));
	else
		vcpu_inject_pf(c->v, c->fault_lin, c->res.pf_error);
}

int string_move_emulate(struct vcpu *v, const struct insn *insn)
{
	uint8_t op = insn->opcode[0];
	bool stos = op == 0xaa || op == 0xab, lods = op == 0xac || op == 0xad;
	enum insn_mode mode = vcpu_insn_mode(v);
	struct guest_paging pg;
	struct string_cursor src, dst;
	struct string_span s, d;
	const struct string_cursor *fault = NULL;
	unsigned size, addr_size;
	uint64_t amask, count, si, di, step, src_base = 0, dst_base = 0, val = 0;

	if (insn->opcode_len != 1 || !(op == 0xa4 || op == 0xa5 || stos || lods))
		return -1;
	size = insn_operand_size(insn, mode, !(op & 1)); /* A4/AA/AC: byte forms */
	addr_size = string_addr_size(insn, mode);
	amask = low_bytes_mask(addr_size);
	count = insn->rep ? v->gpr[GPR_RCX] & amask : 1;
	si = v->gpr[GPR_RSI] & amask;
	di = v->gpr[GPR_RDI] & amask;
	step = (v->rflags & RFLAGS_DF) ? -(uint64_t)size : size;
	if (!stos)
		src_base = string_seg_base(v, insn, false);
	if (!lods)
		dst_base = string_seg_base(v, insn, true);
	if (stos)
		val = v->gpr[GPR_RAX] & low_bytes_mask(size);
	vcpu_paging_state(v, &pg);
	string_cursor_init(&src, v, &pg, false);
	string_cursor_init(&dst, v, &pg, true);
	for (unsigned n = 0; count && n < STRING_BATCH; n++, count--) {
		/* MOVS checks both operands before it writes (SDM Vol. 2 "MOVS"). */
		if (!stos && !string_map(&src, (src_base + si) & src.lin_mask, size, &s)) {
			fault = &src;
			break;
		}
		if (!lods && !string_map(&dst, (dst_base + di) & dst.lin_mask, size, &d)) {
			fault = &dst;
			break;
		}
		if (!stos)
			string_span_read(&s, &val);
		if (lods)
			v->gpr[GPR_RAX] = string_merge_reg(v->gpr[GPR_RAX], val, size);
		else
			string_span_write(&d, &val);
		if (!stos)
			si = (si + step) & amask;
		if (!lods)
			di = (di + step) & amask;
	}
	v->gpr[GPR_RSI] = string_merge_reg(v->gpr[GPR_RSI], si, addr_size);
	v->gpr[GPR_RDI] = string_merge_reg(v->gpr[GPR_RDI], di, addr_size);
	if (insn->rep)
		v->gpr[GPR_RCX] = string_merge_reg(v->gpr[GPR_RCX], count, addr_size);
	if (fault)
		string_fault(fault);
	else if (!count)
		vcpu_advance_rip(v, insn->len);
	return EXIT_RESUME;
}
