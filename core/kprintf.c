/*
 * printf-style formatting without libc.  kvsnprintf is pure (host-tested);
 * kprintf sends the result to the console (core/console.c).
 */
#include "kprintf.h"

struct outbuf {
	char *buf;
	size_t size, len;
};

static void out_char(struct outbuf *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_padded(struct outbuf *o, const char *s, size_t n, int width, bool left, char pad)
{
	int fill = width > (int)n ? width - (int)n : 0;

	if (!left)
		while (fill-- > 0)
			out_char(o, pad);
	for (size_t i = 0; i < n; i++)
		out_char(o, s[i]);
	if (left)
		while (fill-- > 0)
			out_char(o, ' ');
}

/* Sign, prefix, zero padding and digits go straight to the output, so a
 * width of any size needs no buffer. */
static void out_number(struct outbuf *o, uint64_t v, bool neg, unsigned base, bool upper,
		       const char *prefix, int width, bool left, char pad)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, plen = 0, fill;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	while (prefix[plen])
		plen++;
	fill = width - (neg + plen + n);
	if (!left && pad != '0')
		while (fill-- > 0)
			out_char(o, ' ');
	if (neg)
		out_char(o, '-');
	for (int i = 0; i < plen; i++)
		out_char(o, prefix[i]);
	/* zero padding goes between the sign/prefix and the digits */
	if (!left && pad == '0')
		while (fill-- > 0)
			out_char(o, '0');
	while (n)
		out_char(o, tmp[--n]);
	if (left)
		while (fill-- > 0)
			out_char(o, ' ');
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct outbuf o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			out_char(&o, *fmt);
			continue;
		}
		bool left = false, alt = false;
		char pad = ' ';
		int width = 0, lng = 0, half = 0;

		for (;; fmt++) {
			if (fmt[1] == '-')
				left = true;
			else if (fmt[1] == '0')
				pad = '0';
			else if (fmt[1] == '#')
				alt = true;
			else
				break;
		}
		while (fmt[1] >= '0' && fmt[1] <= '9')
			width = width * 10 + (*++fmt - '0');
		for (;;) {
			if (fmt[1] == 'l' || fmt[1] == 'z') {
				lng++;
				fmt++;
			} else if (fmt[1] == 'h') {
				half++;
				fmt++;
			} else {
				break;
			}
		}
		char conv = *++fmt;
		uint64_t u;
		int64_t s;

		switch (conv) {
		case 'd':
		case 'i':
			s = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
			if (!lng && half)
				s = half == 1 ? (short)s : (signed char)s;
			out_number(&o, s < 0 ? -(uint64_t)s : (uint64_t)s, s < 0, 10, false, "", width,
				   left, pad);
			break;
		case 'u':
		case 'x':
		case 'X':
			u = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned int);
			if (!lng && half)
				u = half == 1 ? (unsigned short)u : (unsigned char)u;
			out_number(&o, u, false, conv == 'u' ? 10 : 16, conv == 'X',
				   alt && conv != 'u' && u ? (conv == 'X' ? "0X" : "0x") : "", width,
				   left, pad);
			break;
		case 'p':
			u = (uint64_t)(uintptr_t)va_arg(ap, void *);
			out_number(&o, u, false, 16, false, "0x", width, left, pad);
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);
			size_t n = 0;

			if (!str)
				str = "(null)";
			while (str[n])
				n++;
			out_padded(&o, str, n, width, left, ' ');
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);

			out_padded(&o, &c, 1, width, left, ' ');
			break;
		}
		case '%':
			out_char(&o, '%');
			break;
		case '\0':
			fmt--; /* lone '%' at the end */
			break;
		default:
			out_char(&o, '%');
			out_char(&o, conv);
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
