/* The few C library functions the freestanding monitor provides itself
 * (core/string.c); host tests get them from libc with the same prototypes. */
#ifndef LAMINA_LIB_H
#define LAMINA_LIB_H

#include "types.h"

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

#endif
