/*
 * The exit trace's binary format: header and records round-trip through
 * encode/decode with every field at its extreme values, the byte layout
 * is little-endian at the documented offsets, name records carry their id
 * and a truncated name, bad magic, versions and kinds are refused, and
 * reason filter words map to the right reasons.  It also writes a sample
 * stream (trace_sample.sample beside the binary) and the CSV that
 * scripts/lamina-trace must make of it (trace_sample.csv); tests/run
 * compares the two.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "trace_record.h"

static char sample_base[4000]; /* trace_sample beside the test binary */

static struct trace_record sample(unsigned i)
{
	return (struct trace_record){
		.seq = 1 + i, .tsc_exit = 1000000ull * i + 0x123456789aull,
		.tsc_resume = 1000000ull * i + 0x123456789aull + 5000 + i,
		.rip = i == 3 ? 0xffffffff81000123ull : 0xe987 + i, .value = i == 2 ? ~0ull : 0x34 + i,
		.raw = 0x7b + i, .arg = 0x43 - (i & 3), .handler_cycles = i == 4 ? UINT32_MAX : 3400 + i,
		.cs = i == 3 ? 0x10 : 0xf000, .vcpu = 0, .reason = (uint8_t)(i % EXIT_REASON_COUNT),
		.mode = (uint8_t)(i % TMODE_COUNT), .flags = (uint8_t)(i * 37), .size = 1 << (i % 3),
		.device = i == 5 ? TRACE_NO_DEVICE : (uint8_t)(i % 3), .inj_vector = (uint8_t)(8 + i),
		.inj_type = (uint8_t)(i & 3),
	};
}

static void test_record_round_trip(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 8; i++) {
		struct trace_record in = sample(i), out;
		uint8_t buf[TRACE_RECORD_SIZE];
		uint32_t id;
		char name[TRACE_NAME_MAX + 1];

		memset(&out, 0xa5, sizeof(out));
		trace_record_encode(&in, buf);
		assert_int_equal(trace_record_decode(buf, &out, &id, name), TREC_EXIT);
		assert_int_equal(out.seq, in.seq);
		assert_int_equal(out.tsc_exit, in.tsc_exit);
		assert_int_equal(out.tsc_resume, in.tsc_resume);
		assert_int_equal(out.rip, in.rip);
		assert_int_equal(out.value, in.value);
		assert_int_equal(out.raw, in.raw);
		assert_int_equal(out.arg, in.arg);
		assert_int_equal(out.handler_cycles, in.handler_cycles);
		assert_int_equal(out.cs, in.cs);
		assert_int_equal(out.vcpu, in.vcpu);
		assert_int_equal(out.reason, in.reason);
		assert_int_equal(out.mode, in.mode);
		assert_int_equal(out.flags, in.flags);
		assert_int_equal(out.size, in.size);
		assert_int_equal(out.device, in.device);
		assert_int_equal(out.inj_vector, in.inj_vector);
		assert_int_equal(out.inj_type, in.inj_type);
	}
}

static void test_record_layout_is_little_endian(void **state)
{
	struct trace_record r = sample(1);
	uint8_t buf[TRACE_RECORD_SIZE];

	(void)state;
	trace_record_encode(&r, buf);
	assert_int_equal(buf[0], 2);                        /* seq */
	assert_int_equal(buf[24], 0x88);                    /* RIP 0xe988, low byte first */
	assert_int_equal(buf[25], 0xe9);
	assert_int_equal(buf[44], 0x42);                    /* arg */
	assert_int_equal(buf[52], 0x00);                    /* CS 0xf000 */
	assert_int_equal(buf[53], 0xf0);
	assert_int_equal(buf[56], TREC_EXIT);
	assert_int_equal(buf[57], r.reason);
}

static void test_header_round_trip(void **state)
{
	struct trace_header in = { TRACE_VERSION, TRACE_RECORD_SIZE, EXIT_REASON_COUNT,
				   2000000000ull, "AMD-V", "AuthenticAMD" }, out;
	uint8_t buf[TRACE_HEADER_SIZE];

	(void)state;
	trace_header_encode(&in, buf);
	assert_memory_equal(buf, TRACE_MAGIC, 8);
	assert_int_equal(trace_header_decode(buf, &out), 0);
	assert_int_equal(out.tsc_hz, in.tsc_hz);
	assert_int_equal(out.reasons, EXIT_REASON_COUNT);
	assert_string_equal(out.backend, "AMD-V");
	assert_string_equal(out.cpu_vendor, "AuthenticAMD");
	buf[8] = TRACE_VERSION + 1;
	assert_int_equal(trace_header_decode(buf, &out), -1);
	buf[8] = TRACE_VERSION;
	buf[0] = 'X';
	assert_int_equal(trace_header_decode(buf, &out), -1);
}

