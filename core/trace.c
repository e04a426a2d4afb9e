/*
 * The VM-exit trace: per-reason counters (always), and with trace= on a
 * fixed-size record per exit (include/trace_record.h) built from the
 * neutral struct vm_exit and the vCPU.  Records go to the summary tables
 * (core/trace_summary.c, every exit) and, when they pass the filters
 * (trace.reason/port/first/every), into a ring of the last exits, the
 * live printer (core/trace_live.c) and the binary dump (core/trace_dump.c).
 */
#include "hosttimer.h"
#include "iobus.h"
#include "kprintf.h"
#include "trace.h"
#include "x86.h"

#define TRACE_RING_SIZE 256 /* the last exits, for Ctrl-A h */
#define TRACE_RECENT 16     /* how many of them Ctrl-A h shows */

static struct trace_options opt;
static const char *backend_name;
static bool live_on;        /* live lines: trace=live, or toggled with Ctrl-A l */
static uint64_t exit_count[EXIT_REASON_COUNT];
static uint64_t exit_cycles[EXIT_REASON_COUNT];
static uint64_t seq, matched, emitted;
static uint64_t tsc_exit, rax_before, rcx_before;
static uint64_t trace_cycles, start_tsc;
static struct {
	bool valid;
	uint8_t vector, type;
} inj;                      /* the last event injected since the exit */
static struct trace_record pending; /* built by trace_end, sent by trace_resume */
static bool have_pending;
static char pending_explain[80];
static struct trace_record ring[TRACE_RING_SIZE];

struct trace_device_names trace_devices;

void trace_init(const struct trace_options *o, const char *backend, uint16_t dump_port)
{
	opt = *o;
	backend_name = backend;
	live_on = opt.mode == TRACE_LIVE;
	start_tsc = rdtsc();
	if (opt.mode == TRACE_DUMP && trace_dump_start(dump_port, backend, clock_tsc_hz()))
		opt.mode = TRACE_SUMMARY;
}

/* Device names get a small id the first time an exit uses them. */
uint8_t trace_device_id(const char *name)
{
	if (!name)
		name = "unclaimed";
	for (unsigned i = 0; i < trace_devices.n; i++)
		if (trace_devices.name[i] == name)
			return (uint8_t)i;
	if (trace_devices.n == TRACE_NO_DEVICE)
		return TRACE_NO_DEVICE;
	trace_devices.name[trace_devices.n] = name;
	return (uint8_t)trace_devices.n++;
}

/* The CPU mode: CR0.PE, RFLAGS.VM, EFER.LMA with CS.L, CS.D (SDM Vol. 3A
 * 2.2 and 3.4.5; APM Vol. 2 1.2). */
static uint8_t cpu_mode(struct vcpu *v, const struct vm_segment *cs)
{
	if (!(v->ops->get_reg(v, VM_REG_CR0) & CR0_PE))
		return TMODE_REAL;
	if (v->rflags & RFLAGS_VM)
		return TMODE_V86;
	if ((v->ops->get_reg(v, VM_REG_EFER) & EFER_LMA) && (cs->attr & SEG_ATTR_L))
		return TMODE_LONG;
	return (cs->attr & SEG_ATTR_DB) ? TMODE_PROT32 : TMODE_PROT16;
}

/* The decoded detail of one handled exit (layout: include/trace_record.h). */
static void fill_detail(struct vcpu *v, const struct vm_exit *e, struct trace_record *r)
{
	static const enum vm_reg cr_reg[5] = { VM_REG_CR0, VM_REG_CR0, VM_REG_CR0, VM_REG_CR3,
					       VM_REG_CR4 };

	switch (e->reason) {
	case EXIT_IO:
		r->arg = e->u.io.port;
		r->size = e->u.io.size;
		r->flags = (e->u.io.in ? TF_IN : 0) | (e->u.io.string ? TF_STRING : 0) |
			   (e->u.io.rep ? TF_REP : 0);
		r->device = trace_device_id(io_owner(e->u.io.port));
		if (e->u.io.string)
			r->value = e->u.io.rep ? (uint32_t)(rcx_before - v->gpr[GPR_RCX]) : 1;
		else
			r->value = (e->u.io.in ? v->gpr[GPR_RAX] : rax_before) &
				   low_bytes_mask(e->u.io.size);
		break;
	case EXIT_RDMSR:
	case EXIT_WRMSR:
		r->arg = (uint32_t)rcx_before;
		r->value = (v->gpr[GPR_RDX] << 32) | (uint32_t)v->gpr[GPR_RAX];
		break;
	case EXIT_CPUID:
		r->arg = (uint32_t)rax_before;
		r->value = (uint32_t)rcx_before;
		break;
	case EXIT_CR_ACCESS:
		r->arg = e->u.cr.cr;
		r->size = e->u.cr.type;
		r->value = e->u.cr.cr <= 4 && e->u.cr.cr != 2 ? v->ops->get_reg(v, cr_reg[e->u.cr.cr]) : 0;
		break;
	case EXIT_PAGING:
		r->arg = (uint32_t)e->u.paging.gla;
		r->value = e->u.paging.gpa;
		r->flags = (e->u.paging.read ? TF_READ : 0) | (e->u.paging.write ? TF_WRITE : 0) |
			   (e->u.paging.fetch ? TF_FETCH : 0);
		break;
	case EXIT_EXCEPTION:
		r->arg = e->u.exc.vector;
		r->value = e->u.exc.has_error ? e->u.exc.error_code : 0;
		break;
	case EXIT_TASK_SWITCH:
		r->arg = e->u.task.sel;
		r->size = e->u.task.source;
		break;
	default:
		break;
	}
}

