/* The host's real-time clock, read once at boot (core/hostrtc.c). */
#ifndef LAMINA_HOSTRTC_H
#define LAMINA_HOSTRTC_H

#include "types.h"

int64_t hostrtc_unix_time(void); /* seconds since 1970-01-01 00:00 UTC */

#endif
