/*
 * Parser for lamina's command line: space-separated name=value words.
 * Table-driven; every value is checked, and anything unknown stops the
 * boot with one sentence that names it (pure code, host-tested).
 */
#include "kprintf.h"
#include "lib.h"
#include "options.h"
#include "trace_record.h"

#define OPT_WORD_MAX 128

struct option_desc {
	const char *name;
	const char *help;
	int (*parse)(const char *val, struct lamina_options *o, char *err, size_t errlen);
};

static int parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	unsigned base = 10;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return -1;
	for (; *s; s++) {
		unsigned d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return -1;
		if (v > (UINT64_MAX - d) / base)
			return -1;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

static int opt_mem(const char *val, struct lamina_options *o, char *err, size_t errlen)
{
	char num[32];
	size_t n = strlen(val);
	unsigned shift = 0;
	uint64_t v;

	if (n == 0 || n >= sizeof(num))
		goto bad;
	memcpy(num, val, n + 1);
	switch (num[n - 1]) {
	case 'K': case 'k': shift = 10; break;
	case 'M': case 'm': shift = 20; break;
	case 'G': case 'g': shift = 30; break;
	default: break;
	}
	if (shift)
		num[n - 1] = '\0';
	if (parse_u64(num, &v) || v > (UINT64_MAX >> shift))
		goto bad;
	v <<= shift;
	if (v < OPT_MEM_MIN || v > OPT_MEM_MAX || v % MiB(1)) {
		ksnprintf(err, errlen, "mem=%s is out of range: give whole MiB from 2M to 3G", val);
		return -1;
	}
	o->mem_bytes = v;
	return 0;
bad:
	ksnprintf(err, errlen, "mem=%s is not a size (examples: mem=64M, mem=1G)", val);
	return -1;
}

static int opt_console(const char *val, struct lamina_options *o, char *err, size_t errlen)
{
	uint64_t port;

	if (strcmp(val, "vga") == 0) {
		o->console_vga = true;
		return 0;
	}
	if (strcmp(val, "com1") == 0)
		port = 0x3f8;
	else if (strcmp(val, "com2") == 0)
		port = 0x2f8;
	else if (parse_u64(val, &port) || port == 0 || port > 0xfff8) {
		ksnprintf(err, errlen, "console=%s: give com1, com2, vga or an I/O port like 0x3f8", val);
		return -1;
	}
	o->console_port = (uint16_t)port;
	return 0;
}

static int opt_boot(const char *val, struct lamina_options *o, char *err, size_t errlen)
{
	static const struct { const char *name; enum boot_kind kind; } kinds[] = {
		{ "none", BOOT_NONE }, { "flat", BOOT_FLAT }, { "bios", BOOT_BIOS },
		{ "linux", BOOT_LINUX }, { "multiboot", BOOT_MULTIBOOT },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(kinds); i++) {
		if (strcmp(val, kinds[i].name) == 0) {
			o->boot = kinds[i].kind;
			return 0;
		}
	}
	ksnprintf(err, errlen, "boot=%s: give none, flat, bios, linux or multiboot", val);
	return -1;
}

static int opt_guest_mode(const char *val, struct lamina_options *o, char *err, size_t errlen)
{
	if (strcmp(val, "real") == 0)
		o->guest_mode = GUEST_MODE_REAL;
	else if (strcmp(val, "prot") == 0)
		o->guest_mode = GUEST_MODE_PROT;
	else {
		ksnprintf(err, errlen, "guest.mode=%s: give real or prot", val);
		return -1;
	}
	return 0;
}

/* QEMU's -boot order= letters: a floppy, c hard disk, d CD-ROM, each at
 * most once, at most three (SeaBIOS reads three CMOS nibbles). */
static int opt_boot_order(const char *val, struct lamina_options *o, char *err, size_t errlen)
{
	size_t n = strlen(val);
	bool seen[3] = { false, false, false }; /* a, c, d */

	for (size_t i = 0; i < n; i++) {
		unsigned k = val[i] == 'a' ? 0 : val[i] == 'c' ? 1 : val[i] == 'd' ? 2 : 3;

		if (n > 3 || k == 3 || seen[k]) {
			ksnprintf(err, errlen,
				  "boot.order=%s: give up to three of a (floppy), c (disk), d (CD), "
				  "each once", val);
			return -1;
		}
		seen[k] = true;
	}
	memcpy(o->boot_order, val, n + 1);
	return 0;
}

static int opt_watchdog(const char *val, struct lamina_options *o, char *err, size_t errlen)
{
	uint64_t s;

	if (parse_u64(val, &s) || s > 86400) {
		ksnprintf(err, errlen, "watchdog=%s: give whole seconds, 0 to 86400", val);
		return -1;
	}
	o->watchdog_s = (unsigned)s;
	return 0;
}

static int opt_bios_log(const char *val, struct lamina_options *o, char *err, size_t errlen)
{
	if (strcmp(val, "on") && strcmp(val, "off")) {
		ksnprintf(err, errlen, "bioslog=%s: give on or off", val);
		return -1;
	}
	o->bios_log = strcmp(val, "on") == 0;
	return 0;
}

static int opt_test_corrupt(const char *val, struct lamina_options *o, char *err, size_t errlen)
{
	if (strcmp(val, "guest-state")) {
		ksnprintf(err, errlen, "test.corrupt=%s: give guest-state", val);
		return -1;
	}
	o->corrupt_guest_state = true;
	return 0;
}

static int opt_floppy(const char *val, struct lamina_options *o, char *err, size_t errlen)
{
	if (strcmp(val, "fdc") && strcmp(val, "fwcfg")) {
		ksnprintf(err, errlen, "floppy=%s: give fdc or fwcfg", val);
		return -1;
	}
	o->floppy_fdc = strcmp(val, "fdc") == 0;
	return 0;
}

static int opt_trace(const char *val, struct lamina_options *o, char *err, size_t errlen)
{
	static const char *const modes[] = { "off", "summary", "live", "dump" };

	for (unsigned i = 0; i < ARRAY_SIZE(modes); i++) {
		if (strcmp(val, modes[i]) == 0) {
			o->trace.mode = (enum trace_mode)i;
			return 0;
		}
	}
	ksnprintf(err, errlen, "trace=%s: give off, summary, live or dump", val);
	return -1;
}

/* trace.reason=io,msr: a comma-separated list of reason names. */
static int opt_trace_reason(const char *val, struct lamina_options *o, char *err, size_t errlen)
{
	uint32_t mask = 0;

	for (const char *w = val;; w++) {
		size_t n = 0;
		uint32_t m;

		while (w[n] && w[n] != ',')
			n++;
		m = trace_reason_mask(w, n);
		if (!m) {
			char word[24];

			memcpy(word, w, n < sizeof(word) ? n : sizeof(word) - 1);
			word[n < sizeof(word) ? n : sizeof(word) - 1] = '\0';
			ksnprintf(err, errlen, "trace.reason=%s: '%s' is not an exit reason "
				  "(io, cpuid, msr, cr, paging, hlt, exception, ...)", val, word);
			return -1;
		}
		mask |= m;
		w += n;
		if (!*w)
			break;
	}
	o->trace.reasons = mask;
	return 0;
}

/* trace.port=0x40-0x43 or trace.port=0x3f8 */
static int opt_trace_port(const char *val, struct lamina_options *o, char *err, size_t errlen)
{
	char lo[16];
	const char *dash = val;
	uint64_t a, b;

	while (*dash && *dash != '-')
		dash++;
	if ((size_t)(dash - val) >= sizeof(lo))
		goto bad;
	memcpy(lo, val, (size_t)(dash - val));
	lo[dash - val] = '\0';
	if (parse_u64(lo, &a) || (*dash ? parse_u64(dash + 1, &b) : (b = a, 0)) || a > b ||
	    b > 0xffff)
		goto bad;
	o->trace.port_lo = (uint16_t)a;
	o->trace.port_hi = (uint16_t)b;
	o->trace.port_filter = true;
	return 0;
bad:
	ksnprintf(err, errlen, "trace.port=%s: give a port or a range, like 0x40-0x43", val);
	return -1;
}

static int opt_trace_first(const char *val, struct lamina_options *o, char *err, size_t errlen)
{
	if (parse_u64(val, &o->trace.first)) {
		ksnprintf(err, errlen, "trace.first=%s: give a number of exits", val);
		return -1;
	}
	return 0;
}

static int opt_trace_every(const char *val, struct lamina_options *o, char *err, size_t errlen)
{
	uint64_t n;

	if (parse_u64(val, &n) || n > UINT32_MAX) {
		ksnprintf(err, errlen, "trace.every=%s: give a number of exits", val);
		return -1;
	}
	o->trace.every = (uint32_t)n;
	return 0;
}

static const struct option_desc option_table[] = {
	{ "mem", "guest RAM size", opt_mem },
	{ "console", "lamina's console UART", opt_console },
	{ "boot", "what to start", opt_boot },
	{ "boot.order", "the BIOS's boot devices: a floppy, c disk, d CD", opt_boot_order },
	{ "guest.mode", "CPU mode of a flat guest", opt_guest_mode },
	{ "watchdog", "seconds before the guest is stopped", opt_watchdog },
	{ "bioslog", "show the firmware's debug log (port 0x402)", opt_bios_log },
	{ "test.corrupt", "break the guest state to test entry-failure reports", opt_test_corrupt },
	{ "floppy", "how the floppy module reaches the BIOS", opt_floppy },
	{ "trace", "the exit trace: off, summary, live or dump", opt_trace },
	{ "trace.reason", "trace only these exit reasons", opt_trace_reason },
	{ "trace.port", "trace I/O exits on these ports only", opt_trace_port },
	{ "trace.first", "trace only the first N exits", opt_trace_first },
	{ "trace.every", "trace every Nth exit", opt_trace_every },
};

void options_defaults(struct lamina_options *o)
{
	*o = (struct lamina_options){
		.mem_bytes = OPT_MEM_DEFAULT,
		.console_port = 0, /* the BIOS data area's COM1, else 0x3f8 */
		.boot = BOOT_AUTO,
		.guest_mode = GUEST_MODE_REAL,
	};
}

static int parse_word(const char *word, struct lamina_options *o, char *err, size_t errlen)
{
	const char *eq = word;

	while (*eq && *eq != '=')
		eq++;
	for (unsigned i = 0; i < ARRAY_SIZE(option_table); i++) {
		const struct option_desc *d = &option_table[i];
		size_t n = strlen(d->name);

		if ((size_t)(eq - word) == n && strncmp(word, d->name, n) == 0) {
			if (!*eq) {
				ksnprintf(err, errlen, "option '%s' needs a value (%s=...)", word, d->name);
				return -1;
			}
			return d->parse(eq + 1, o, err, errlen);
		}
	}
	ksnprintf(err, errlen,
		  "unknown option '%s'; known: mem= console= boot= boot.order= guest.mode= watchdog= "
		  "bioslog= test.corrupt= floppy= trace= trace.{reason,port,first,every}=", word);
	return -1;
}

int options_parse(const char *cmdline, struct lamina_options *o, char *err, size_t errlen)
{
	char word[OPT_WORD_MAX];

	options_defaults(o);
	while (*cmdline) {
		size_t n = 0;

		while (*cmdline == ' ' || *cmdline == '\t')
			cmdline++;
		if (!*cmdline)
			break;
		while (cmdline[n] && cmdline[n] != ' ' && cmdline[n] != '\t')
			n++;
		if (n >= sizeof(word)) {
			ksnprintf(err, errlen, "an option is longer than %d characters", OPT_WORD_MAX - 1);
			return -1;
		}
		memcpy(word, cmdline, n);
		word[n] = '\0';
		cmdline += n;
		if (parse_word(word, o, err, errlen))
			return -1;
	}
	return 0;
}

const char *boot_kind_name(enum boot_kind k)
{
	switch (k) {
	case BOOT_NONE: return "none";
	case BOOT_FLAT: return "flat";
	case BOOT_BIOS: return "bios";
	case BOOT_LINUX: return "linux";
	case BOOT_MULTIBOOT: return "multiboot";
	default: return "auto";
	}
}
