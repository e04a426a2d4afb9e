/*
 * The guest's PC platform as the run loop sees it: the interrupt
 * controller's INTR line and INTA cycle, and the host console feeding the
 * guest's serial port.  core/platform.c wires the device models together.
 */
#ifndef LAMINA_PLATFORM_H
#define LAMINA_PLATFORM_H

#include "multiboot2.h"

int platform_init(const struct boot_info *bi); /* create and attach the devices */
int platform_pending_vector(void); /* vector on the INTR line, or -1 */
int platform_ack(void);          /* INTA: the vector to deliver, or -1 */
void platform_poll(void);        /* console input -> guest serial port */

#endif
