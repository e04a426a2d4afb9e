/*
 * The exit trace's binary format (version 1): what `trace=dump` streams to
 * the host's second serial port and scripts/lamina-trace decodes.  Pure
 * code, host-tested; everything is little-endian and packed by hand, so
 * the layout does not depend on the compiler.
 *
 * A stream is one 64-byte header, then 64-byte records.  Records of kind
 * TREC_EXIT describe one VM exit.  Names are never hard-wired into the
 * decoder: TREC_REASON_NAME records (sent after the header) name each
 * neutral exit reason, and a TREC_DEVICE_NAME record names a device id the
 * first time an exit uses it.
 *
 *   header: 0 "LAMTRACE"  8 u16 version  10 u16 record size  12 u16 reasons
 *           14 u16 0  16 u64 TSC Hz  24 char[16] backend ("AMD-V", "VT-x")
 *           40 char[16] CPU vendor (CPUID leaf 0)  56 u64 0
 *   record: 0 u64 seq  8 u64 TSC at exit  16 u64 TSC at resume  24 u64 RIP
 *           32 u64 value  40 u32 raw vendor code  44 u32 arg
 *           48 u32 handler cycles  52 u16 CS  54 u16 vCPU  56 u8 kind
 *           57 u8 reason  58 u8 CPU mode  59 u8 flags  60 u8 size
 *           61 u8 device  62 u8 injected vector  63 u8 injected type
 *   name:   0 u64 0  8 char[32] name  40 u32 0  44 u32 id  48.. 0, 56 u8 kind
 */
#ifndef LAMINA_TRACE_RECORD_H
#define LAMINA_TRACE_RECORD_H

#include "types.h"
#include "vmm.h"

#define TRACE_MAGIC "LAMTRACE"
#define TRACE_VERSION 1
#define TRACE_RECORD_SIZE 64
#define TRACE_HEADER_SIZE 64
#define TRACE_NAME_MAX 32

enum trace_kind { TREC_EXIT = 1, TREC_REASON_NAME = 2, TREC_DEVICE_NAME = 3 };

/* The guest's CPU mode at the exit (SDM Vol. 3A 2.2, APM Vol. 2 1.2). */
enum trace_cpu_mode { TMODE_REAL, TMODE_V86, TMODE_PROT16, TMODE_PROT32, TMODE_LONG,
		      TMODE_COUNT };

/* flags: what the exit did, by reason. */
#define TF_IN BIT(0)       /* io: IN/INS (else OUT/OUTS) */
#define TF_STRING BIT(1)   /* io: INS/OUTS; value = elements moved */
#define TF_REP BIT(2)      /* io: with a REP prefix */
#define TF_READ BIT(3)     /* paging: the access read */
#define TF_WRITE BIT(4)    /* paging: the access wrote */
#define TF_FETCH BIT(5)    /* paging: instruction fetch */
#define TF_INJECTED BIT(7) /* an event was injected at the resume */

#define TRACE_NO_DEVICE 0xff

/*
 * One VM exit.  arg/value/size by reason: io: port, value read or
 * written (string I/O: elements moved), access size; rdmsr/wrmsr: MSR
 * index, value; cr-access: CR number, value after the access, access type
 * (enum cr_access_type); cpuid: leaf, subleaf; paging-fault: -, guest-
 * physical address; exception: vector, error code; task-switch: TSS
 * selector, -, source (enum task_switch_source).
 */
struct trace_record {
	uint64_t seq;        /* exit number since the monitor started, from 1 */
	uint64_t tsc_exit;   /* host TSC when the exit reached the monitor */
	uint64_t tsc_resume; /* host TSC at the next VM entry */
	uint64_t rip;        /* guest RIP of the exiting instruction */
	uint64_t value;
	uint32_t raw;        /* SVM EXITCODE / VMX basic exit reason */
	uint32_t arg;
	uint32_t handler_cycles; /* TSC cycles in the exit handler */
	uint16_t cs;         /* guest CS selector */
	uint16_t vcpu;
	uint8_t reason;      /* enum vm_exit_reason */
	uint8_t mode;        /* enum trace_cpu_mode */
	uint8_t flags;
	uint8_t size;
	uint8_t device;      /* device id (TREC_DEVICE_NAME), TRACE_NO_DEVICE */
	uint8_t inj_vector;  /* with TF_INJECTED */
	uint8_t inj_type;    /* enum vm_event_type, with TF_INJECTED */
};

struct trace_header {
	uint16_t version, record_size, reasons;
	uint64_t tsc_hz;
	char backend[16], cpu_vendor[16];
};

void trace_header_encode(const struct trace_header *h, uint8_t out[TRACE_HEADER_SIZE]);
int trace_header_decode(const uint8_t in[TRACE_HEADER_SIZE], struct trace_header *h);

void trace_record_encode(const struct trace_record *r, uint8_t out[TRACE_RECORD_SIZE]);
/* Returns the kind (enum trace_kind), or -1 for something else.  A name
 * record fills *id and name (NUL-terminated, TRACE_NAME_MAX + 1 bytes). */
int trace_record_decode(const uint8_t in[TRACE_RECORD_SIZE], struct trace_record *r,
			uint32_t *id, char *name);
void trace_name_encode(enum trace_kind kind, uint32_t id, const char *name,
		       uint8_t out[TRACE_RECORD_SIZE]);

/* Neutral reason names ("io", "rdmsr", ...) and CPU mode names ("real"...). */
const char *trace_mode_name(unsigned mode);
/* The reasons a filter word stands for: a reason name, or "msr" (rdmsr
 * and wrmsr), "cr" (cr-access), "paging" (paging-fault); 0 if none. */
uint32_t trace_reason_mask(const char *word, size_t len);

#endif
