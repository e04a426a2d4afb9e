/*
 * Deadline timers for device models: a sorted singly linked list.
 * Pure code (no hardware access) so it builds into host tests.
 */
#include "vclock.h"

static struct vtimer *vtimer_head;

void vtimer_cancel(struct vtimer *t)
{
	struct vtimer **pp;

	if (!t->armed)
		return;
	for (pp = &vtimer_head; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	t->armed = false;
	t->next = NULL;
}

void vtimer_arm(struct vtimer *t, uint64_t deadline_ns)
{
	struct vtimer **pp;

	vtimer_cancel(t);
	t->deadline_ns = deadline_ns;
	for (pp = &vtimer_head; *pp && (*pp)->deadline_ns <= deadline_ns; pp = &(*pp)->next)
		;
	t->next = *pp;
	*pp = t;
	t->armed = true;
}

uint64_t vtimer_next_deadline(void)
{
	return vtimer_head ? vtimer_head->deadline_ns : VTIMER_NEVER;
}

void vtimer_run_expired(uint64_t now_ns)
{
	/* A fire() callback may re-arm its own timer; take timers off the
	 * head one at a time so that is safe. */
	while (vtimer_head && vtimer_head->deadline_ns <= now_ns) {
		struct vtimer *t = vtimer_head;

		vtimer_head = t->next;
		t->next = NULL;
		t->armed = false;
		t->fire(t, now_ns);
	}
}

void vtimer_reset_all(void)
{
	while (vtimer_head)
		vtimer_cancel(vtimer_head);
}
