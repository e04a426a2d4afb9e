/*
 * Port I/O exits: IN/OUT go to the I/O bus; INS/OUTS (with or without
 * REP) are emulated here, one whole transfer per exit rather than one exit
 * per element (SDM Vol. 2 "INS/INSB/INSW/INSD", "OUTS", "REP").
 */
#include "guest.h"
#include "iobus.h"
#include "lib.h"
#include "string_insn.h"
#include "x86.h"

static enum exit_action io_simple(struct vcpu *v, const struct vm_exit *e)
{
	unsigned size = e->u.io.size;

	if (e->u.io.in)
		v->gpr[GPR_RAX] = string_merge_reg(v->gpr[GPR_RAX], io_read(e->u.io.port, size), size);
	else
		io_write(e->u.io.port, size, (uint32_t)(v->gpr[GPR_RAX] & string_size_mask(size)));
	return vcpu_skip_insn(v, e);
}

static enum exit_action io_string(struct vcpu *v, const struct vm_exit *e)
{
	struct insn insn;
	struct guest_paging pg;
	struct guest_walk_result res = { 0 };
	unsigned size = e->u.io.size, addr_size;
	bool in = e->u.io.in;
	enum vm_gpr index_reg = in ? GPR_RDI : GPR_RSI;
	uint64_t amask, count, index, step, seg_base, fault_lin = 0;
	enum insn_mode mode = vcpu_insn_mode(v);

	if (vcpu_fetch_insn(v, &insn)) {
		guest_stop(-1, "cannot decode string I/O at rip %#llx", (unsigned long long)v->rip);
		return EXIT_STOP;
	}
	addr_size = string_addr_size(&insn, mode);
	amask = string_size_mask(addr_size);
	/* INS always writes ES:rDI; OUTS reads DS:rSI unless overridden. */
	seg_base = string_seg_base(v, &insn, in);
	count = insn.rep ? v->gpr[GPR_RCX] & amask : 1;
	index = v->gpr[index_reg] & amask;
	step = (v->rflags & RFLAGS_DF) ? -(uint64_t)size : size;
	vcpu_paging_state(v, &pg);

	for (unsigned n = 0; count && n < STRING_BATCH; n++, count--) {
		uint64_t lin = seg_base + index;
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
	v->gpr[index_reg] = string_merge_reg(v->gpr[index_reg], index, addr_size);
	if (insn.rep)
		v->gpr[GPR_RCX] = string_merge_reg(v->gpr[GPR_RCX], count, addr_size);
	if (res.fault && count) {
		string_fault(v, &res, fault_lin, in);
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
