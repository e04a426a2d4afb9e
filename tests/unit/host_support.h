/* Host-test replacements for monitor services (see host_support.c). */
#ifndef LAMINA_HOST_SUPPORT_H
#define LAMINA_HOST_SUPPORT_H

#include <stdint.h>

extern uint64_t host_fake_now_ns; /* what vclock_now_ns() returns */

#endif
