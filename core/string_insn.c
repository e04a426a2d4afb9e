/*
 * The monitor's string-instruction engine: one element at a time through
 * the guest's page tables, a bounded number of elements per exit.
 */
#include "lib.h"
#include "string_insn.h"
#include "x86.h"

uint64_t string_size_mask(unsigned bytes)
{
	return bytes >= 8 ? ~0ull : (1ull << (bytes * 8)) - 1;
}

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
		return val & string_size_mask(bytes);
	return (old & ~string_size_mask(bytes)) | (val & string_size_mask(bytes));
}

bool string_element(struct vcpu *v, const struct guest_paging *pg, uint64_t lin, uint8_t *buf,
		    unsigned size, bool to_guest, struct guest_walk_result *res,
		    uint64_t *fault_lin)
{
	for (unsigned i = 0; i < size; i++) {
		uint8_t *p;

		guest_walk(pg, guest_read_phys, v->mem, lin + i, to_guest ? GW_WRITE : GW_READ, res);
		if (res->fault) {
			*fault_lin = lin + i;
			return false;
		}
		p = gpa_to_hva(v->mem, res->gpa, 1, to_guest);
		if (to_guest) {
			if (p)
				*p = buf[i];
		} else {
			buf[i] = p ? *p : 0xff;
		}
	}
	return true;
}

void string_fault(struct vcpu *v, const struct guest_walk_result *res, uint64_t fault_lin,
		  bool write)
{
	if (res->noncanonical)
		vcpu_inject_exception(v, VEC_GP, true, 0);
	else if (res->bad_table)
		vcpu_inject_pf(v, fault_lin, PF_ERR_P | PF_ERR_RSVD | (write ? PF_ERR_W : 0));
	else
		vcpu_inject_pf(v, fault_lin, res->pf_error);
}

int string_move_emulate(struct vcpu *v, const struct insn *insn)
{
	uint8_t op = insn->opcode[0];
	bool movs = op == 0xa4 || op == 0xa5, stos = op == 0xaa || op == 0xab,
	     lods = op == 0xac || op == 0xad;
	enum insn_mode mode = vcpu_insn_mode(v);
	struct guest_paging pg;
	struct guest_walk_result res = { 0 };
	unsigned size, addr_size;
	uint64_t amask, count, si, di, step, src_base = 0, dst_base = 0, fault_lin = 0, val = 0;
	bool fault_write = false;

	if (insn->opcode_len != 1 || !(movs || stos || lods))
		return -1;
	size = insn_operand_size(insn, mode, !(op & 1)); /* A4/AA/AC: byte forms */
	addr_size = string_addr_size(insn, mode);
	amask = string_size_mask(addr_size);
	count = insn->rep ? v->gpr[GPR_RCX] & amask : 1;
	si = v->gpr[GPR_RSI] & amask;
	di = v->gpr[GPR_RDI] & amask;
	step = (v->rflags & RFLAGS_DF) ? -(uint64_t)size : size;
	if (!stos)
		src_base = string_seg_base(v, insn, false);
	if (!lods)
		dst_base = string_seg_base(v, insn, true);
	if (stos)
		val = v->gpr[GPR_RAX] & string_size_mask(size);
	vcpu_paging_state(v, &pg);
	for (unsigned n = 0; count && n < STRING_BATCH; n++, count--) {
		uint64_t src = src_base + si, dst = dst_base + di;

		if (mode != INSN_MODE_64) {
			src &= 0xffffffff;
			dst &= 0xffffffff;
		}
		if (!stos && !string_element(v, &pg, src, (uint8_t *)&val, size, false, &res,
					     &fault_lin))
			break;
		if (lods) {
			v->gpr[GPR_RAX] = string_merge_reg(v->gpr[GPR_RAX], val, size);
		} else if (!string_element(v, &pg, dst, (uint8_t *)&val, size, true, &res,
					   &fault_lin)) {
			fault_write = true;
			break;
		}
		if (!stos)
			si = (si + step) & amask;
		if (!lods)
			di = (di + step) & amask;
	}
	v->gpr[GPR_RSI] = string_merge_reg(v->gpr[GPR_RSI], si, addr_size);
	v->gpr[GPR_RDI] = string_merge_reg(v->gpr[GPR_RDI], di, addr_size);
	if (insn->rep)
		v->gpr[GPR_RCX] = string_merge_reg(v->gpr[GPR_RCX], count, addr_size);
	if (res.fault && count)
		string_fault(v, &res, fault_lin, fault_write);
	else if (!count)
		vcpu_advance_rip(v, insn->len);
	return EXIT_RESUME;
}
