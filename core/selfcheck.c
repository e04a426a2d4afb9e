/*
 * Monitor integrity (include/selfcheck.h): nothing a guest does may
 * change lamina's own code or constants.  The nested page tables never
 * map the monitor, and every emulated access goes through gpa_to_hva(),
 * so a change here means a bug in one of those, found after the fact
 * rather than prevented; the hostile test guests (tests/hostile/) expect
 * the "intact" line at the end of every run.
 */
#include "kprintf.h"
#include "selfcheck.h"

static uint32_t crc_table[256];
static bool crc_table_ready;

static void crc32_table_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
	crc_table_ready = true;
}

uint32_t crc32_update(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	if (!crc_table_ready)
		crc32_table_init();
	crc = ~crc;
	while (len--)
		crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static struct {
	const uint8_t *text, *text_end, *rodata, *rodata_end;
	uint64_t *canary;
	uint32_t crc;
} sc;

static uint32_t selfcheck_crc(void)
{
	uint32_t crc = crc32_update(0, sc.text, (size_t)(sc.text_end - sc.text));

	return crc32_update(crc, sc.rodata, (size_t)(sc.rodata_end - sc.rodata));
}

void selfcheck_init(const void *text, const void *text_end, const void *rodata,
		    const void *rodata_end, uint64_t *canary)
{
	sc.text = text;
	sc.text_end = text_end;
	sc.rodata = rodata;
	sc.rodata_end = rodata_end;
	sc.canary = canary;
	for (unsigned i = 0; canary && i < SELFCHECK_CANARY_WORDS; i++)
		canary[i] = SELFCHECK_CANARY ^ i;
	sc.crc = selfcheck_crc();
	kprintf("lamina: monitor text %llu KiB, rodata %llu KiB: crc32 0x%08x\n",
		(unsigned long long)((sc.text_end - sc.text) >> 10),
		(unsigned long long)((sc.rodata_end - sc.rodata) >> 10), sc.crc);
}

bool selfcheck_verify(const char *when)
{
	uint32_t crc = selfcheck_crc();
	unsigned bad_canary = 0;

	for (unsigned i = 0; sc.canary && i < SELFCHECK_CANARY_WORDS; i++)
		if (sc.canary[i] != (SELFCHECK_CANARY ^ i))
			bad_canary++;
	if (crc == sc.crc && !bad_canary) {
		kprintf("lamina: monitor text intact (crc32 0x%08x, %s)\n", crc, when);
		return true;
	}
	if (crc != sc.crc)
		kprintf("lamina: MONITOR TEXT CHANGED (%s): crc32 0x%08x, was 0x%08x at boot; "
			"lamina's code or constants were overwritten\n", when, crc, sc.crc);
	if (bad_canary)
		kprintf("lamina: MONITOR TEXT CHANGED (%s): %u of %u stack canary words at %p "
			"overwritten: the monitor stack overflowed\n", when, bad_canary,
			SELFCHECK_CANARY_WORDS, (void *)sc.canary);
	return false;
}
