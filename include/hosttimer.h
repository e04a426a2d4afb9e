/*
 * The monitor's clock and its way back from the guest.
 *
 * clock_init() calibrates the host TSC (and the local APIC timer) against
 * the PIT; vclock_now_ns() (include/vclock.h) is built on the TSC.
 * hosttimer_arm() programs a one-shot local APIC timer interrupt for a TSC
 * deadline: with the SVM INTR intercept it forces a #VMEXIT even if the
 * guest spins with interrupts off.  (VT-x uses its preemption timer.)
 */
#ifndef LAMINA_HOSTTIMER_H
#define LAMINA_HOSTTIMER_H

#include "types.h"

#define TSC_NEVER UINT64_MAX

void clock_init(void);
uint64_t clock_tsc_hz(void);
uint64_t clock_ns_to_tsc(uint64_t ns); /* an absolute vclock time as a TSC value */
void hosttimer_arm(uint64_t deadline_tsc);
void hosttimer_disarm(void);
/* Sleep with interrupts on until the deadline (or any host interrupt). */
void hosttimer_idle_until(uint64_t deadline_tsc);

#endif
