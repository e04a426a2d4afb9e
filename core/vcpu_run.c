/*
 * The run loop (design.md section 2): enter the guest, take its exit,
 * dispatch to one handler per reason, repeat.  Between runs the loop
 * fires due device timers, delivers a pending interrupt from the virtual
 * PIC (or asks for an interrupt window), and sleeps while the guest halts.
 */
#include "console.h"
#include "guest.h"
#include "hosttimer.h"
#include "kprintf.h"
#include "platform.h"
#include "trace.h"
#include "vclock.h"
#include "virt_features.h"
#include "x86.h"

/* The monitor looks at its console at least this often. */
#define POLL_INTERVAL_NS 10000000ull

typedef enum exit_action (*exit_handler_fn)(struct vcpu *v, const struct vm_exit *e);

static const exit_handler_fn exit_handlers[EXIT_REASON_COUNT] = {
	[EXIT_IO] = exit_io,
	[EXIT_CPUID] = exit_cpuid,
	[EXIT_RDMSR] = exit_rdmsr,
	[EXIT_WRMSR] = exit_wrmsr,
	[EXIT_CR_ACCESS] = exit_cr_access,
	[EXIT_PAGING] = exit_paging,
	[EXIT_PAGING_MISCONFIG] = exit_unhandled,
	[EXIT_HLT] = exit_hlt,
	[EXIT_EXCEPTION] = exit_exception,
	[EXIT_NMI] = exit_host_nmi,
	[EXIT_EXT_INTR] = exit_nothing_to_do,
	[EXIT_INTR_WINDOW] = exit_nothing_to_do,
	[EXIT_TRIPLE_FAULT] = exit_triple_fault,
	[EXIT_HYPERCALL] = exit_undefined_insn,
	[EXIT_VIRT_INSN] = exit_undefined_insn,
	[EXIT_INVD] = exit_invd,
	[EXIT_XSETBV] = exit_xsetbv,
	[EXIT_TIMER] = exit_nothing_to_do,
	[EXIT_INIT_SIPI] = exit_nothing_to_do,
	[EXIT_TASK_SWITCH] = exit_task_switch,
	[EXIT_ENTRY_FAILED] = exit_entry_failed,
	[EXIT_OTHER] = exit_unhandled,
};

/*
 * Offer the guest its highest-priority pending interrupt: inject it now
 * if the guest can take it (IF=1, no interrupt shadow, no other event
 * queued), otherwise ask for an exit when it can (interrupt window).
 * The PIC sees the INTA cycle only when the vector is really injected.
 */
static void deliver_interrupts(struct vcpu *v)
{
	int vector;

	if (v->ops->event_pending(v) || platform_pending_vector() < 0) {
		v->ops->set_intr_window(v, false);
		return;
	}
	if (!v->ops->intr_allowed(v)) {
		v->ops->set_intr_window(v, true);
		return;
	}
	v->ops->set_intr_window(v, false);
	vector = platform_ack();
	if (vector >= 0) {
		struct vm_event ev = { EVENT_EXTINT, (uint8_t)vector, false, 0 };

		v->ops->inject(v, &ev);
		trace_inject(&ev);
		v->halted = false;
	}
}

/* The earliest time the monitor must look again: a device deadline,
 * queued guest output or the console poll. */
static uint64_t next_deadline_ns(uint64_t now)
{
	uint64_t d = vtimer_next_deadline(), out = console_queue_deadline();

	if (out < d)
		d = out;
	return d < now + POLL_INTERVAL_NS ? d : now + POLL_INTERVAL_NS;
}

/* The watchdog= option: stop a guest that runs longer than asked, proof
 * that the monitor keeps control whatever the guest does. */
static void watchdog_check(struct guest *g, uint64_t now)
{
	if (g->watchdog_ns && now >= g->watchdog_ns && !g->stopped)
		guest_stop(-1, "watchdog: the guest ran for %u s", g->opt->watchdog_s);
}

void guest_run(void)
{
	struct guest *g = &the_guest;
	struct vcpu *v = &g->vcpu;
	struct vm_exit e;

	if (g->opt->watchdog_s)
		g->watchdog_ns = vclock_now_ns() + g->opt->watchdog_s * NS_PER_SEC;
	/* The dump goes to the host UART that is not lamina's console. */
	trace_init(&g->opt->trace, v->ops->name,
		   g->opt->console_port == COM2_BASE ? COM1_BASE : COM2_BASE);
	while (!g->stopped) {
		uint64_t now = vclock_now_ns();

		vtimer_run_expired(now);
		console_queue_poll(now);
		platform_poll();
		deliver_interrupts(v);
		if (v->halted) {
			hosttimer_idle_until(clock_ns_to_tsc(next_deadline_ns(now)));
			watchdog_check(g, now);
			continue;
		}
		trace_resume();
		v->ops->run(v, &e, clock_ns_to_tsc(next_deadline_ns(now)));
		if (e.reason >= EXIT_REASON_COUNT)
			e.reason = EXIT_OTHER;
		trace_begin(v, &e, rdtsc());
		if (exit_handlers[e.reason](v, &e) == EXIT_STOP && !g->stopped)
			guest_stop(-1, "stopped by a %s exit", vm_exit_reason_name(e.reason));
		trace_end(v, &e);
		if (g->reset_pending && !g->stopped)
			guest_do_reset();
		watchdog_check(g, now);
	}
	if (g->exit_status >= 0)
		kprintf("lamina: guest exit status %d\n", g->exit_status);
	kprintf("lamina: guest stopped: %s\n", g->stop_why);
	trace_finish();
}
