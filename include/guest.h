/*
 * The virtual machine lamina runs: one vCPU, its guest-physical memory and
 * the devices on its I/O bus.  core/guest.c builds it from the command
 * line and modules; core/vcpu_run.c runs it; core/exit_*.c handle exits.
 */
#ifndef LAMINA_GUEST_H
#define LAMINA_GUEST_H

#include "gpa_map.h"
#include "insn_decode.h"
#include "multiboot2.h"
#include "options.h"
#include "vmm.h"

/* What an exit handler tells the run loop. */
enum exit_action { EXIT_RESUME, EXIT_STOP };

struct guest {
	struct vcpu vcpu;
	struct gpa_map mem;
	uint8_t *ram;
	uint64_t ram_size;
	const struct lamina_options *opt;
	/* why the guest stopped */
	bool stopped;
	int exit_status; /* from the isa-debug-exit port, or -1 */
	char stop_why[160];
	uint64_t watchdog_ns; /* vclock time at which the watchdog stops it, or 0 */
	const struct boot_info *bi;
	enum boot_kind boot;
	const uint8_t *rom;   /* the BIOS image (boot=bios), read-only copy */
	uint64_t rom_size;
	bool reset_pending;   /* a CPU reset was requested during this exit */
	char reset_why[96];
	unsigned resets;
};

extern struct guest the_guest;

/* core/guest.c */
int guest_create(const struct lamina_options *o, const struct boot_info *bi,
		 const struct vmm_ops *ops);
/* A device asked for a CPU reset; the run loop performs it after the exit. */
void guest_request_reset(const char *why);
void guest_do_reset(void);
/* Make a BIOS shadow segment (0xC0000-0xFFFFF) writable or read-only. */
int guest_set_shadow_perm(uint64_t gpa, uint64_t size, bool writable);
/* core/vcpu_run.c: run until the guest stops, then print the statistics. */
void guest_run(void);
/* Stop the guest at the end of this exit, with a reason for the report. */
void guest_stop(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* core/vcpu_state.c: the guest's CPU as the core sees it */
/* Flat 32-bit protected mode, paging off, from a GDT lamina writes at
 * gdt_gpa: code segment at entry code_index, data at code_index + 1. */
void guest_enter_flat32(struct guest *g, uint64_t gdt_gpa, unsigned code_index);
enum insn_mode vcpu_insn_mode(struct vcpu *v);
uint64_t vcpu_linear_rip(struct vcpu *v);
int vcpu_fetch_insn(struct vcpu *v, struct insn *insn);
void vcpu_advance_rip(struct vcpu *v, unsigned len);
enum exit_action vcpu_skip_insn(struct vcpu *v, const struct vm_exit *e);
void vcpu_inject_exception(struct vcpu *v, uint8_t vector, bool has_error, uint32_t error);
void vcpu_inject_pf(struct vcpu *v, uint64_t gla, uint32_t error);
void vcpu_report(struct vcpu *v);
struct guest_paging;
void vcpu_paging_state(struct vcpu *v, struct guest_paging *pg);
bool guest_read_phys(void *ctx, uint64_t gpa, void *buf, size_t len);

/* core/exit_*.c: one handler per reason */
enum exit_action exit_io(struct vcpu *v, const struct vm_exit *e);
enum exit_action exit_cpuid(struct vcpu *v, const struct vm_exit *e);
enum exit_action exit_rdmsr(struct vcpu *v, const struct vm_exit *e);
enum exit_action exit_wrmsr(struct vcpu *v, const struct vm_exit *e);
enum exit_action exit_cr_access(struct vcpu *v, const struct vm_exit *e);
enum exit_action exit_paging(struct vcpu *v, const struct vm_exit *e);
enum exit_action exit_hlt(struct vcpu *v, const struct vm_exit *e);
enum exit_action exit_exception(struct vcpu *v, const struct vm_exit *e);
enum exit_action exit_undefined_insn(struct vcpu *v, const struct vm_exit *e);
enum exit_action exit_invd(struct vcpu *v, const struct vm_exit *e);
enum exit_action exit_xsetbv(struct vcpu *v, const struct vm_exit *e);
enum exit_action exit_triple_fault(struct vcpu *v, const struct vm_exit *e);
enum exit_action exit_entry_failed(struct vcpu *v, const struct vm_exit *e);
enum exit_action exit_unhandled(struct vcpu *v, const struct vm_exit *e);
enum exit_action exit_nothing_to_do(struct vcpu *v, const struct vm_exit *e);
enum exit_action exit_host_nmi(struct vcpu *v, const struct vm_exit *e);
enum exit_action exit_task_switch(struct vcpu *v, const struct vm_exit *e);

#endif