static void test_name_records(void **state)
{
	uint8_t buf[TRACE_RECORD_SIZE];
	struct trace_record r;
	uint32_t id = 0;
	char name[TRACE_NAME_MAX + 1];

	(void)state;
	trace_name_encode(TREC_DEVICE_NAME, 7, "8254 PIT", buf);
	assert_int_equal(trace_record_decode(buf, &r, &id, name), TREC_DEVICE_NAME);
	assert_int_equal(id, 7);
	assert_string_equal(name, "8254 PIT");
	trace_name_encode(TREC_REASON_NAME, 1, "a-name-much-longer-than-thirty-two-bytes", buf);
	assert_int_equal(trace_record_decode(buf, &r, &id, name), TREC_REASON_NAME);
	assert_int_equal(strlen(name), TRACE_NAME_MAX);
	buf[56] = 0x42;
	assert_int_equal(trace_record_decode(buf, &r, &id, name), -1);
}

static void test_reason_filter_words(void **state)
{
	(void)state;
	assert_int_equal(trace_reason_mask("io", 2), BIT(EXIT_IO));
	assert_int_equal(trace_reason_mask("msr", 3), BIT(EXIT_RDMSR) | BIT(EXIT_WRMSR));
	assert_int_equal(trace_reason_mask("cr", 2), BIT(EXIT_CR_ACCESS));
	assert_int_equal(trace_reason_mask("ext-interrupt", 13), BIT(EXIT_EXT_INTR));
	assert_int_equal(trace_reason_mask("io,msr", 2), BIT(EXIT_IO)); /* length counts */
	assert_int_equal(trace_reason_mask("i", 1), 0);
	assert_int_equal(trace_reason_mask("bogus", 5), 0);
	assert_string_equal(vm_exit_reason_name(EXIT_IO), "io");
	assert_string_equal(vm_exit_reason_name(EXIT_REASON_COUNT), "?");
	assert_string_equal(trace_mode_name(TMODE_REAL), "real");
	assert_string_equal(trace_mode_name(TMODE_COUNT), "?");
}

/* A stream as the monitor sends it, and the CSV the host tool must print. */
static void test_write_sample_for_the_host_tool(void **state)
{
	static const char *const devices[] = { "8254 PIT", "rtc", "uart" };
	char path[4096];
	struct trace_header h = { TRACE_VERSION, TRACE_RECORD_SIZE, EXIT_REASON_COUNT,
				  1000000000ull, "VT-x", "GenuineIntel" };
	uint8_t buf[TRACE_RECORD_SIZE];
	FILE *bin, *csv;

	(void)state;
	snprintf(path, sizeof(path), "%s.sample", sample_base);
	bin = fopen(path, "wb");
	snprintf(path, sizeof(path), "%s.csv", sample_base);
	csv = fopen(path, "w");
	assert_non_null(bin);
	assert_non_null(csv);
	fputs("noise before the header", bin); /* the decoder looks for the magic */
	trace_header_encode(&h, buf);
	fwrite(buf, 1, TRACE_HEADER_SIZE, bin);
	for (unsigned r = 0; r < EXIT_REASON_COUNT; r++) {
		trace_name_encode(TREC_REASON_NAME, r, vm_exit_reason_name(r), buf);
		fwrite(buf, 1, sizeof(buf), bin);
	}
	for (unsigned d = 0; d < ARRAY_SIZE(devices); d++) {
		trace_name_encode(TREC_DEVICE_NAME, d, devices[d], buf);
		fwrite(buf, 1, sizeof(buf), bin);
	}
	fputs("seq,tsc_exit,tsc_resume,cycles,reason,raw,mode,cs,rip,arg,value,size,flags,device,"
	      "injected\n", csv);
	for (unsigned i = 0; i < 40; i++) {
		struct trace_record r = sample(i);
		char inj[8] = "";

		if (r.flags & TF_INJECTED)
			snprintf(inj, sizeof(inj), "%#x", r.inj_vector);
		trace_record_encode(&r, buf);
		fwrite(buf, 1, sizeof(buf), bin);
		fprintf(csv, "%llu,%llu,%llu,%u,%s,%#x,%s,%#x,%#llx,%#x,%#llx,%u,%#x,%s,%s\n",
			(unsigned long long)r.seq, (unsigned long long)r.tsc_exit,
			(unsigned long long)r.tsc_resume, r.handler_cycles,
			vm_exit_reason_name(r.reason), r.raw, trace_mode_name(r.mode), r.cs,
			(unsigned long long)r.rip, r.arg, (unsigned long long)r.value, r.size, r.flags,
			r.device < ARRAY_SIZE(devices) ? devices[r.device] : "",
			inj);
	}
	fclose(bin);
	fclose(csv);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_round_trip),
		cmocka_unit_test(test_record_layout_is_little_endian),
		cmocka_unit_test(test_header_round_trip),
		cmocka_unit_test(test_name_records),
		cmocka_unit_test(test_reason_filter_words),
		cmocka_unit_test(test_write_sample_for_the_host_tool),
	};

	const char *slash = strrchr(argv[0], '/');
	int dir = slash ? (int)(slash - argv[0]) + 1 : 0;

	(void)argc;
	snprintf(sample_base, sizeof(sample_base), "%.*strace_sample", dir, argv[0]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
