/*
 * Deadline timers (vtimer): timers armed in any order fire in deadline
 * order, equal deadlines in arming order, only when due; re-arming from
 * inside fire(), re-arming an armed timer, cancelling (also from another
 * timer's fire()), next_deadline and reset_all.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "vclock.h"

#define NTIMERS 8

/* What fired, in order: the timer's index and the time it was given. */
static struct {
	unsigned n;
	unsigned who[64];
	uint64_t now[64];
} fired;

static struct vtimer timers[NTIMERS];

static unsigned index_of(const struct vtimer *t)
{
	return (unsigned)(t - timers);
}

static void record(struct vtimer *t, uint64_t now_ns)
{
	assert_false(t->armed); /* off the list before fire() runs */
	assert_true(fired.n < ARRAY_SIZE(fired.who));
	fired.who[fired.n] = index_of(t);
	fired.now[fired.n] = now_ns;
	fired.n++;
}

/* Re-arms itself every 100 ns (a periodic device timer). */
static void periodic(struct vtimer *t, uint64_t now_ns)
{
	record(t, now_ns);
	vtimer_arm(t, t->deadline_ns + 100);
}

/* Arms the timer its opaque points at, due right now. */
static void arm_other(struct vtimer *t, uint64_t now_ns)
{
	record(t, now_ns);
	vtimer_arm(t->opaque, now_ns);
}

/* Cancels the timer its opaque points at. */
static void canceller(struct vtimer *t, uint64_t now_ns)
{
	record(t, now_ns);
	vtimer_cancel(t->opaque);
}

static int setup(void **state)
{
	(void)state;
	vtimer_reset_all();
	memset(&fired, 0, sizeof(fired));
	memset(timers, 0, sizeof(timers));
	for (unsigned i = 0; i < NTIMERS; i++)
		timers[i].fire = record;
	return 0;
}

static void assert_fired(const unsigned *want, unsigned n)
{
	assert_int_equal(fired.n, n);
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(fired.who[i], want[i]);
}

static void test_no_timers_means_never(void **state)
{
	(void)state;
	assert_int_equal(vtimer_next_deadline(), VTIMER_NEVER);
	vtimer_run_expired(UINT64_MAX);
	assert_int_equal(fired.n, 0);
}

static void test_random_arming_order_fires_in_deadline_order(void **state)
{
	static const uint64_t deadline[NTIMERS] = { 700, 200, 800, 100, 500, 300, 600, 400 };
	static const unsigned arm_order[NTIMERS] = { 5, 0, 7, 2, 4, 1, 6, 3 };
	static const unsigned want[NTIMERS] = { 3, 1, 5, 7, 4, 6, 0, 2 };

	(void)state;
	for (unsigned i = 0; i < NTIMERS; i++)
		vtimer_arm(&timers[arm_order[i]], deadline[arm_order[i]]);
	assert_int_equal(vtimer_next_deadline(), 100);
	vtimer_run_expired(1000);
	assert_fired(want, NTIMERS);
	assert_int_equal(fired.now[0], 1000); /* fire() gets the time of the run */
	assert_int_equal(vtimer_next_deadline(), VTIMER_NEVER);
}

static void test_only_due_timers_fire(void **state)
{
	static const unsigned first[] = { 1, 0 };
	static const unsigned then[] = { 1, 0, 2 };

	(void)state;
	vtimer_arm(&timers[0], 200);
	vtimer_arm(&timers[1], 100);
	vtimer_arm(&timers[2], 300);
	vtimer_run_expired(99);
	assert_int_equal(fired.n, 0);
	vtimer_run_expired(200); /* a deadline equal to now is due */
	assert_fired(first, 2);
	assert_true(timers[2].armed);
	assert_false(timers[0].armed);
	assert_int_equal(vtimer_next_deadline(), 300);
	vtimer_run_expired(299);
	assert_int_equal(fired.n, 2);
	vtimer_run_expired(300);
	assert_fired(then, 3);
}

static void test_equal_deadlines_fire_in_arming_order(void **state)
{
	static const unsigned want[] = { 4, 2, 6, 0, 1 };

	(void)state;
	vtimer_arm(&timers[1], 600);
	vtimer_arm(&timers[4], 500);
	vtimer_arm(&timers[2], 500);
	vtimer_arm(&timers[6], 500);
	vtimer_arm(&timers[0], 500);
	vtimer_run_expired(600);
	assert_fired(want, ARRAY_SIZE(want));
}

static void test_rearm_from_fire_into_the_future(void **state)
{
	static const unsigned want[] = { 0, 1 };

	(void)state;
	timers[0].fire = periodic;
	vtimer_arm(&timers[0], 100);
	vtimer_arm(&timers[1], 150);
	vtimer_run_expired(150);
	assert_fired(want, 2);
	assert_true(timers[0].armed);
	assert_int_equal(timers[0].deadline_ns, 200);
	assert_int_equal(vtimer_next_deadline(), 200);
}

static void test_rearm_from_fire_still_due_fires_again_in_same_run(void **state)
{
	(void)state;
	timers[0].fire = periodic;
	vtimer_arm(&timers[0], 100);
	vtimer_run_expired(350); /* periods at 100, 200, 300 were all missed */
	assert_int_equal(fired.n, 3);
	assert_int_equal(vtimer_next_deadline(), 400);
}

