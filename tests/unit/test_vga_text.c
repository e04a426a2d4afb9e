/*
 * The VGA text console (console=vga): characters and attributes land in
 * the right cells, line feed, carriage return, tab, backspace, wrapping
 * at column 80 and scrolling at row 25.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "vga_text.h"

static uint16_t screen[VGA_ROWS * VGA_COLS];

static void puts_vga(struct vga_text *t, const char *s)
{
	while (*s)
		vga_text_putc(t, *s++);
}

/* The text of row r, trailing blanks dropped. */
static const char *row_text(unsigned r)
{
	static char buf[VGA_COLS + 1];
	int n = VGA_COLS;

	for (unsigned c = 0; c < VGA_COLS; c++) {
		assert_int_equal(screen[r * VGA_COLS + c] >> 8, VGA_ATTR);
		buf[c] = (char)(screen[r * VGA_COLS + c] & 0xff);
	}
	while (n > 0 && buf[n - 1] == ' ')
		n--;
	buf[n] = '\0';
	return buf;
}

static void test_clears_and_writes(void **state)
{
	struct vga_text t;

	(void)state;
	memset(screen, 0xaa, sizeof(screen));
	vga_text_init(&t, screen);
	assert_string_equal(row_text(24), "");
	puts_vga(&t, "lamina 0.1\r\nline two\rLINE\n\tx\bY");
	assert_string_equal(row_text(0), "lamina 0.1");
	assert_string_equal(row_text(1), "LINE two");
	assert_string_equal(row_text(2), "        Y");
	assert_int_equal(t.row, 2);
	assert_int_equal(t.col, 9);
}

static void test_wraps_at_80_columns(void **state)
{
	struct vga_text t;
	char line[VGA_COLS + 4];

	(void)state;
	vga_text_init(&t, screen);
	memset(line, 'a', VGA_COLS);
	memcpy(line + VGA_COLS, "bcd", 4);
	puts_vga(&t, line);
	assert_int_equal(strlen(row_text(0)), VGA_COLS);
	assert_string_equal(row_text(1), "bcd");
}

static void test_scrolls_at_the_bottom(void **state)
{
	struct vga_text t;
	char s[32];

	(void)state;
	vga_text_init(&t, screen);
	for (int i = 0; i < 30; i++) {
		snprintf(s, sizeof(s), "row %d\n", i);
		puts_vga(&t, s);
	}
	/* 30 lines and a final newline: rows 6..29 remain, the last one blank */
	assert_string_equal(row_text(0), "row 6");
	assert_string_equal(row_text(23), "row 29");
	assert_string_equal(row_text(24), "");
	assert_int_equal(t.row, 24);
	assert_int_equal(t.col, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clears_and_writes),
		cmocka_unit_test(test_wraps_at_80_columns),
		cmocka_unit_test(test_scrolls_at_the_bottom),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
