/*
 * The exit trace's binary format: encoder and decoder (layout in
 * include/trace_record.h), and the neutral names the format shares with
 * the summaries, the live lines and the host tool.
 */
#include "lib.h"
#include "trace_record.h"

static const char *const exit_reason_names[EXIT_REASON_COUNT] = {
	[EXIT_IO] = "io",
	[EXIT_CPUID] = "cpuid",
	[EXIT_RDMSR] = "rdmsr",
	[EXIT_WRMSR] = "wrmsr",
	[EXIT_CR_ACCESS] = "cr-access",
	[EXIT_PAGING] = "paging-fault",
	[EXIT_PAGING_MISCONFIG] = "paging-misconfig",
	[EXIT_HLT] = "hlt",
	[EXIT_EXCEPTION] = "exception",
	[EXIT_NMI] = "nmi",
	[EXIT_EXT_INTR] = "ext-interrupt",
	[EXIT_INTR_WINDOW] = "intr-window",
	[EXIT_TRIPLE_FAULT] = "triple-fault",
	[EXIT_HYPERCALL] = "hypercall",
	[EXIT_VIRT_INSN] = "virt-insn",
	[EXIT_INVD] = "invd",
	[EXIT_XSETBV] = "xsetbv",
	[EXIT_TIMER] = "timer",
	[EXIT_INIT_SIPI] = "init-sipi",
	[EXIT_TASK_SWITCH] = "task-switch",
	[EXIT_ENTRY_FAILED] = "entry-failed",
	[EXIT_OTHER] = "other",
};

const char *vm_exit_reason_name(enum vm_exit_reason r)
{
	return r < EXIT_REASON_COUNT ? exit_reason_names[r] : "?";
}

const char *trace_mode_name(unsigned mode)
{
	static const char *const names[TMODE_COUNT] = { "real", "v86", "prot16", "prot32",
							"long" };

	return mode < TMODE_COUNT ? names[mode] : "?";
}

uint32_t trace_reason_mask(const char *word, size_t len)
{
	static const struct { const char *name; uint32_t mask; } aliases[] = {
		{ "msr", BIT(EXIT_RDMSR) | BIT(EXIT_WRMSR) },
		{ "cr", BIT(EXIT_CR_ACCESS) },
		{ "paging", BIT(EXIT_PAGING) },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(aliases); i++)
		if (strlen(aliases[i].name) == len && strncmp(word, aliases[i].name, len) == 0)
			return aliases[i].mask;
	for (unsigned r = 0; r < EXIT_REASON_COUNT; r++)
		if (strlen(exit_reason_names[r]) == len && strncmp(word, exit_reason_names[r], len) == 0)
			return BIT(r);
	return 0;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return get16(p) | (uint32_t)get16(p + 2) << 16;
}

static uint64_t get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* A NUL-padded fixed-width string field. */
static void put_str(uint8_t *p, const char *s, size_t width)
{
	size_t n = strlen(s);

	memset(p, 0, width);
	memcpy(p, s, n < width ? n : width);
}

static void get_str(const uint8_t *p, char *s, size_t width)
{
	memcpy(s, p, width);
	s[width] = '\0';
}

void trace_header_encode(const struct trace_header *h, uint8_t out[TRACE_HEADER_SIZE])
{
	memset(out, 0, TRACE_HEADER_SIZE);
	memcpy(out, TRACE_MAGIC, 8);
	put16(out + 8, h->version);
	put16(out + 10, h->record_size);
	put16(out + 12, h->reasons);
	put64(out + 16, h->tsc_hz);
	put_str(out + 24, h->backend, 15);
	put_str(out + 40, h->cpu_vendor, 15);
}

int trace_header_decode(const uint8_t in[TRACE_HEADER_SIZE], struct trace_header *h)
{
	if (memcmp(in, TRACE_MAGIC, 8))
		return -1;
	h->version = get16(in + 8);
	h->record_size = get16(in + 10);
	h->reasons = get16(in + 12);
	h->tsc_hz = get64(in + 16);
	get_str(in + 24, h->backend, 15);
	get_str(in + 40, h->cpu_vendor, 15);
	return h->version == TRACE_VERSION && h->record_size == TRACE_RECORD_SIZE ? 0 : -1;
}

void trace_record_encode(const struct trace_record *r, uint8_t out[TRACE_RECORD_SIZE])
{
	put64(out, r->seq);
	put64(out + 8, r->tsc_exit);
	put64(out + 16, r->tsc_resume);
	put64(out + 24, r->rip);
	put64(out + 32, r->value);
	put32(out + 40, r->raw);
	put32(out + 44, r->arg);
	put32(out + 48, r->handler_cycles);
	put16(out + 52, r->cs);
	put16(out + 54, r->vcpu);
	out[56] = TREC_EXIT;
	out[57] = r->reason;
	out[58] = r->mode;
	out[59] = r->flags;
	out[60] = r->size;
	out[61] = r->device;
	out[62] = r->inj_vector;
	out[63] = r->inj_type;
}

void trace_name_encode(enum trace_kind kind, uint32_t id, const char *name,
		       uint8_t out[TRACE_RECORD_SIZE])
{
	memset(out, 0, TRACE_RECORD_SIZE);
	put_str(out + 8, name, TRACE_NAME_MAX);
	put32(out + 44, id);
	out[56] = (uint8_t)kind;
}

int trace_record_decode(const uint8_t in[TRACE_RECORD_SIZE], struct trace_record *r,
			uint32_t *id, char *name)
{
	switch (in[56]) {
	case TREC_EXIT:
		r->seq = get64(in);
		r->tsc_exit = get64(in + 8);
		r->tsc_resume = get64(in + 16);
		r->rip = get64(in + 24);
		r->value = get64(in + 32);
		r->raw = get32(in + 40);
		r->arg = get32(in + 44);
		r->handler_cycles = get32(in + 48);
		r->cs = get16(in + 52);
		r->vcpu = get16(in + 54);
		r->reason = in[57];
		r->mode = in[58];
		r->flags = in[59];
		r->size = in[60];
		r->device = in[61];
		r->inj_vector = in[62];
		r->inj_type = in[63];
		return TREC_EXIT;
	case TREC_REASON_NAME:
	case TREC_DEVICE_NAME:
		*id = get32(in + 44);
		get_str(in + 8, name, TRACE_NAME_MAX);
		return in[56];
	default:
		return -1;
	}
}
