/*
 * Virtual MC146818A real-time clock plus the PC/AT CMOS RAM map.
 *
 * References: Motorola MC146818A data sheet ("MC146818A" below: "Address
 * Map", "Time, Calendar and Alarm Locations", "Registers", "Interrupts",
 * "Divider Stages", Tables 3-6); IBM PC/AT Technical Reference, "CMOS RAM
 * Address Map"; SeaBIOS for the bytes above 0x30.
 *
 * Time model.  The chip divides a 32.768 kHz time base: periodic
 * interrupts are taps of that divider, and once a second an update cycle
 * advances the time.  Here the divider is an instant (divider_ns): tick k
 * of the time base happens k/32768 s later, the first update 500 ms later
 * and then one every second ("Divider Stages").  The guest time is
 * update_secs at update_ns plus one per update since, so it cannot drift
 * from vclock.  While SET=1 or the divider is held in reset no update
 * happens: the time bytes are frozen in cmos[] where the guest can edit
 * them, and the clock restarts from them.
 */
#include "vrtc.h"
#include "iobus.h"
#include "kprintf.h"
#include "lib.h"

/* MC146818A "Address Map", plus the PC's century byte. */
#define RTC_SECONDS 0x00
#define RTC_SECONDS_ALARM 0x01
#define RTC_MINUTES 0x02
#define RTC_MINUTES_ALARM 0x03
#define RTC_HOURS 0x04
#define RTC_HOURS_ALARM 0x05
#define RTC_DAY_OF_WEEK 0x06
#define RTC_DATE_OF_MONTH 0x07
#define RTC_MONTH 0x08
#define RTC_YEAR 0x09
#define RTC_REG_A 0x0a
#define RTC_REG_B 0x0b
#define RTC_REG_C 0x0c
#define RTC_REG_D 0x0d
#define RTC_CENTURY 0x32 /* PC/AT CMOS map; ACPI FADT CENTURY points here */

#define RTC_REG_A_UIP 0x80
#define RTC_REG_A_DV_RESET 0x60 /* DV2-DV1 = 11: divider chain held in reset */
#define RTC_REG_A_DV_32KHZ 0x20 /* DV2-DV0 = 010: 32.768 kHz time base */
#define RTC_REG_A_RS_MASK 0x0f
#define RTC_REG_A_RS_1024HZ 0x06

#define RTC_REG_B_SET 0x80
#define RTC_REG_B_PIE 0x40
#define RTC_REG_B_AIE 0x20
#define RTC_REG_B_UIE 0x10
#define RTC_REG_B_DM 0x04 /* data mode: 1 = binary, 0 = BCD */
#define RTC_REG_B_24H 0x02

#define RTC_REG_C_IRQF 0x80
#define RTC_REG_C_PF 0x40
#define RTC_REG_C_AF 0x20
#define RTC_REG_C_UF 0x10
#define RTC_REG_C_FLAGS (RTC_REG_C_PF | RTC_REG_C_AF | RTC_REG_C_UF)

#define RTC_REG_D_VRT 0x80

#define RTC_HOURS_PM 0x80         /* 12-hour mode: bit 7 of the hours byte */
#define RTC_ALARM_DONT_CARE 0xc0  /* alarm byte 11xxxxxx matches anything */

#define RTC_TIME_BASE_SHIFT 15    /* 32768 Hz = 1 << 15 */
#define RTC_FIRST_UPDATE_NS (NS_PER_SEC / 2)
#define RTC_TBUC_NS 244141        /* Table 6 tBUC: 8 time-base periods */

/* PC/AT CMOS RAM map and the SeaBIOS extensions. */
#define CMOS_SHUTDOWN_STATUS 0x0f /* why the CPU was reset (read back by the BIOS) */
#define CMOS_EQUIPMENT 0x14
#define CMOS_EQUIPMENT_FPU 0x02   /* no floppies, EGA/VGA display, FPU */
#define CMOS_EQUIPMENT_FLOPPY 0x01 /* bit 0: floppy drives present; bits 7-6: count - 1 */
#define CMOS_FLOPPY_TYPES 0x10    /* drive A: type in the high nibble */
#define CMOS_BASE_MEM 0x15        /* 0x15/0x16: KiB below 1 MiB */
#define CMOS_BASE_MEM_KIB 640
#define CMOS_EXT_MEM 0x17         /* 0x17/0x18: KiB above 1 MiB */
#define CMOS_CHECKSUM_FIRST 0x10
#define CMOS_CHECKSUM_LAST 0x2d
#define CMOS_CHECKSUM 0x2e        /* 0x2E high byte, 0x2F low byte */
#define CMOS_EXT_MEM_POST 0x30    /* 0x30/0x31: copy of 0x17/0x18 */
#define CMOS_MEM_ABOVE_16M 0x34   /* 0x34/0x35: 64 KiB units, 16 MiB..hole */
#define CMOS_BOOT_THIRD 0x38      /* bits 7-4 */
#define CMOS_BOOT_FIRST_SECOND 0x3d
#define CMOS_MEM_ABOVE_4G 0x5b    /* 0x5B-0x5D: 64 KiB units above 4 GiB */
#define CMOS_PCI_HOLE_START 0xe0000000ull

