/* lamina's own console: a 16550 UART of the machine lamina runs on. */
#ifndef LAMINA_CONSOLE_H
#define LAMINA_CONSOLE_H

#include "types.h"

#define COM1_BASE 0x3f8
#define COM2_BASE 0x2f8

void console_init(uint16_t base); /* 115200 baud, 8N1, FIFO on */
void console_write(const char *s, size_t n);
int console_getc(void); /* a received byte, or -1 if none is waiting */

#endif
