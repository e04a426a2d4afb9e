/*
 * trace=summary: where the exits come from and what they cost.  Counts,
 * share and monitor cycles per reason, per device, per port and per MSR,
 * and the guest instructions that exit most.  Printed at guest stop and
 * on Ctrl-A t; scripts/lamina-trace prints the same rows from a dump
 * (same order: most exits first, ties by key), so the two can be compared
 * line by line.
 */
#include "kprintf.h"
#include "trace.h"

#define PORT_SLOTS 1024
#define MSR_SLOTS 256
#define RIP_SLOTS 4096
#define TOP_PORTS 16
#define TOP_RIPS 10

/* One row: key (port, MSR | write << 32, RIP), aux (device, CS). */
struct tc_entry {
	uint64_t key;
	uint16_t aux;
	bool used;
	uint64_t count, cycles;
};

struct tc_table {
	struct tc_entry *slot;
	unsigned cap;      /* a power of two */
	uint64_t dropped;  /* exits whose row did not fit */
};

static struct tc_entry reason_rows[EXIT_REASON_COUNT];
static struct tc_entry device_rows[TRACE_NO_DEVICE + 1];
static uint16_t device_port_lo[TRACE_NO_DEVICE + 1], device_port_hi[TRACE_NO_DEVICE + 1];
static struct tc_entry port_slots[PORT_SLOTS], msr_slots[MSR_SLOTS], rip_slots[RIP_SLOTS];
static struct tc_table ports = { port_slots, PORT_SLOTS, 0 };
static struct tc_table msrs = { msr_slots, MSR_SLOTS, 0 };
static struct tc_table rips = { rip_slots, RIP_SLOTS, 0 };
static uint64_t total_exits;
static uint64_t io_ops, string_exits, string_elements; /* guest port I/O operations */

/* Open addressing with linear probing (Knuth's multiplicative hash). */
static struct tc_entry *tc_find(struct tc_table *t, uint64_t key, uint16_t aux)
{
	unsigned i = (unsigned)(((key ^ (uint64_t)aux << 40) * 0x9e3779b97f4a7c15ull) >> 40) &
		     (t->cap - 1);

	for (unsigned n = 0; n < t->cap; n++, i = (i + 1) & (t->cap - 1)) {
		struct tc_entry *e = &t->slot[i];

		if (!e->used) {
			*e = (struct tc_entry){ .key = key, .aux = aux, .used = true };
			return e;
		}
		if (e->key == key && e->aux == aux)
			return e;
	}
	return NULL;
}

static void tc_add(struct tc_entry *e, struct tc_table *t, uint64_t cycles)
{
	if (!e) {
		/* cppcheck-suppress nullPointer ; e is never NULL where t is (reason rows) */
		t->dropped++;
		return;
	}
	e->count++;
	e->cycles += cycles;
}

void trace_summary_add(const struct trace_record *r, uint64_t cycles)
{
	total_exits++;
	tc_add(&reason_rows[r->reason], NULL, cycles);
	if (r->reason == EXIT_IO) {
		uint16_t port = (uint16_t)r->arg;

		if (!device_rows[r->device].count || port < device_port_lo[r->device])
			device_port_lo[r->device] = port;
		if (!device_rows[r->device].count || port > device_port_hi[r->device])
			device_port_hi[r->device] = port;
		tc_add(&device_rows[r->device], NULL, cycles);
		tc_add(tc_find(&ports, port, r->device), &ports, cycles);
		if (r->flags & TF_STRING) {
			string_exits++;
			string_elements += r->value;
		}
		io_ops += r->flags & TF_STRING ? r->value : 1;
	} else if (r->reason == EXIT_RDMSR || r->reason == EXIT_WRMSR) {
		tc_add(tc_find(&msrs, r->arg | (uint64_t)(r->reason == EXIT_WRMSR) << 32, 0), &msrs,
		       cycles);
	}
	tc_add(tc_find(&rips, r->rip, r->cs), &rips, cycles);
}

/* Most exits first; ties by key, then aux. */
static bool tc_before(const struct tc_entry *a, const struct tc_entry *b)
{
	if (a->count != b->count)
		return a->count > b->count;
	return a->key != b->key ? a->key < b->key : a->aux < b->aux;
}

/* Up to max used rows of a table, sorted (selection of the next best). */
static unsigned tc_top(const struct tc_table *t, const struct tc_entry **out, unsigned max)
{
	unsigned n = 0;
	const struct tc_entry *last = NULL;

	while (n < max) {
		const struct tc_entry *best = NULL;

		for (unsigned i = 0; i < t->cap; i++) {
			const struct tc_entry *e = &t->slot[i];

			if (e->used && (!last || tc_before(last, e)) && (!best || tc_before(e, best)))
				best = e;
		}
		if (!best)
			break;
		out[n++] = last = best;
	}
	return n;
}

