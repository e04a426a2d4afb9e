/*
 * Exit statistics, one line per reason (bhyve style): how many exits of
 * each kind, and the monitor cycles spent handling them.
 */
#include "kprintf.h"
#include "trace.h"

static uint64_t exit_count[EXIT_REASON_COUNT];
static uint64_t exit_cycles[EXIT_REASON_COUNT];

void trace_exit(const struct vm_exit *e, uint64_t handler_cycles)
{
	exit_count[e->reason]++;
	exit_cycles[e->reason] += handler_cycles;
}

void trace_print_summary(const char *vendor)
{
	uint64_t total = 0;

	for (unsigned r = 0; r < EXIT_REASON_COUNT; r++)
		total += exit_count[r];
	kprintf("lamina: %llu exits (%s):\n", (unsigned long long)total, vendor);
	for (unsigned r = 0; r < EXIT_REASON_COUNT; r++) {
		if (!exit_count[r])
			continue;
		kprintf("  %-17s %10llu  %8llu cycles/exit in the monitor\n",
			vm_exit_reason_name(r), (unsigned long long)exit_count[r],
			(unsigned long long)(exit_cycles[r] / exit_count[r]));
	}
}