static void test_rearm_armed_timer_later_moves_it(void **state)
{
	static const unsigned want[] = { 1, 0 };

	(void)state;
	vtimer_arm(&timers[0], 100);
	vtimer_arm(&timers[1], 200);
	vtimer_arm(&timers[0], 300);
	assert_int_equal(vtimer_next_deadline(), 200);
	vtimer_run_expired(1000);
	assert_fired(want, 2); /* timer 0 fires once, at its new place */
}

static void test_rearm_armed_timer_earlier_moves_it(void **state)
{
	static const unsigned want[] = { 0, 1 };

	(void)state;
	vtimer_arm(&timers[0], 300);
	vtimer_arm(&timers[1], 200);
	vtimer_arm(&timers[0], 100);
	assert_int_equal(vtimer_next_deadline(), 100);
	vtimer_run_expired(1000);
	assert_fired(want, 2);
}

static void test_cancel(void **state)
{
	static const unsigned want[] = { 1 };

	(void)state;
	vtimer_arm(&timers[0], 100);
	vtimer_arm(&timers[1], 200);
	vtimer_arm(&timers[2], 300);
	vtimer_cancel(&timers[2]); /* tail */
	vtimer_cancel(&timers[0]); /* head */
	assert_false(timers[0].armed);
	assert_int_equal(vtimer_next_deadline(), 200);
	vtimer_run_expired(1000);
	assert_fired(want, 1);
}

static void test_cancel_middle_keeps_the_rest(void **state)
{
	static const unsigned want[] = { 0, 2 };

	(void)state;
	vtimer_arm(&timers[0], 100);
	vtimer_arm(&timers[1], 200);
	vtimer_arm(&timers[2], 300);
	vtimer_cancel(&timers[1]);
	vtimer_run_expired(1000);
	assert_fired(want, 2);
}

static void test_cancel_unarmed_or_twice_is_harmless(void **state)
{
	static const unsigned want[] = { 1 };

	(void)state;
	vtimer_cancel(&timers[0]); /* never armed */
	vtimer_arm(&timers[0], 100);
	vtimer_arm(&timers[1], 200);
	vtimer_cancel(&timers[0]);
	vtimer_cancel(&timers[0]);
	assert_int_equal(vtimer_next_deadline(), 200);
	vtimer_run_expired(1000);
	assert_fired(want, 1);
}

static void test_fire_can_cancel_another_due_timer(void **state)
{
	static const unsigned want[] = { 0, 2 };

	(void)state;
	timers[0].fire = canceller;
	timers[0].opaque = &timers[1];
	vtimer_arm(&timers[0], 100);
	vtimer_arm(&timers[1], 100);
	vtimer_arm(&timers[2], 100);
	vtimer_run_expired(100);
	assert_fired(want, 2);
	assert_false(timers[1].armed);
}

static void test_fire_can_arm_another_timer_due_now(void **state)
{
	static const unsigned want[] = { 0, 1 };

	(void)state;
	timers[0].fire = arm_other;
	timers[0].opaque = &timers[1];
	vtimer_arm(&timers[0], 100);
	vtimer_run_expired(100);
	assert_fired(want, 2);
	assert_int_equal(fired.now[1], 100);
	assert_int_equal(vtimer_next_deadline(), VTIMER_NEVER);
}

static void test_reset_all(void **state)
{
	static const unsigned want[] = { 2 };

	(void)state;
	for (unsigned i = 0; i < NTIMERS; i++)
		vtimer_arm(&timers[i], 100 * (i + 1));
	vtimer_reset_all();
	assert_int_equal(vtimer_next_deadline(), VTIMER_NEVER);
	for (unsigned i = 0; i < NTIMERS; i++)
		assert_false(timers[i].armed);
	vtimer_run_expired(UINT64_MAX);
	assert_int_equal(fired.n, 0);
	vtimer_arm(&timers[2], 50); /* usable again */
	vtimer_run_expired(50);
	assert_fired(want, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_no_timers_means_never, setup),
		cmocka_unit_test_setup(test_random_arming_order_fires_in_deadline_order, setup),
		cmocka_unit_test_setup(test_only_due_timers_fire, setup),
		cmocka_unit_test_setup(test_equal_deadlines_fire_in_arming_order, setup),
		cmocka_unit_test_setup(test_rearm_from_fire_into_the_future, setup),
		cmocka_unit_test_setup(test_rearm_from_fire_still_due_fires_again_in_same_run, setup),
		cmocka_unit_test_setup(test_rearm_armed_timer_later_moves_it, setup),
		cmocka_unit_test_setup(test_rearm_armed_timer_earlier_moves_it, setup),
		cmocka_unit_test_setup(test_cancel, setup),
		cmocka_unit_test_setup(test_cancel_middle_keeps_the_rest, setup),
		cmocka_unit_test_setup(test_cancel_unarmed_or_twice_is_harmless, setup),
		cmocka_unit_test_setup(test_fire_can_cancel_another_due_timer, setup),
		cmocka_unit_test_setup(test_fire_can_arm_another_timer_due_now, setup),
		cmocka_unit_test_setup(test_reset_all, setup),
	};

	return cmocka_run_group_tests_name("vtimer", tests, NULL, NULL);
}
