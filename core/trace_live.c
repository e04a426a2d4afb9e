/*
 * trace=live: one line per exit, for people.
 *
 *   #1234 io    OUT 0x43 <- 0x34   8254 PIT: ch0 mode 2, lo/hi   rip=f000:e987 real 3410c
 *
 * exit number, neutral reason, the decoded access, the device that
 * claimed it with its own explanation, the guest's CS:RIP and CPU mode,
 * and the monitor cycles the handler took; "=> vec 0x08 extint" when an
 * event was injected at the resume.  scripts/lamina-trace parses these
 * lines too, so keep the fields in this order.
 */
#include "kprintf.h"
#include "trace.h"

static const char *const cr_ops[] = { [CR_MOV_TO] = "<-", [CR_MOV_FROM] = "->" };
static const char *const event_names[] = {
	[EVENT_EXTINT] = "extint", [EVENT_NMI] = "nmi", [EVENT_EXCEPTION] = "exception",
	[EVENT_SOFTINT] = "softint",
};
static const char *const task_sources[] = {
	[TASK_CALL] = "CALL", [TASK_IRET] = "IRET", [TASK_JMP] = "JMP", [TASK_IDT_GATE] = "INT",
};

static void io_detail(const struct trace_record *r, char *buf, size_t len)
{
	bool in = r->flags & TF_IN;
	char suffix = r->size == 4 ? 'D' : r->size == 2 ? 'W' : 'B';

	if (r->flags & TF_STRING)
		ksnprintf(buf, len, "%s%s%c %#x x%llu", r->flags & TF_REP ? "REP " : "",
			  in ? "INS" : "OUTS", suffix,
			  r->arg, (unsigned long long)r->value);
	else if (in)
		ksnprintf(buf, len, "IN  %#x -> %#llx", r->arg, (unsigned long long)r->value);
	else
		ksnprintf(buf, len, "OUT %#x <- %#llx", r->arg, (unsigned long long)r->value);
}

static void detail(const struct trace_record *r, char *buf, size_t len)
{
	buf[0] = '\0';
	switch (r->reason) {
	case EXIT_IO:
		io_detail(r, buf, len);
		break;
	case EXIT_RDMSR:
		ksnprintf(buf, len, "RDMSR %#x -> %#llx", r->arg, (unsigned long long)r->value);
		break;
	case EXIT_WRMSR:
		ksnprintf(buf, len, "WRMSR %#x <- %#llx", r->arg, (unsigned long long)r->value);
		break;
	case EXIT_CPUID:
		ksnprintf(buf, len, "CPUID %#x.%llx", r->arg, (unsigned long long)r->value);
		break;
	case EXIT_CR_ACCESS:
		if (r->size == CR_CLTS || r->size == CR_LMSW)
			ksnprintf(buf, len, "%s CR0=%#llx", r->size == CR_CLTS ? "CLTS" : "LMSW",
				  (unsigned long long)r->value);
		else
			ksnprintf(buf, len, "MOV CR%u %s %#llx", r->arg, cr_ops[r->size & 1],
				  (unsigned long long)r->value);
		break;
	case EXIT_PAGING:
		ksnprintf(buf, len, "gpa %#llx %s", (unsigned long long)r->value,
			  r->flags & TF_FETCH ? "fetch" : r->flags & TF_WRITE ? "write" : "read");
		break;
	case EXIT_EXCEPTION:
		ksnprintf(buf, len, "vector %u error %#llx", r->arg, (unsigned long long)r->value);
		break;
	case EXIT_TASK_SWITCH:
		ksnprintf(buf, len, "%s TSS %#x", task_sources[r->size & 3], r->arg);
		break;
	default:
		break;
	}
}

void trace_live_print(const struct trace_record *r, const char *explain)
{
	char what[48], dev[112] = "", inj[32] = "";
	detail(r, what, sizeof(what));
	if (r->reason == EXIT_IO)
		ksnprintf(dev, sizeof(dev), "%s%s%s",
			  r->device < trace_devices.n ? trace_devices.name[r->device] : "?",
			  *explain ? ": " : "", explain);
	if (r->flags & TF_INJECTED)
		ksnprintf(inj, sizeof(inj), " => vec %#04x %s", r->inj_vector,
			  event_names[r->inj_type & 3]);
	kprintf("#%llu %-6s %-24s %-30s rip=%04x:%04llx %s %uc%s\n", (unsigned long long)r->seq,
		vm_exit_reason_name(r->reason), what, dev, r->cs, (unsigned long long)r->rip,
		trace_mode_name(r->mode), r->handler_cycles, inj);
}
