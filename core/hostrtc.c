/*
 * Read the time of day once from the host's MC146818 RTC (CMOS 0x70/0x71)
 * so the guest's RTC starts at the real time.  Wait for the update-in-
 * progress flag to clear (MC146818A datasheet, "Update Cycle"), then read
 * the BCD or binary fields as register B says.
 */
#include "hostrtc.h"
#include "x86.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define RTC_SEC 0x00
#define RTC_MIN 0x02
#define RTC_HOUR 0x04
#define RTC_DAY 0x07
#define RTC_MONTH 0x08
#define RTC_YEAR 0x09
#define RTC_REG_A 0x0a
#define RTC_REG_B 0x0b
#define RTC_A_UIP 0x80
#define RTC_B_24H 0x02
#define RTC_B_BINARY 0x04
#define RTC_HOUR_PM 0x80

static uint8_t cmos_read(uint8_t reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
}

static unsigned field(uint8_t v, bool binary)
{
	return binary ? v : (v >> 4) * 10 + (v & 0xf);
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; Howard Hinnant's
 * days_from_civil algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + (int64_t)doe - 719468;
}

int64_t hostrtc_unix_time(void)
{
	uint8_t b, hour;
	bool binary;
	unsigned h;

	for (unsigned spins = 0; spins < 1000000 && (cmos_read(RTC_REG_A) & RTC_A_UIP); spins++)
		;
	b = cmos_read(RTC_REG_B);
	binary = b & RTC_B_BINARY;
	hour = cmos_read(RTC_HOUR);
	h = field(hour & 0x7f, binary);
	if (!(b & RTC_B_24H)) /* 12-hour mode: 12 AM is 0, PM adds 12 */
		h = (h % 12) + ((hour & RTC_HOUR_PM) ? 12 : 0);
	int64_t days = days_from_civil(2000 + field(cmos_read(RTC_YEAR), binary),
				       field(cmos_read(RTC_MONTH), binary),
				       field(cmos_read(RTC_DAY), binary));
	return days * 86400 + h * 3600 + field(cmos_read(RTC_MIN), binary) * 60 +
	       field(cmos_read(RTC_SEC), binary);
}
