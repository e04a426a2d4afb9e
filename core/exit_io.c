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
		io_write(e->u.io.port, size, (uint32_t)(v->gpr[GPR_RAX] & low_bytes_mask(size)));
	return vcpu_skip_insn(v, e);
}

static enum exit_action io_string(struct vcpu *v, const struct vm_exit *e)
{
	struct insn insn;
	struct guest_paging pg;
	struct string_cursor mem;
	struct string_span span;
	unsigned size = e->u.io.size, addr_size;
	bool in = e->u.io.in, fault = false;
	enum vm_gpr index_reg = in ? GPR_RDI : GPR_RSI;
	uint64_t amask, count, index, step, seg_base;
	enum insn_mode mode = vcpu_insn_mode(v);

	if (vcpu_fetch_insn(v, &insn)) {
		guest_stop(-1, "cannot decode string I/O at rip %#llx", (unsigned long long)v->rip);
		return EXIT_STOP;
	}
	addr_size = string_addr_size(&insn, mode);
	amask = low_bytes_mask(addr_size);
	/* INS always writes ES:rDI; OUTS reads DS:rSI unless overridden. */
	seg_base = string_seg_base(v, &insn, in);
	count = insn.rep ? v->gpr[GPR_RCX] & amask : 1;
	index = v->gpr[index_reg] & amask;
	step = (v->rflags & RFLAGS_DF) ? -(uint64_t)size : size;
	vcpu_paging_state(v, &pg);
	string_cursor_init(&mem, v, &pg, in);

	for (unsigned n = 0; count && n < STRING_BATCH; n++, count--) {
		uint32_t val = 0;

		/* The memory operand is checked before the port is touched, so
		 * a fault leaves the device's data where it was (an INS that
		 * faults has not consumed a byte of the port's FIFO). */
		if (!string_map(&mem, (seg_base + index) & mem.lin_mask, size, &span)) {
			fault = true;
			break;
		}
		if (in) {
			val = io_read(e->u.io.port, size);
			string_span_write(&span, &val);
		} else {
			string_span_read(&span, &val);
			io_write(e->u.io.port, size, val);
		}
		index = (index + step) & amask;
	}
	v->gpr[index_reg] = string_merge_reg(v->gpr[index_reg], index, addr_size);
	if (insn.rep)
		v->gpr[GPR_RCX] = string_merge_reg(v->gpr[GPR_RCX], count, addr_size);
	if (fault) {
		string_fault(&mem);
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
