/*
 * What the monitor provides and host tests replace: console output goes to
 * stdout, and the monitor clock is a variable the test advances by hand.
 */
#include <stdarg.h>
#include <stdio.h>

#include "host_support.h"
#include "kprintf.h"
#include "vclock.h"

uint64_t host_fake_now_ns;

uint64_t vclock_now_ns(void)
{
	return host_fake_now_ns;
}

int kprintf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}
