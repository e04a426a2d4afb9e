/*
 * String instructions (MOVS/STOS/LODS/INS/OUTS) the monitor carries out
 * for the guest, element by element through its page tables (SDM Vol. 2
 * "MOVS", "STOS", "LODS", "INS", "OUTS" and "REP/REPE/REPNE").  Used for
 * string I/O (core/exit_io.c) and for string moves that touch an address
 * with no RAM behind it (core/exit_paging.c).
 */
#ifndef LAMINA_STRING_INSN_H
#define LAMINA_STRING_INSN_H

#include "guest.h"
#include "guest_walk.h"
#include "insn_decode.h"

/* At most this many elements per exit: a hostile count (RCX = 2^32 with a
 * 64-bit address size) cannot keep the monitor busy.  The instruction is
 * left unfinished with RCX/RSI/RDI updated, exactly as a CPU does when an
 * interrupt arrives in the middle of a REP string instruction. */
#define STRING_BATCH 65536

/* Address size of a string instruction: the mode's default, flipped by
 * 67h (SDM Vol. 1 3.6). */
unsigned string_addr_size(const struct insn *insn, enum insn_mode mode);

/* Base of the segment a string operand uses: ES for the destination,
 * DS (or the override) for the source; 0 in 64-bit mode except FS/GS. */
uint64_t string_seg_base(struct vcpu *v, const struct insn *insn, bool dest);

/* Replace the low `bytes` of a register, as a 16/32-bit write would;
 * 32-bit writes in 64-bit mode clear the upper half (SDM Vol. 1 3.4.1.1). */
uint64_t string_merge_reg(uint64_t old, uint64_t val, unsigned bytes);

/* One operand of a string instruction (source or destination) on its way
 * through the guest's page tables.  The last page it translated is kept,
 * so a REP string instruction walks the tables once per page, as a TLB
 * would, rather than once per byte; the walk sets the accessed (and, for
 * a written operand, dirty) bits once per page, as the CPU does. */
struct string_cursor {
	struct vcpu *v;
	const struct guest_paging *pg;
	uint64_t lin_mask;   /* outside 64-bit mode linear addresses wrap at 4 GiB */
	bool write;          /* the operand is written (INS, the MOVS/STOS destination) */
	bool cached;         /* page_lin/page_hva hold a translation */
	uint64_t page_lin;   /* linear address of the cached page */
	uint8_t *page_hva;   /* its host page; NULL: no RAM (or ROM being written) */
	struct guest_walk_result res; /* after a fault: what the walk found */
	uint64_t fault_lin;  /* after a fault: the linear address that faulted */
};

/* The bytes of one element: at most two pages. */
struct string_span {
	uint8_t *hva[2];     /* NULL: an empty bus (reads all-ones, writes dropped) */
	unsigned first;      /* bytes in the first page */
	unsigned size;
};

void string_cursor_init(struct string_cursor *c, struct vcpu *v, const struct guest_paging *pg,
			bool write);

/* Translate every byte of the element at lin before any of it moves: an
 * element that straddles into a page the guest cannot access faults with
 * neither page touched (SDM Vol. 3A 4.7).  false on a fault (c->res,
 * c->fault_lin say which). */
bool string_map(struct string_cursor *c, uint64_t lin, unsigned size, struct string_span *s);
void string_span_read(const struct string_span *s, void *buf);
void string_span_write(const struct string_span *s, const void *buf);

/* Raise the fault string_map() reported: #GP for a non-canonical address,
 * #PF otherwise (a page table outside RAM reads as all-ones from the empty
 * bus: present with reserved bits set). */
void string_fault(const struct string_cursor *c);

/* Carry out MOVS, STOS or LODS (with or without REP) that touched a
 * guest-physical hole.  EXIT_RESUME, or -1 if insn is none of them. */
int string_move_emulate(struct vcpu *v, const struct insn *insn);

#endif