#define RTC_SECS_PER_DAY 86400
#define RTC_DAYS_PER_ERA 146097      /* days in 400 Gregorian years */
#define RTC_DAYS_0000_03_01 719468   /* 0000-03-01 to 1970-01-01 */
#define RTC_MAX_SECS 253402300799ll  /* 9999-12-31 23:59:59 */

static const uint8_t rtc_time_regs[] = {
	RTC_SECONDS, RTC_MINUTES, RTC_HOURS, RTC_DAY_OF_WEEK,
	RTC_DATE_OF_MONTH, RTC_MONTH, RTC_YEAR, RTC_CENTURY,
};

struct rtc_date {
	int64_t year;
	unsigned month, day, hour, minute, second;
	unsigned weekday; /* 0 = Sunday */
};

/* Division rounding toward minus infinity (dates before 1970 are negative). */
static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b < 0);
}

/* The matching remainder, always in [0, b). */
static int64_t floor_mod(int64_t a, int64_t b)
{
	return a - floor_div(a, b) * b;
}

/* Clamp helpers for decoded register values. */
static unsigned min_u(unsigned a, unsigned b)
{
	return a < b ? a : b;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* --- Calendar arithmetic (proleptic Gregorian, H. Hinnant's method) ---- */

/* Days since 1970-01-01.  Years are counted from March so that the leap
 * day is the last day of a year, in 400-year eras of equal length. */
static int64_t rtc_days_from_date(int64_t year, unsigned month, unsigned day)
{
	int64_t y = month <= 2 ? year - 1 : year;
	int64_t era = floor_div(y, 400);
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned march_month = month > 2 ? month - 3 : month + 9;
	unsigned doy = (153 * march_month + 2) / 5 + day - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * RTC_DAYS_PER_ERA + doe - RTC_DAYS_0000_03_01;
}

/* The inverse: split seconds since the epoch into a calendar date. */
static void rtc_date_from_secs(int64_t secs, struct rtc_date *d)
{
	int64_t days = floor_div(secs, RTC_SECS_PER_DAY);
	unsigned sod = (unsigned)floor_mod(secs, RTC_SECS_PER_DAY);
	int64_t z = days + RTC_DAYS_0000_03_01;
	int64_t era = floor_div(z, RTC_DAYS_PER_ERA);
	unsigned doe = (unsigned)floor_mod(z, RTC_DAYS_PER_ERA);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned march_month = (5 * doy + 2) / 153;

	d->day = doy - (153 * march_month + 2) / 5 + 1;
	d->month = march_month < 10 ? march_month + 3 : march_month - 9;
	d->year = era * 400 + yoe + (d->month <= 2);
	d->hour = sod / 3600;
	d->minute = sod / 60 % 60;
	d->second = sod % 60;
	d->weekday = (unsigned)floor_mod(days + 4, 7); /* 1970-01-01 was a Thursday */
}

/* --- Register formats (MC146818A Table 3) ------------------------------ */

/* A time byte is binary when B.DM = 1, else BCD. */
static uint8_t rtc_encode(const struct vrtc *rtc, unsigned v)
{
	if (rtc->cmos[RTC_REG_B] & RTC_REG_B_DM)
		return (uint8_t)v;
	return (uint8_t)((v / 10) << 4 | v % 10);
}

/* Decoding never fails: a bad BCD digit just yields a big number, which
 * the caller clamps. */
static unsigned rtc_decode(const struct vrtc *rtc, uint8_t v)
{
	if (rtc->cmos[RTC_REG_B] & RTC_REG_B_DM)
		return v;
	return (v >> 4) * 10u + (v & 0x0f);
}

/* Hours are 0-23 when B.24/12 = 1, else 1-12 with bit 7 = PM. */
static uint8_t rtc_encode_hour(const struct vrtc *rtc, unsigned hour)
{
	unsigned h12 = hour % 12 ? hour % 12 : 12;

	if (rtc->cmos[RTC_REG_B] & RTC_REG_B_24H)
		return rtc_encode(rtc, hour);
	return (uint8_t)(rtc_encode(rtc, h12) | (hour >= 12 ? RTC_HOURS_PM : 0));
}

/* The inverse; 12 AM is hour 0 and 12 PM hour 12. */
static unsigned rtc_decode_hour(const struct vrtc *rtc, uint8_t v)
{
	if (rtc->cmos[RTC_REG_B] & RTC_REG_B_24H)
		return rtc_decode(rtc, v);
	return rtc_decode(rtc, v & ~RTC_HOURS_PM) % 12 + (v & RTC_HOURS_PM ? 12 : 0);
}

/* The bytes the update cycle advances (alarm bytes are plain RAM). */
static bool rtc_is_time_reg(uint8_t reg)
{
	for (unsigned i = 0; i < ARRAY_SIZE(rtc_time_regs); i++)
		if (rtc_time_regs[i] == reg)
			return true;
	return false;
}

/* One time/calendar byte of date d, as the chip would hold it now. */
static uint8_t rtc_time_byte(const struct vrtc *rtc, uint8_t reg, const struct rtc_date *d)
{
	unsigned year = (unsigned)(d->year % 10000); /* four digits, then wrap */

	switch (reg) {
	case RTC_SECONDS:
		return rtc_encode(rtc, d->second);
	case RTC_MINUTES:
		return rtc_encode(rtc, d->minute);
	case RTC_HOURS:
		return rtc_encode_hour(rtc, d->hour);
	case RTC_DAY_OF_WEEK: /* 1-7, 1 = Sunday */
		return rtc_encode(rtc, (d->weekday + rtc->dow_offset) % 7 + 1);
	case RTC_DATE_OF_MONTH:
		return rtc_encode(rtc, d->day);
	case RTC_MONTH:
		return rtc_encode(rtc, d->month);
	case RTC_YEAR:
		return rtc_encode(rtc, year % 100);
	default: /* RTC_CENTURY */
		return rtc_encode(rtc, year / 100);
	}
}

/* --- The divider chain and the clock ----------------------------------- */

/* Whole 32.768 kHz ticks in dt ns, split so the multiply cannot overflow. */
static uint64_t rtc_ns_to_ticks(uint64_t dt)
{
	return ((dt / NS_PER_SEC) << RTC_TIME_BASE_SHIFT) +
	       ((dt % NS_PER_SEC) << RTC_TIME_BASE_SHIFT) / NS_PER_SEC;
}

/* The first nanosecond by which tick k has happened (rounded up). */
static uint64_t rtc_ticks_to_ns(uint64_t k)
{
	unsigned __int128 ns = (unsigned __int128)k * NS_PER_SEC + ((1u << RTC_TIME_BASE_SHIFT) - 1);

	return (uint64_t)(ns >> RTC_TIME_BASE_SHIFT);
}

/* Periodic interrupt period in time-base ticks, 0 for none (MC146818A
 * Table 5, 32.768 kHz column): RS = 3-15 taps divider stage RS-1 (122 us
 * to 500 ms); RS = 1 and 2 give the same rates as RS = 8 and 9. */
static uint64_t rtc_periodic_ticks(uint8_t reg_a)
{
	unsigned rs = reg_a & RTC_REG_A_RS_MASK;

	if (rs == 0)
		return 0;
	if (rs < 3)
		rs += 7;
	return 1ull << (rs - 1);
}

/* DV2-DV1 = 11 holds the divider in reset ("Divider Stages"): no ticks,
 * no updates.  Other DV values are taken as the PC's 32.768 kHz base. */
static bool rtc_divider_running(const struct vrtc *rtc)
{
	return (rtc->cmos[RTC_REG_A] & RTC_REG_A_DV_RESET) != RTC_REG_A_DV_RESET;
}

/* Update cycles happen unless the divider is held or B.SET = 1. */
static bool rtc_clock_running(const struct vrtc *rtc)
{
	return rtc_divider_running(rtc) && !(rtc->cmos[RTC_REG_B] & RTC_REG_B_SET);
}

/* The first update instant strictly after t: 500 ms after the divider
 * left reset, then every second. */
static uint64_t rtc_next_update_ns(const struct vrtc *rtc, uint64_t t)
{
	uint64_t first = rtc->divider_ns + RTC_FIRST_UPDATE_NS;

	if (t < first)
		return first;
	return first + ((t - first) / NS_PER_SEC + 1) * NS_PER_SEC;
}

/* The first periodic tap strictly after t (t >= divider_ns). */
static uint64_t rtc_next_periodic_ns(const struct vrtc *rtc, uint64_t t)
{
	uint64_t period = rtc_periodic_ticks(rtc->cmos[RTC_REG_A]);
	uint64_t n;

	if (!period || !rtc_divider_running(rtc))
		return VTIMER_NEVER;
	n = rtc_ns_to_ticks(t - rtc->divider_ns) / period + 1;
	return rtc->divider_ns + rtc_ticks_to_ns(n * period);
}

/* Guest time at t in seconds since the epoch, while the clock runs. */
static int64_t rtc_guest_secs(const struct vrtc *rtc, uint64_t t)
{
	if (t < rtc->update_ns)
		return rtc->update_secs - 1;
	return rtc->update_secs + (int64_t)((t - rtc->update_ns) / NS_PER_SEC);
}

/* The clock stops: copy its time into the time bytes, in the format
 * register B has right now. */
static void rtc_freeze_time(struct vrtc *rtc, uint64_t now)
{
	struct rtc_date d;

	rtc_date_from_secs(rtc_guest_secs(rtc, now), &d);
	for (unsigned i = 0; i < ARRAY_SIZE(rtc_time_regs); i++)
		rtc->cmos[rtc_time_regs[i]] = rtc_time_byte(rtc, rtc_time_regs[i], &d);
}

/* The clock (re)starts from the time bytes.  The divider keeps its phase,
 * so the next update comes when it would have anyway and advances the
 * time written by one second.  Out-of-range fields are clamped (the chip
 * would count garbage; we stay a valid date).  The day of week is a
 * separate counter on the chip: keep the guest's value as an offset. */
static void rtc_restart_time(struct vrtc *rtc, uint64_t now)
{
	const uint8_t *c = rtc->cmos;
	int64_t year = min_u(rtc_decode(rtc, c[RTC_CENTURY]), 99) * 100 +
		       min_u(rtc_decode(rtc, c[RTC_YEAR]), 99);
	unsigned month = min_u(rtc_decode(rtc, c[RTC_MONTH]), 12);
	unsigned day = min_u(rtc_decode(rtc, c[RTC_DATE_OF_MONTH]), 31);
	unsigned dow = rtc_decode(rtc, c[RTC_DAY_OF_WEEK]);
	int64_t secs = rtc_days_from_date(year, month ? month : 1, day ? day : 1) * RTC_SECS_PER_DAY +
		       min_u(rtc_decode_hour(rtc, c[RTC_HOURS]), 23) * 3600 +
		       min_u(rtc_decode(rtc, c[RTC_MINUTES]), 59) * 60 +
		       min_u(rtc_decode(rtc, c[RTC_SECONDS]), 59);
	struct rtc_date d;

	rtc_date_from_secs(secs, &d);
	if (dow >= 1 && dow <= 7)
		rtc->dow_offset = (uint8_t)((dow - 1 + 7 - d.weekday) % 7);
	rtc->update_ns = rtc_next_update_ns(rtc, now);
	rtc->update_secs = secs + 1;
}

/* --- Alarm (MC146818A "Time, Calendar and Alarm Locations") ------------- */

/* An alarm byte is compared with the time byte as stored; 11xxxxxx is a
 * "don't care" that matches every value. */
static bool rtc_alarm_accepts(const struct vrtc *rtc, uint8_t alarm, unsigned v, bool hour)
{
	if ((alarm & RTC_ALARM_DONT_CARE) == RTC_ALARM_DONT_CARE)
		return true;
	return alarm == (hour ? rtc_encode_hour(rtc, v) : rtc_encode(rtc, v));
}

/* Smallest value in [from, limit) the alarm byte accepts, or -1. */
static int rtc_alarm_first(const struct vrtc *rtc, uint8_t alarm, unsigned from,
			   unsigned limit, bool hour)
{
	for (unsigned v = from; v < limit; v++)
		if (rtc_alarm_accepts(rtc, alarm, v, hour))
			return (int)v;
	return -1;
}

/* Smallest time of day >= start the three alarm bytes match, or -1. */
static int64_t rtc_alarm_next_tod(const struct vrtc *rtc, unsigned start)
{
	uint8_t ah = rtc->cmos[RTC_HOURS_ALARM], am = rtc->cmos[RTC_MINUTES_ALARM];
	uint8_t as = rtc->cmos[RTC_SECONDS_ALARM];
	int h0 = (int)(start / 3600), m0 = (int)(start / 60 % 60), s0 = (int)(start % 60);

	for (int h = rtc_alarm_first(rtc, ah, (unsigned)h0, 24, true); h >= 0;
	     h = rtc_alarm_first(rtc, ah, (unsigned)h + 1, 24, true)) {
		int m_from = h == h0 ? m0 : 0;

		for (int m = rtc_alarm_first(rtc, am, (unsigned)m_from, 60, false); m >= 0;
		     m = rtc_alarm_first(rtc, am, (unsigned)m + 1, 60, false)) {
			int s = rtc_alarm_first(rtc, as, h == h0 && m == m0 ? (unsigned)s0 : 0, 60, false);

			if (s >= 0)
				return h * 3600 + m * 60 + s;
		}
	}
	return -1;
}

/* The first update after t whose new time matches the alarm. */
static uint64_t rtc_next_alarm_ns(const struct vrtc *rtc, uint64_t t)
{
	uint64_t first = rtc_next_update_ns(rtc, t);
	int64_t secs = rtc_guest_secs(rtc, first);
	unsigned tod = (unsigned)floor_mod(secs, RTC_SECS_PER_DAY);
	int64_t match;

	/* A byte that accepts no value at all (say minutes = 0x7f) never
	 * matches; ruling that out first bounds the search to two days. */
	if (rtc_alarm_first(rtc, rtc->cmos[RTC_SECONDS_ALARM], 0, 60, false) < 0 ||
	    rtc_alarm_first(rtc, rtc->cmos[RTC_MINUTES_ALARM], 0, 60, false) < 0 ||
	    rtc_alarm_first(rtc, rtc->cmos[RTC_HOURS_ALARM], 0, 24, true) < 0)
		return VTIMER_NEVER;
	match = rtc_alarm_next_tod(rtc, tod);
	if (match < 0)
		match = RTC_SECS_PER_DAY + rtc_alarm_next_tod(rtc, 0);
	return first + (uint64_t)(match - tod) * NS_PER_SEC;
}

/* --- Interrupts (MC146818A "Interrupts", "Register C") ------------------ */

/* Set the register C flags for what happened in (flags_ns, now]: PF at
 * each periodic tap, UF at each update, AF at an update whose new time
 * matches the alarm.  The chip sets them whether or not they are enabled.
 * Called before every change of configuration, so the interval saw one. */
static void rtc_collect_flags(struct vrtc *rtc, uint64_t now)
{
	uint64_t since = rtc->flags_ns;

	if (now <= since)
		return;
	if (rtc_next_periodic_ns(rtc, since) <= now)
		rtc->cmos[RTC_REG_C] |= RTC_REG_C_PF;
	if (rtc_clock_running(rtc) && rtc_next_update_ns(rtc, since) <= now) {
		rtc->cmos[RTC_REG_C] |= RTC_REG_C_UF;
		if (rtc_next_alarm_ns(rtc, since) <= now)
			rtc->cmos[RTC_REG_C] |= RTC_REG_C_AF;
	}
	rtc->flags_ns = now;
}

/* IRQF = PF.PIE + AF.AIE + UF.UIE and the IRQ pin follows it until
 * register C is read.  Flag and enable bits share positions in B and C. */
static void rtc_update_irq(struct vrtc *rtc)
{
	bool level = (rtc->cmos[RTC_REG_C] & rtc->cmos[RTC_REG_B] & RTC_REG_C_FLAGS) != 0;

	if (level)
		rtc->cmos[RTC_REG_C] |= RTC_REG_C_IRQF;
	else
		rtc->cmos[RTC_REG_C] &= (uint8_t)~RTC_REG_C_IRQF;
	if (level != rtc->irq_level) {
		rtc->irq_level = level;
		irq_set(&rtc->irq, level);
	}
}

/* Arm the timer for the next event that would raise IRQ8.  While IRQF is
 * set there is nothing to wait for: the pin stays asserted until C is
 * read, and flags that come meanwhile are collected at that read. */
static void rtc_schedule(struct vrtc *rtc)
{
	uint8_t b = rtc->cmos[RTC_REG_B];
	uint64_t since = rtc->flags_ns, next = VTIMER_NEVER;

	if (!(rtc->cmos[RTC_REG_C] & RTC_REG_C_IRQF)) {
		if (b & RTC_REG_B_PIE)
			next = rtc_next_periodic_ns(rtc, since);
		if (rtc_clock_running(rtc) && (b & RTC_REG_B_UIE))
			next = min_u64(next, rtc_next_update_ns(rtc, since));
		if (rtc_clock_running(rtc) && (b & RTC_REG_B_AIE))
			next = min_u64(next, rtc_next_alarm_ns(rtc, since));
	}
	if (next == VTIMER_NEVER)
		vtimer_cancel(&rtc->timer);
	else
		vtimer_arm(&rtc->timer, next);
}

/* An enabled event is due: collect it, which raises IRQ8. */
static void rtc_timer_fire(struct vtimer *t, uint64_t now)
{
	struct vrtc *rtc = t->opaque;

	rtc_collect_flags(rtc, now);
	rtc_update_irq(rtc);
	rtc_schedule(rtc);
}

/* --- Register access ----------------------------------------------------- */

/* UIP is 1 from tBUC (244 us) before each update until the update
 * (MC146818A "Register A", Table 6); with SET=1 or the divider held no
 * update is coming, so UIP reads 0. */
static bool rtc_update_in_progress(const struct vrtc *rtc, uint64_t now)
{
	return rtc_clock_running(rtc) && rtc_next_update_ns(rtc, now) - now <= RTC_TBUC_NS;
}

/* Reading C returns the flags and clears them all, releasing IRQ8; A adds
 * the live UIP bit; running time bytes are computed from the clock. */
static uint8_t rtc_read_reg(struct vrtc *rtc, uint8_t reg, uint64_t now)
{
	struct rtc_date d;
	uint8_t val;

	switch (reg) {
	case RTC_REG_A:
		return rtc->cmos[RTC_REG_A] | (rtc_update_in_progress(rtc, now) ? RTC_REG_A_UIP : 0);
	case RTC_REG_C:
		val = rtc->cmos[RTC_REG_C];
		rtc->cmos[RTC_REG_C] = 0;
		return val;
	default:
		if (!rtc_is_time_reg(reg) || !rtc_clock_running(rtc))
			return rtc->cmos[reg];
		rtc_date_from_secs(rtc_guest_secs(rtc, now), &d);
		return rtc_time_byte(rtc, reg, &d);
	}
}

/* Writes to A and B may stop or start the clock (SET, divider reset);
 * setting SET also clears UIE ("Register B").  A time byte written while
 * the clock runs is stored in the frozen copy, which restarts at once.
 * C and D are read-only; UIP is read-only. */
static void rtc_write_reg(struct vrtc *rtc, uint8_t reg, uint8_t val, uint64_t now)
{
	bool was_running = rtc_clock_running(rtc);
	bool divider_was_running = rtc_divider_running(rtc);

	if (reg == RTC_REG_C || reg == RTC_REG_D)
		return;
	if (reg != RTC_REG_A && reg != RTC_REG_B && !rtc_is_time_reg(reg)) {
		rtc->cmos[reg] = val;
		return;
	}
	if (was_running)
		rtc_freeze_time(rtc, now); /* in the format before this write */
	if (reg == RTC_REG_A)
		val &= (uint8_t)~RTC_REG_A_UIP;
	if (reg == RTC_REG_B && (val & RTC_REG_B_SET))
		val &= (uint8_t)~RTC_REG_B_UIE;
	rtc->cmos[reg] = val;
	if (!divider_was_running && rtc_divider_running(rtc))
		rtc->divider_ns = now;
	if (rtc_clock_running(rtc) && (!was_running || rtc_is_time_reg(reg)))
		rtc_restart_time(rtc, now);
}

/* A data-port read brings the flags up to date first, so that what the
 * guest sees is the chip at this instant. */
static uint8_t rtc_read_port(struct vrtc *rtc, uint32_t port)
{
	uint64_t now = vclock_now_ns();
	uint8_t val;

	if (port != VRTC_PORT_DATA)
		return 0xff; /* 0x70 is write-only: the bus floats high */
	rtc_collect_flags(rtc, now);
	val = rtc_read_reg(rtc, rtc->index & 0x7f, now);
	rtc_update_irq(rtc);
	rtc_schedule(rtc);
	return val;
}

/* Port 0x70 selects a register (bits 6-0) and sets the NMI mask (bit 7);
 * port 0x71 writes it. */
static void rtc_write_port(struct vrtc *rtc, uint32_t port, uint8_t val)
{
	uint64_t now = vclock_now_ns();

	if (port == VRTC_PORT_INDEX) {
		rtc->index = val;
		return;
	}
	if (port != VRTC_PORT_DATA)
		return;
	rtc_collect_flags(rtc, now);
	rtc_write_reg(rtc, rtc->index & 0x7f, val, now);
	rtc_update_irq(rtc);
	rtc_schedule(rtc);
}

/* A wider access is split into byte cycles on consecutive ports, as the
 * ISA bus does. */
uint32_t vrtc_read(void *opaque, uint16_t port, unsigned size)
{
	uint32_t val = 0;

	for (unsigned i = 0; i < size && i < 4; i++)
		val |= (uint32_t)rtc_read_port(opaque, (uint32_t)port + i) << (8 * i);
	return val;
}

void vrtc_write(void *opaque, uint16_t port, unsigned size, uint32_t val)
{
	for (unsigned i = 0; i < size && i < 4; i++)
		rtc_write_port(opaque, (uint32_t)port + i, (uint8_t)(val >> (8 * i)));
}

/* --- CMOS RAM contents ---------------------------------------------------- */

static void cmos_put16(struct vrtc *rtc, uint8_t reg, uint16_t v)
{
	rtc->cmos[reg] = (uint8_t)v;
	rtc->cmos[reg + 1] = (uint8_t)(v >> 8);
}

/* PC/AT checksum: 16-bit sum of 0x10-0x2D, high byte first at 0x2E. */
static void cmos_update_checksum(struct vrtc *rtc)
{
	uint16_t sum = 0;

	for (unsigned i = CMOS_CHECKSUM_FIRST; i <= CMOS_CHECKSUM_LAST; i++)
		sum = (uint16_t)(sum + rtc->cmos[i]);
	rtc->cmos[CMOS_CHECKSUM] = (uint8_t)(sum >> 8);
	rtc->cmos[CMOS_CHECKSUM + 1] = (uint8_t)sum;
}

/* The BIOS sizes RAM from these bytes (PC/AT 0x15-0x18; 0x30-0x35 and
 * 0x5B-0x5D as QEMU and SeaBIOS use them): KiB above 1 MiB capped at
 * 0xFFFF, 64 KiB units from 16 MiB up to the PCI hole, and 64 KiB units
 * of what is relocated above 4 GiB. */
void vrtc_set_memory(struct vrtc *rtc, uint64_t ram_bytes)
{
	uint64_t ext_kib = ram_bytes > MiB(1) ? (ram_bytes - MiB(1)) >> 10 : 0;
	uint64_t below_hole = min_u64(ram_bytes, CMOS_PCI_HOLE_START);
	uint64_t above_16m = below_hole > MiB(16) ? (below_hole - MiB(16)) >> 16 : 0;
	uint64_t above_4g = min_u64((ram_bytes - below_hole) >> 16, 0xffffff);

	cmos_put16(rtc, CMOS_BASE_MEM, CMOS_BASE_MEM_KIB);
	cmos_put16(rtc, CMOS_EXT_MEM, (uint16_t)min_u64(ext_kib, 0xffff));
	cmos_put16(rtc, CMOS_EXT_MEM_POST, (uint16_t)min_u64(ext_kib, 0xffff));
	cmos_put16(rtc, CMOS_MEM_ABOVE_16M, (uint16_t)above_16m);
	rtc->cmos[CMOS_MEM_ABOVE_4G] = (uint8_t)above_4g;
	rtc->cmos[CMOS_MEM_ABOVE_4G + 1] = (uint8_t)(above_4g >> 8);
	rtc->cmos[CMOS_MEM_ABOVE_4G + 2] = (uint8_t)(above_4g >> 16);
	cmos_update_checksum(rtc);
}

/* SeaBIOS boot order: one nibble per device, 0x3D = second:first and the
 * high nibble of 0x38 = third; the low nibble of 0x38 is left alone. */
void vrtc_set_boot_order(struct vrtc *rtc, enum vrtc_boot_dev first,
			 enum vrtc_boot_dev second, enum vrtc_boot_dev third)
{
	rtc->cmos[CMOS_BOOT_FIRST_SECOND] = (uint8_t)((second & 0xf) << 4 | (first & 0xf));
	rtc->cmos[CMOS_BOOT_THIRD] = (uint8_t)((third & 0xf) << 4 | (rtc->cmos[CMOS_BOOT_THIRD] & 0x0f));
}

/* The chipset ANDs NMI with !(bit 7 of the last index write). */
bool vrtc_nmi_masked(const struct vrtc *rtc)
{
	return rtc->index & 0x80;
}

/* Register values a PC BIOS leaves (MC146818A "Registers"): 32.768 kHz
 * base, 1024 Hz rate, 24-hour BCD, interrupts off, VRT = 1. */
void vrtc_init(struct vrtc *rtc, const struct irq_line *irq,
	       vrtc_host_time_fn host_time, void *opaque)
{
	uint64_t now = vclock_now_ns();
	int64_t secs = host_time(opaque);

	memset(rtc, 0, sizeof(*rtc));
	if (irq)
		rtc->irq = *irq;
	rtc->timer.fire = rtc_timer_fire;
	rtc->timer.opaque = rtc;
	rtc->cmos[RTC_REG_A] = RTC_REG_A_DV_32KHZ | RTC_REG_A_RS_1024HZ;
	rtc->cmos[RTC_REG_B] = RTC_REG_B_24H;
	rtc->cmos[RTC_REG_D] = RTC_REG_D_VRT;
	rtc->cmos[CMOS_EQUIPMENT] = CMOS_EQUIPMENT_FPU;
	cmos_put16(rtc, CMOS_BASE_MEM, CMOS_BASE_MEM_KIB);
	cmos_update_checksum(rtc);
	rtc->divider_ns = now;
	rtc->flags_ns = now;
	if (secs < 0)
		secs = 0;
	if (secs > RTC_MAX_SECS)
		secs = RTC_MAX_SECS;
	rtc->update_ns = rtc_next_update_ns(rtc, now);
	rtc->update_secs = secs + 1;
}

/* What a CMOS byte holds (MC146818A registers, PC/AT CMOS map). */
static const char *cmos_name(uint8_t reg)
{
	static const char *const rtc_regs[] = {
		[RTC_SECONDS] = "seconds", [RTC_SECONDS_ALARM] = "seconds alarm",
		[RTC_MINUTES] = "minutes", [RTC_MINUTES_ALARM] = "minutes alarm",
		[RTC_HOURS] = "hours", [RTC_HOURS_ALARM] = "hours alarm",
		[RTC_DAY_OF_WEEK] = "day of week", [RTC_DATE_OF_MONTH] = "date",
		[RTC_MONTH] = "month", [RTC_YEAR] = "year", [RTC_REG_A] = "status A",
		[RTC_REG_B] = "status B", [RTC_REG_C] = "status C (flags, read clears)",
		[RTC_REG_D] = "status D", [CMOS_SHUTDOWN_STATUS] = "shutdown status",
		[CMOS_FLOPPY_TYPES] = "floppy types", [CMOS_EQUIPMENT] = "equipment",
		[CMOS_BASE_MEM] = "base memory", [CMOS_BASE_MEM + 1] = "base memory",
		[CMOS_EXT_MEM] = "extended memory", [CMOS_EXT_MEM + 1] = "extended memory",
		[CMOS_CHECKSUM] = "checksum", [CMOS_CHECKSUM + 1] = "checksum",
		[CMOS_EXT_MEM_POST] = "extended memory", [CMOS_EXT_MEM_POST + 1] = "extended memory",
		[RTC_CENTURY] = "century", [CMOS_MEM_ABOVE_16M] = "memory above 16M",
		[CMOS_MEM_ABOVE_16M + 1] = "memory above 16M", [CMOS_BOOT_THIRD] = "boot order",
		[CMOS_BOOT_FIRST_SECOND] = "boot order", [CMOS_MEM_ABOVE_4G] = "memory above 4G",
		[CMOS_MEM_ABOVE_4G + 1] = "memory above 4G", [CMOS_MEM_ABOVE_4G + 2] = "memory above 4G",
	};

	return reg < ARRAY_SIZE(rtc_regs) && rtc_regs[reg] ? rtc_regs[reg] : "CMOS RAM";
}

/* For the live trace: port 0x70 selects a byte and the NMI mask, port
 * 0x71 moves it. */
static int vrtc_explain(void *opaque, uint16_t port, unsigned size, bool in, uint32_t val,
			char *buf, unsigned len)
{
	const struct vrtc *rtc = opaque;

	(void)size;
	if (port == VRTC_PORT_INDEX)
		return in ? 0 : ksnprintf(buf, len, "select %#x (%s)%s", val & 0x7f,
					  cmos_name(val & 0x7f), val & 0x80 ? ", NMI off" : "");
	return ksnprintf(buf, len, "%s %#x (%s)", in ? "read" : "write", rtc->index & 0x7f,
			 cmos_name(rtc->index & 0x7f));
}

/* The RTC decodes two ports: index 0x70 and data 0x71. */
int vrtc_attach(struct vrtc *rtc)
{
	static const struct io_ops vrtc_ops = {
		.name = "rtc",
		.read = vrtc_read,
		.write = vrtc_write,
		.explain = vrtc_explain,
	};

	return io_register(VRTC_PORT_INDEX, 2, &vrtc_ops, rtc);
}

/* The floppy bytes the BIOS reads to find drive A: (IBM PC/AT CMOS map). */
void vrtc_set_floppy(struct vrtc *rtc, uint8_t type_a)
{
	rtc->cmos[CMOS_FLOPPY_TYPES] = (uint8_t)((type_a & 0xf) << 4);
	if (type_a)
		rtc->cmos[CMOS_EQUIPMENT] |= CMOS_EQUIPMENT_FLOPPY;
	else
		rtc->cmos[CMOS_EQUIPMENT] &= (uint8_t)~CMOS_EQUIPMENT_FLOPPY;
	cmos_update_checksum(rtc);
}
