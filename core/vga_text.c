/*
 * The VGA text screen as lamina's console (console=vga): see vga_text.h.
 * No hardware cursor, no input; the monitor's own messages and whatever
 * the guest writes to its COM1 end up here instead of on a serial line.
 */
#include "vga_text.h"

static uint16_t cell(char c)
{
	return (uint16_t)((VGA_ATTR << 8) | (uint8_t)c);
}

void vga_text_init(struct vga_text *t, volatile uint16_t *cells)
{
	t->cells = cells;
	t->row = t->col = 0;
	for (unsigned i = 0; i < VGA_ROWS * VGA_COLS; i++)
		cells[i] = cell(' ');
}

static void newline(struct vga_text *t)
{
	t->col = 0;
	if (t->row + 1 < VGA_ROWS) {
		t->row++;
		return;
	}
	for (unsigned i = 0; i < (VGA_ROWS - 1) * VGA_COLS; i++)
		t->cells[i] = t->cells[i + VGA_COLS];
	for (unsigned i = 0; i < VGA_COLS; i++)
		t->cells[(VGA_ROWS - 1) * VGA_COLS + i] = cell(' ');
}

void vga_text_putc(struct vga_text *t, char c)
{
	switch (c) {
	case '\n':
		newline(t);
		return;
	case '\r':
		t->col = 0;
		return;
	case '\b':
		if (t->col)
			t->col--;
		return;
	case '\t':
		do
			vga_text_putc(t, ' ');
		while (t->col % 8);
		return;
	default:
		break;
	}
	if (t->col == VGA_COLS)
		newline(t);
	t->cells[t->row * VGA_COLS + t->col++] = cell(c);
}
