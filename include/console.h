/* lamina's own console: a 16550 UART of the machine lamina runs on. */
#ifndef LAMINA_CONSOLE_H
#define LAMINA_CONSOLE_H

#include "types.h"

#define COM1_BASE 0x3f8
#define COM2_BASE 0x2f8

void console_init(uint16_t base); /* 115200 baud, 8N1, FIFO on */
void console_write(const char *s, size_t n); /* the monitor's text: sent at once */
/* The guest's serial output: queued, sent within a few ms (console.c). */
void console_queue(uint8_t c);
uint64_t console_queue_deadline(void); /* when the run loop must poll, or VTIMER_NEVER */
void console_queue_poll(uint64_t now_ns);
void console_init_vga(void);       /* console=vga: output on the text screen */
uint16_t console_bios_port(void);  /* COM1 from the BIOS data area, or 0 */
int console_getc(void); /* a received byte, or -1 if none is waiting */

/* Another 16550 of the machine, as a raw byte channel (the trace dump). */
void uart_init(uint16_t base);
bool uart_present(uint16_t base);
void uart_write(uint16_t base, const void *buf, size_t n);

#endif
