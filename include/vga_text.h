/*
 * A write-only console on the VGA text screen (80x25, colour text mode
 * 3 that the BIOS leaves behind, 2 bytes per cell: character, attribute;
 * IBM VGA Technical Reference, "Alphanumeric modes"), for lab machines
 * without a serial port: console=vga.  Pure code on a cell array (the
 * monitor passes 0xB8000); host-tested.
 */
#ifndef LAMINA_VGA_TEXT_H
#define LAMINA_VGA_TEXT_H

#include "types.h"

#define VGA_TEXT_BASE 0xb8000
#define VGA_COLS 80
#define VGA_ROWS 25
#define VGA_ATTR 0x07 /* light grey on black */

struct vga_text {
	volatile uint16_t *cells; /* VGA_ROWS * VGA_COLS */
	unsigned row, col;
};

/* Clear the screen and start at the top left. */
void vga_text_init(struct vga_text *t, volatile uint16_t *cells);

/* '\n' starts a new line, '\r' returns to column 0, '\t' goes to the next
 * multiple of 8, '\b' steps back; other bytes are shown as the code page
 * 437 glyph.  The screen scrolls up at the bottom. */
void vga_text_putc(struct vga_text *t, char c);

#endif
