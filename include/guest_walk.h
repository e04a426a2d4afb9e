/*
 * Guest page-table walker: guest linear -> guest physical address in every
 * paging mode (SDM Vol. 3A chapter 5 "Paging"; APM Vol. 2 chapter 5), with
 * the access checks and #PF error code the CPU would produce.
 *
 * Page-table memory is read through a callback, so the walker never touches
 * memory itself and a table outside guest RAM ends the walk cleanly.
 *
 * Accessed and Dirty flags are NOT set (the CPU sets A in every entry it
 * uses and D in the final one on a write).  Lamina walks for instruction
 * fetch (the CPU set A when it fetched those bytes), string I/O sources
 * (reads) and INS destinations (writes).  The implication: a page that
 * lamina writes for an emulated INS does not get its D flag set, so a guest
 * relying on D (dirty tracking, page write-back) may miss that write unless
 * the caller sets D itself.
 *
 * Not checked: SMAP (needs RFLAGS.AC) and protection keys.  SMEP is.
 */
#ifndef LAMINA_GUEST_WALK_H
#define LAMINA_GUEST_WALK_H

#include "types.h"

/* The guest's paging controls, as saved in the VMCB/VMCS. */
struct guest_paging {
	uint64_t cr0, cr3, cr4, efer;
	uint8_t cpl;
	uint8_t maxphyaddr; /* guest CPUID 80000008H EAX[7:0]; 0 (or out of 32..52) = 52 */
};

/* Read len bytes of guest-physical memory; false if gpa is not readable
 * guest RAM.  The walker reads 4- or 8-byte entries, naturally aligned. */
typedef bool (*guest_read_fn)(void *ctx, uint64_t gpa, void *buf, size_t len);

enum { GW_READ = 0, GW_WRITE = 1, GW_FETCH = 2 };

/* #PF error code bits (SDM Vol. 3A 5.7, APM Vol. 2 8.4.2). */
#define PF_ERR_P    BIT(0) /* 0: not present, 1: protection or reserved bit */
#define PF_ERR_W    BIT(1) /* the access was a write */
#define PF_ERR_US   BIT(2) /* the access was made at CPL 3 */
#define PF_ERR_RSVD BIT(3) /* a reserved bit was set in a paging entry */
#define PF_ERR_ID   BIT(4) /* instruction fetch (with NXE and PAE, or SMEP) */

struct guest_walk_result {
	uint64_t gpa;      /* the translation; on bad_table / bad_data the gpa
			    * that could not be read */
	uint32_t pf_error; /* #PF error code when fault and neither flag below */
	bool fault;        /* the access fails; inject #PF(pf_error) unless: */
	bool bad_table;    /* a paging entry lies outside guest RAM: no #PF */
	bool bad_data;     /* guest_copy_from_linear: the data page itself
			    * is not guest RAM: no #PF */
	bool noncanonical; /* long mode, non-canonical address: #GP(0) (or
			    * #SS(0) for a stack reference), not #PF */
};

/* Translate gla for access (GW_READ, GW_WRITE or GW_FETCH) at pg->cpl.
 * Outside long mode linear addresses are 32 bits: gla is truncated. */
void guest_walk(const struct guest_paging *pg, guest_read_fn rd, void *ctx, uint64_t gla,
		unsigned access, struct guest_walk_result *res);

/* Copy len bytes at linear address gla, page by page (read access).  For
 * instruction bytes this is enough: a page the CPU could fetch from is
 * readable.  Returns 0, or -1 with *fault describing the first failure;
 * buf may then be partly filled. */
int guest_copy_from_linear(const struct guest_paging *pg, guest_read_fn rd, void *ctx,
			   uint64_t gla, void *buf, size_t len, struct guest_walk_result *fault);

#endif
