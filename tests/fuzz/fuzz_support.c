/*
 * What the monitor provides and the fuzz harnesses replace: a fake clock
 * (fuzz_now_ns, moved by CLOCK operations), a kprintf that formats through
 * the monitor's own kvsnprintf and throws the text away (fuzzers run
 * millions of inputs; devices log), and guarded page allocations.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_io.h"
#include "kprintf.h"
#include "vclock.h"

uint64_t fuzz_now_ns;

uint64_t vclock_now_ns(void)
{
	return fuzz_now_ns;
}

int kprintf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	static int verbose = -1;

	if (verbose < 0)
		verbose = getenv("FUZZ_VERBOSE") != NULL;
	if (verbose)
		fputs(buf, stderr);
	return n;
}

void *fuzz_alloc_pages(size_t size)
{
	void *p = aligned_alloc(4096, size);

	if (!p)
		abort();
	memset(p, 0, size);
	return p;
}
