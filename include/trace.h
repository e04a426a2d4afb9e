/*
 * The exit trace hook: every VM exit passes through trace_exit() once it
 * has been handled.  Today it keeps the per-reason counters and monitor
 * cycles printed when the guest stops; the teaching trace (live lines,
 * binary dump, summaries per port and MSR) grows from here.
 */
#ifndef LAMINA_TRACE_H
#define LAMINA_TRACE_H

#include "vmm.h"

void trace_exit(const struct vm_exit *e, uint64_t handler_cycles);
void trace_print_summary(const char *vendor);

#endif
