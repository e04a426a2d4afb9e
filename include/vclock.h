/*
 * One monitor clock and deadline timers for device models.
 *
 * vclock_now_ns() is provided by the monitor (calibrated host TSC) or by a
 * host test (a fake clock it advances by hand).  Devices never count exits
 * to measure time: they compute from vclock_now_ns(), so there is no drift.
 *
 * A device that needs to act at a time arms a vtimer; the run loop asks
 * vtimer_next_deadline() and makes sure the vCPU exits by then, then calls
 * vtimer_run_expired().
 */
#ifndef LAMINA_VCLOCK_H
#define LAMINA_VCLOCK_H

#include "types.h"

#define NS_PER_SEC 1000000000ull
#define VTIMER_NEVER UINT64_MAX

uint64_t vclock_now_ns(void);

struct vtimer {
	uint64_t deadline_ns;
	void (*fire)(struct vtimer *t, uint64_t now_ns);
	void *opaque;
	bool armed;
	struct vtimer *next;
};

void vtimer_arm(struct vtimer *t, uint64_t deadline_ns);
void vtimer_cancel(struct vtimer *t);
uint64_t vtimer_next_deadline(void);     /* VTIMER_NEVER if none armed */
void vtimer_run_expired(uint64_t now_ns); /* fires every timer due by now */
void vtimer_reset_all(void);

#endif
