/*
 * Port I/O exits: IN/OUT go to the I/O bus; INS/OUTS (with or without
 * REP) are emulated here, one whole transfer per exit rather than one exit
 * per element (SDM Vol. 2 "INS/INSB/INSW/INSD", "OUTS", "REP").
 */
#include "guest.h"
#include "guest_walk.h"
#include "iobus.h"
#include "lib.h"
#include "x86.h"

/* At most this many elements per exit: a hostile count (RCX = 2^32 with a
 * 64-bit address size) cannot keep the monitor busy.  The instruction is
 * left unfinished with RCX/RSI/RDI updated, exactly as a CPU does when an
 * interrupt arrives in the middle of a REP string instruction. */
#define STRING_IO_BATCH 65536

static uint64_t size_mask(unsigned bytes)
{
	return bytes >= 8 ? ~0ull : (1ull << (bytes * 8)) - 1;
}

/* Replace the low `bytes` of a register, as a 16/32-bit write would;
 * 32-bit writes in 64-bit mode clear the upper half (SDM Vol. 1 3.4.1.1). */
static uint64_t merge_reg(uint64_t old, uint64_t val, unsigned bytes)
{
	if (bytes == 4 || bytes == 8)
		return val & size_mask(bytes);
	return (old & ~size_mask(bytes)) | (val & size_mask(bytes));
}

static enum exit_action io_simple(struct vcpu *v, const struct vm_exit *e)
{
	unsigned size = e->u.io.size;

	if (e->u.io.in)
		v->gpr[GPR_RAX] = merge_reg(v->gpr[GPR_RAX], io_read(e->u.io.port, size), size);
	else
		io_write(e->u.io.port, size, (uint32_t)(v->gpr[GPR_RAX] & size_mask(size)));
	return vcpu_skip_insn(v, e);
}

/*
 * Move one element between guest memory at a linear address and a
 * buffer.  Guest-physical addresses outside RAM read as all-ones and
 * swallow writes (like an unclaimed bus); a guest page fault is reported.
 */
static bool string_element(struct vcpu *v, const struct guest_paging *pg, uint64_t lin,
			   uint8_t *buf, unsigned size, bool to_guest, struct guest_walk_result *res,
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

static enum exit_action io_string(struct vcpu *v, const struct vm_exit *e)
{
	struct insn insn;
	struct guest_paging pg;
	struct guest_walk_result res = { 0 };
	struct vm_segment seg;
	unsigned size = e->u.io.size, addr_size;
	bool in = e->u.io.in;
	enum vm_gpr index_reg = in ? GPR_RDI : GPR_RSI;
	uint64_t amask, count, index, step, fault_lin = 0;
	enum insn_mode mode = vcpu_insn_mode(v);

	if (vcpu_fetch_insn(v, &insn)) {
		guest_stop(-1, "cannot decode string I/O at rip %#llx", (unsigned long long)v->rip);
		return EXIT_STOP;
	}
	/* Address size: the mode's default, flipped by 67h (SDM Vol. 1 3.6). */
	addr_size = mode == INSN_MODE_64 ? (insn.addrsize ? 4 : 8)
		    : (mode == INSN_MODE_32) != insn.addrsize ? 4 : 2;
	amask = size_mask(addr_size);
	/* INS always writes ES:rDI; OUTS reads DS:rSI unless overridden. */
	v->ops->get_seg(v, in ? SEG_ES : (insn.seg >= 0 ? (enum vm_seg)insn.seg : SEG_DS), &seg);
	if (mode == INSN_MODE_64 && (in || (insn.seg != INSN_SEG_FS && insn.seg != INSN_SEG_GS)))
		seg.base = 0;
	count = insn.rep ? v->gpr[GPR_RCX] & amask : 1;
	index = v->gpr[index_reg] & amask;
	step = (v->rflags & RFLAGS_DF) ? -(uint64_t)size : size;
	vcpu_paging_state(v, &pg);

	for (unsigned n = 0; count && n < STRING_IO_BATCH; n++, count--) {
		uint64_t lin = seg.base + index;
		uint32_t val = 0;

		if (mode != INSN_MODE_64)
			lin &= 0xffffffff;
		if (in) {
			val = io_read(e->u.io.port, size);
			if (!string_element(v, &pg, lin, (uint8_t *)&val, size, true, &res,
					    &fault_lin))
				break;
		} else {
			if (!string_element(v, &pg, lin, (uint8_t *)&val, size, false, &res,
					    &fault_lin))
				break;
			io_write(e->u.io.port, size, val);
		}
		index = (index + step) & amask;
	}
	v->gpr[index_reg] = merge_reg(v->gpr[index_reg], index, addr_size);
	if (insn.rep)
		v->gpr[GPR_RCX] = merge_reg(v->gpr[GPR_RCX], count, addr_size);
	if (res.fault && count) {
		/* A non-canonical address is #GP (SDM Vol. 3A 6.15).  A page
		 * table outside RAM reads as all-ones from the empty bus: present
		 * with reserved bits set, so #PF with P and RSVD. */
		if (res.noncanonical)
			vcpu_inject_exception(v, VEC_GP, true, 0);
		else if (res.bad_table)
			vcpu_inject_pf(v, fault_lin, PF_ERR_P | PF_ERR_RSVD | (in ? PF_ERR_W : 0));
		else
			vcpu_inject_pf(v, fault_lin, res.pf_error);
		return EXIT_RESUME;
	}
	if (count)
		return EXIT_RESUME; /* batch limit: the instruction runs again */
	vcpu_advance_rip(v, insn.len);
	return EXIT_RESUME;
}

enum exit_action exit_io(struct vcpu *v, const struct vm_exit *e)
{
	return e->u.io.string ? io_string(v, e) : io_simple(v, e);
}
