/* Formatted output to lamina's console (in host tests: to stdout). */
#ifndef LAMINA_KPRINTF_H
#define LAMINA_KPRINTF_H

#include <stdarg.h>
#include "types.h"

/* Supports %d %i %u %x %X %p %s %c %% with flags '-', '0', width, and the
 * length modifiers l, ll, z, h, hh. */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
