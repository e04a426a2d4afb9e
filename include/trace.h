/*
 * The VM-exit trace (design.md section 5, README "Exit trace").  The run
 * loop calls trace_begin() when an exit reaches the monitor, trace_end()
 * once it is handled and trace_resume() just before the next VM entry;
 * the two injection paths call trace_inject().  With trace=off only the
 * per-reason counters are kept; summary adds tables per device, port, MSR
 * and guest RIP; live prints one decoded line per exit; dump streams
 * binary records (include/trace_record.h) to the other serial port.
 */
#ifndef LAMINA_TRACE_H
#define LAMINA_TRACE_H

#include "options.h"
#include "trace_record.h"
#include "vmm.h"

void trace_init(const struct trace_options *o, const char *backend, uint16_t dump_port);
void trace_begin(struct vcpu *v, const struct vm_exit *e, uint64_t tsc_exit);
void trace_end(struct vcpu *v, const struct vm_exit *e);
void trace_inject(const struct vm_event *ev);
void trace_resume(void);
/* The guest stopped: finish the last record, print the tables. */
void trace_finish(void);
/* Ctrl-A then this key on lamina's console: t table, l live on/off,
 * h the last exits.  Returns false for a key that is not a trace key. */
bool trace_hotkey(char key);
void trace_print_summary(void);

/* Between the trace's files (core/trace*.c). */
struct trace_device_names {
	const char *name[TRACE_NO_DEVICE];
	unsigned n;
};
extern struct trace_device_names trace_devices;
uint8_t trace_device_id(const char *name); /* intern a device name */

/* cycles: the handler's full TSC count (the record's saturates at 2^32). */
void trace_summary_add(const struct trace_record *r, uint64_t cycles);
void trace_summary_print(uint64_t trace_cycles, uint64_t run_cycles);

/* One live line for a record; explain is the device's words or "". */
void trace_live_print(const struct trace_record *r, const char *explain);

int trace_dump_start(uint16_t port, const char *backend, uint64_t tsc_hz);
void trace_dump_write(const struct trace_record *r);

#endif
