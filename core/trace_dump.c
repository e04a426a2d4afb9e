/*
 * trace=dump: the binary trace (include/trace_record.h) streamed to the
 * host machine's other 16550 (COM2 when lamina's console is COM1), so the
 * console stays readable.  The stream opens with the header and the
 * reason names; a device's name goes out before the first record that
 * uses it.  scripts/lamina-trace decodes it.
 */
#include "console.h"
#include "kprintf.h"
#include "lib.h"
#include "trace.h"
#include "x86.h"

static uint16_t dump_port;
static unsigned devices_named; /* trace_devices.name[0..devices_named) went out */

static void send_name(enum trace_kind kind, uint32_t id, const char *name)
{
	uint8_t buf[TRACE_RECORD_SIZE];

	trace_name_encode(kind, id, name, buf);
	uart_write(dump_port, buf, sizeof(buf));
}

/* The CPU vendor string: CPUID leaf 0, EBX EDX ECX (SDM Vol. 2A "CPUID"). */
static void cpu_vendor(char out[13])
{
	struct cpuid_regs r = cpuid(0, 0);

	memcpy(out, &r.ebx, 4);
	memcpy(out + 4, &r.edx, 4);
	memcpy(out + 8, &r.ecx, 4);
	out[12] = '\0';
}

int trace_dump_start(uint16_t port, const char *backend, uint64_t tsc_hz)
{
	struct trace_header h = { TRACE_VERSION, TRACE_RECORD_SIZE, EXIT_REASON_COUNT, tsc_hz,
				  "", "" };
	uint8_t buf[TRACE_HEADER_SIZE];
	char vendor[13];

	if (!uart_present(port)) {
		kprintf("lamina: trace=dump: no UART at %#x for the dump (give the emulator a "
			"second serial port, e.g. scripts/run-qemu --serial2 FILE); trace=summary "
			"instead\n", port);
		return -1;
	}
	dump_port = port;
	uart_init(port);
	cpu_vendor(vendor);
	memcpy(h.backend, backend, strlen(backend) < 15 ? strlen(backend) + 1 : 15);
	memcpy(h.cpu_vendor, vendor, sizeof(vendor));
	trace_header_encode(&h, buf);
	uart_write(port, buf, sizeof(buf));
	for (unsigned r = 0; r < EXIT_REASON_COUNT; r++)
		send_name(TREC_REASON_NAME, r, vm_exit_reason_name(r));
	kprintf("lamina: trace=dump: binary exit records go to the UART at %#x\n", port);
	return 0;
}

void trace_dump_write(const struct trace_record *r)
{
	uint8_t buf[TRACE_RECORD_SIZE];

	while (devices_named < trace_devices.n) {
		send_name(TREC_DEVICE_NAME, devices_named, trace_devices.name[devices_named]);
		devices_named++;
	}
	trace_record_encode(r, buf);
	uart_write(dump_port, buf, sizeof(buf));
}
