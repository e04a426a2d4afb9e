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

/* All-ones in the low `bytes` bytes (8 or more: all 64 bits). */
uint64_t string_size_mask(unsigned bytes);

/* Replace the low `bytes` of a register, as a 16/32-bit write would;
 * 32-bit writes in 64-bit mode clear the upper half (SDM Vol. 1 3.4.1.1). */
uint64_t string_merge_reg(uint64_t old, uint64_t val, unsigned bytes);

/* Move one element between guest memory at a linear address and buf.
 * Guest-physical addresses outside RAM read as all-ones and swallow writes
 * (an empty bus).  false on a guest page fault (res says which, *fault_lin
 * where). */
bool string_element(struct vcpu *v, const struct guest_paging *pg, uint64_t lin, uint8_t *buf,
		    unsigned size, bool to_guest, struct guest_walk_result *res,
		    uint64_t *fault_lin);

/* Raise the fault string_element() reported: #GP for a non-canonical
 * address, #PF otherwise (a page table outside RAM reads as all-ones from
 * the empty bus: present with reserved bits set). */
void string_fault(struct vcpu *v, const struct guest_walk_result *res, uint64_t fault_lin,
		  bool write);

/* Carry out MOVS, STOS or LODS (with or without REP) that touched a
 * guest-physical hole.  EXIT_RESUME, or -1 if insn is none of them. */
int string_move_emulate(struct vcpu *v, const struct insn *insn);

#endif