/* "count  share%  total cycles  mean" with the share to 0.01 %. */
static void print_counts(const struct tc_entry *e)
{
	uint64_t share = total_exits ? e->count * 10000 / total_exits : 0;

	kprintf("%10llu %3llu.%02llu%% %16llu %10llu\n", (unsigned long long)e->count,
		(unsigned long long)(share / 100), (unsigned long long)(share % 100),
		(unsigned long long)e->cycles, (unsigned long long)(e->cycles / e->count));
}

static void print_reasons(void)
{
	kprintf("lamina: trace by reason:      exits   share     total cycles       mean\n");
	for (unsigned r = 0; r < EXIT_REASON_COUNT; r++) {
		if (!reason_rows[r].count)
			continue;
		kprintf("  %-24s", vm_exit_reason_name(r));
		print_counts(&reason_rows[r]);
	}
}

static void print_devices(void)
{
	const struct tc_entry *order[TRACE_NO_DEVICE + 1];
	struct tc_table t = { device_rows, TRACE_NO_DEVICE + 1, 0 };
	unsigned n;

	for (unsigned i = 0; i < TRACE_NO_DEVICE + 1; i++) {
		device_rows[i].key = i;
		device_rows[i].used = device_rows[i].count != 0;
	}
	n = tc_top(&t, order, ARRAY_SIZE(order));
	kprintf("lamina: trace by device:      exits   share     total cycles       mean\n");
	for (unsigned i = 0; i < n; i++) {
		unsigned d = (unsigned)order[i]->key;
		char range[16];

		ksnprintf(range, sizeof(range), device_port_lo[d] == device_port_hi[d] ? "%#x" : "%#x-%#x",
			  device_port_lo[d], device_port_hi[d]);
		kprintf("  %-12s %-11s", d < trace_devices.n ? trace_devices.name[d] : "?", range);
		print_counts(order[i]);
	}
}

static void print_ports(void)
{
	const struct tc_entry *order[TOP_PORTS];
	unsigned n = tc_top(&ports, order, TOP_PORTS);

	kprintf("lamina: trace by port (top %u): exits  share     total cycles       mean\n",
		TOP_PORTS);
	for (unsigned i = 0; i < n; i++) {
		kprintf("  %#-7llx %-16s", (unsigned long long)order[i]->key,
			order[i]->aux < trace_devices.n ? trace_devices.name[order[i]->aux] : "?");
		print_counts(order[i]);
	}
}

static void print_msrs(void)
{
	const struct tc_entry *order[MSR_SLOTS];
	unsigned n = tc_top(&msrs, order, MSR_SLOTS);

	if (!n)
		return;
	kprintf("lamina: trace by MSR:         exits   share     total cycles       mean\n");
	for (unsigned i = 0; i < n; i++) {
		kprintf("  %s %#-12llx   ", order[i]->key >> 32 ? "wrmsr" : "rdmsr",
			(unsigned long long)(uint32_t)order[i]->key);
		print_counts(order[i]);
	}
}

static void print_rips(void)
{
	const struct tc_entry *order[TOP_RIPS];
	unsigned n = tc_top(&rips, order, TOP_RIPS);

	kprintf("lamina: trace by guest CS:RIP (top %u): exits share total cycles mean\n", TOP_RIPS);
	for (unsigned i = 0; i < n; i++) {
		char where[40];

		ksnprintf(where, sizeof(where), "%04x:%llx", order[i]->aux,
			  (unsigned long long)order[i]->key);
		kprintf("  %-26s", where);
		print_counts(order[i]);
	}
}

void trace_summary_print(uint64_t trace_cycles, uint64_t run_cycles)
{
	uint64_t permille = run_cycles ? trace_cycles * 100000 / run_cycles : 0;

	print_reasons();
	print_devices();
	print_ports();
	print_msrs();
	print_rips();
	if (ports.dropped || msrs.dropped || rips.dropped)
		kprintf("lamina: trace: tables full, %llu exits not in the port/MSR/RIP tables\n",
			(unsigned long long)ports.dropped + msrs.dropped + rips.dropped);
	kprintf("lamina: trace cost: %llu cycles in the trace code, %llu.%03llu%% of the %llu "
		"cycles since the guest started\n", (unsigned long long)trace_cycles,
		(unsigned long long)(permille / 1000), (unsigned long long)(permille % 1000),
		(unsigned long long)run_cycles);
	kprintf("lamina: trace: %llu guest port I/O operations in %llu I/O exits (%llu string "
		"I/O exits moved %llu elements)\n", (unsigned long long)io_ops,
		(unsigned long long)reason_rows[EXIT_IO].count, (unsigned long long)string_exits,
		(unsigned long long)string_elements);
}