/* trace.reason/port, then trace.every and trace.first, in that order. */
static bool passes_filters(const struct trace_record *r)
{
	if (opt.reasons && !(opt.reasons & BIT(r->reason)))
		return false;
	if (opt.port_filter && (r->reason != EXIT_IO || r->arg < opt.port_lo || r->arg > opt.port_hi))
		return false;
	if (opt.every > 1 && matched++ % opt.every)
		return false;
	return !opt.first || emitted < opt.first;
}

void trace_begin(struct vcpu *v, const struct vm_exit *e, uint64_t tsc)
{
	(void)e;
	tsc_exit = tsc;
	inj.valid = false;
	rax_before = v->gpr[GPR_RAX];
	rcx_before = v->gpr[GPR_RCX];
}

void trace_end(struct vcpu *v, const struct vm_exit *e)
{
	uint64_t t1 = rdtsc(), cycles = t1 - tsc_exit;
	struct trace_record r = { 0 };
	struct vm_segment cs;

	exit_count[e->reason]++;
	exit_cycles[e->reason] += cycles;
	seq++;
	if (opt.mode == TRACE_OFF && !live_on)
		return;
	v->ops->get_seg(v, SEG_CS, &cs);
	r.seq = seq;
	r.tsc_exit = tsc_exit;
	r.rip = e->rip;
	r.raw = e->raw;
	r.handler_cycles = cycles > UINT32_MAX ? UINT32_MAX : (uint32_t)cycles;
	r.cs = cs.sel;
	r.reason = (uint8_t)e->reason;
	r.mode = cpu_mode(v, &cs);
	r.device = TRACE_NO_DEVICE;
	fill_detail(v, e, &r);
	trace_summary_add(&r, cycles);
	if ((opt.mode >= TRACE_LIVE || live_on) && passes_filters(&r)) {
		pending = r;
		have_pending = true;
		pending_explain[0] = '\0';
		if (live_on && e->reason == EXIT_IO && !e->u.io.string)
			io_explain(e->u.io.port, e->u.io.size, e->u.io.in, (uint32_t)r.value,
				   pending_explain, sizeof(pending_explain));
	}
	trace_cycles += rdtsc() - t1;
}

void trace_inject(const struct vm_event *ev)
{
	inj.valid = true;
	inj.vector = ev->vector;
	inj.type = (uint8_t)ev->type;
}

/* The record is complete once the vCPU is about to run again. */
static void send_pending(uint64_t tsc_resume)
{
	pending.tsc_resume = tsc_resume;
	if (inj.valid) {
		pending.flags |= TF_INJECTED;
		pending.inj_vector = inj.vector;
		pending.inj_type = inj.type;
	}
	ring[emitted++ % TRACE_RING_SIZE] = pending;
	have_pending = false;
	if (live_on)
		trace_live_print(&pending, pending_explain);
	if (opt.mode == TRACE_DUMP)
		trace_dump_write(&pending);
}

void trace_resume(void)
{
	uint64_t t0;

	if (!have_pending)
		return;
	t0 = rdtsc();
	send_pending(t0);
	trace_cycles += rdtsc() - t0;
}

/* The exit that stopped the guest never resumes: its "resume" TSC is the
 * time of the stop. */
void trace_finish(void)
{
	if (have_pending)
		send_pending(rdtsc());
	trace_print_summary();
}

/* The per-reason table (bhyve style) always; the others when recorded. */
void trace_print_summary(void)
{
	uint64_t total = 0;

	for (unsigned r = 0; r < EXIT_REASON_COUNT; r++)
		total += exit_count[r];
	kprintf("lamina: %llu exits (%s):\n", (unsigned long long)total, backend_name);
	for (unsigned r = 0; r < EXIT_REASON_COUNT; r++) {
		if (!exit_count[r])
			continue;
		kprintf("  %-17s %10llu  %8llu cycles/exit in the monitor\n",
			vm_exit_reason_name(r), (unsigned long long)exit_count[r],
			(unsigned long long)(exit_cycles[r] / exit_count[r]));
	}
	if (opt.mode != TRACE_OFF || live_on)
		trace_summary_print(trace_cycles, rdtsc() - start_tsc);
}

static void print_recent(void)
{
	uint64_t n = emitted < TRACE_RECENT ? emitted : TRACE_RECENT;

	if (!n)
		kprintf("lamina: no exits recorded yet (trace=off: Ctrl-A l turns live lines on)\n");
	for (uint64_t i = emitted - n; i < emitted; i++)
		trace_live_print(&ring[i % TRACE_RING_SIZE], "");
}

bool trace_hotkey(char key)
{
	switch (key) {
	case 't':
		trace_print_summary();
		return true;
	case 'l':
		live_on = !live_on;
		kprintf("lamina: live trace %s\n", live_on ? "on" : "off");
		return true;
	case 'h':
		print_recent();
		return true;
	default:
		return false;
	}
}
