/*
 * Time for the monitor: TSC calibration against the host PIT, the
 * monitor clock, and the local APIC one-shot timer that bounds each guest
 * run.  SDM Vol. 3A 12.5.4 (APIC timer), 8254 datasheet (PIT channel 2,
 * gated through port 61h).
 */
#include "hosttimer.h"
#include "kprintf.h"
#include "trap.h"
#include "vclock.h"
#include "x86.h"

#define PIT_HZ 1193182u
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PORT_61 0x61
#define PORT_61_GATE2 0x01
#define PORT_61_SPEAKER 0x02
#define PORT_61_OUT2 0x20
#define CALIBRATE_DIV 20 /* 50 ms */

#define LAPIC_EOI 0x0b0
#define LAPIC_SVR 0x0f0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_INITIAL 0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE 0x3e0
#define LAPIC_SVR_ENABLE BIT(8)
#define LAPIC_LVT_MASKED BIT(16)
#define LAPIC_DIVIDE_BY_1 0xb
#define VEC_LAPIC_TIMER 0xf0
#define VEC_LAPIC_SPURIOUS 0xff

static uint64_t tsc_hz, tsc_boot;
static uint64_t ns_per_tsc_32;  /* ns per TSC tick, 32.32 fixed point */
static uint64_t tsc_per_ns_32;  /* its inverse, rounded up */
static uint64_t lapic_per_tsc_32; /* APIC timer ticks per TSC tick, 32.32 */
static volatile uint32_t *lapic;

static uint32_t lapic_read(unsigned reg)
{
	return lapic[reg / 4];
}

static void lapic_write(unsigned reg, uint32_t val)
{
	lapic[reg / 4] = val;
}

static void lapic_timer_irq(struct trap_frame *f)
{
	(void)f;
	lapic_write(LAPIC_EOI, 0);
}

static void lapic_spurious_irq(struct trap_frame *f)
{
	(void)f; /* spurious vectors get no EOI (SDM 3A 12.9) */
}

/* The monitor polls its devices; the legacy PIC stays masked so only the
 * APIC timer interrupts it. */
static void lapic_init(void)
{
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
	if (!(cpuid(1, 0).edx & BIT(9))) {
		kprintf("lamina: no local APIC: a guest that spins with interrupts off "
			"cannot be interrupted\n");
		return;
	}
	lapic = (volatile uint32_t *)(uintptr_t)(rdmsr(MSR_IA32_APIC_BASE) & ~0xfffull);
	trap_set_handler(VEC_LAPIC_TIMER, lapic_timer_irq);
	trap_set_handler(VEC_LAPIC_SPURIOUS, lapic_spurious_irq);
	lapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | VEC_LAPIC_SPURIOUS);
	lapic_write(LAPIC_TIMER_DIVIDE, LAPIC_DIVIDE_BY_1);
	lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | VEC_LAPIC_TIMER);
}

/*
 * Count TSC and APIC-timer ticks while PIT channel 2 counts down 50 ms in
 * mode 0 (OUT2 goes high at terminal count, read in port 61h bit 5).
 */
void clock_init(void)
{
	uint8_t p61 = inb(PORT_61);
	uint16_t count = PIT_HZ / CALIBRATE_DIV;
	uint64_t t0, t1, apic_ticks = 0;

	lapic_init();
	outb(PORT_61, (p61 & ~PORT_61_SPEAKER) & ~PORT_61_GATE2);
	outb(PIT_CMD, 0xb0); /* channel 2, lo/hi byte, mode 0, binary */
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
	if (lapic)
		lapic_write(LAPIC_TIMER_INITIAL, 0xffffffff);
	outb(PORT_61, (p61 & ~PORT_61_SPEAKER) | PORT_61_GATE2);
	t0 = rdtsc();
	while (!(inb(PORT_61) & PORT_61_OUT2) && rdtsc() - t0 < (1ull << 40))
		;
	t1 = rdtsc();
	if (lapic) {
		apic_ticks = 0xffffffffu - lapic_read(LAPIC_TIMER_CURRENT);
		lapic_write(LAPIC_TIMER_INITIAL, 0);
	}
	outb(PORT_61, p61);

	tsc_hz = (t1 - t0) * CALIBRATE_DIV;
	if (tsc_hz < 1000000)
		tsc_hz = 1000000; /* a broken PIT: assume something, keep going */
	tsc_boot = t1;
	/* 32.32 fixed-point ratios, kept inside 64 bits (no 128-bit division
	 * in a freestanding build): scale numerator and denominator alike. */
	ns_per_tsc_32 = (NS_PER_SEC << 32) / tsc_hz;
	/* 2^64 / ns_per_tsc_32 rounded up, so that clock_ns_to_tsc() is never
	 * early against vclock_now_ns().  Precision matters: an inverse 20 ppm
	 * short (what rounding tsc_hz to kHz gives at Bochs' 50 MHz) puts
	 * deadlines 1 ms early after a minute, and the VMX-preemption timer
	 * then exits dozens of times before each one is due. */
	tsc_per_ns_32 = UINT64_MAX / ns_per_tsc_32 + 1;
	lapic_per_tsc_32 = (((apic_ticks * CALIBRATE_DIV) >> 8) << 32) / (tsc_hz >> 8);
	kprintf("lamina: clock: TSC %llu MHz, APIC timer %llu MHz\n",
		(unsigned long long)(tsc_hz / 1000000),
		(unsigned long long)(apic_ticks * CALIBRATE_DIV / 1000000));
}

uint64_t clock_tsc_hz(void)
{
	return tsc_hz;
}

uint64_t vclock_now_ns(void)
{
	return (uint64_t)(((unsigned __int128)(rdtsc() - tsc_boot) * ns_per_tsc_32) >> 32);
}

/* The first TSC value at which vclock_now_ns() reads ns or more: with
 * tsc_per_ns_32 * ns_per_tsc_32 >= 2^64 and the product rounded up,
 * (t - tsc_boot) * ns_per_tsc_32 >= ns * 2^32.  It is late by at most a
 * tick plus a few parts per billion. */
uint64_t clock_ns_to_tsc(uint64_t ns)
{
	unsigned __int128 t;

	if (ns == VTIMER_NEVER)
		return TSC_NEVER;
	t = (((unsigned __int128)ns * tsc_per_ns_32 + 0xffffffffu) >> 32) + tsc_boot;
	return t > UINT64_MAX ? TSC_NEVER : (uint64_t)t;
}

void hosttimer_arm(uint64_t deadline_tsc)
{
	uint64_t now = rdtsc(), delta, ticks;

	if (!lapic || deadline_tsc == TSC_NEVER)
		return;
	delta = deadline_tsc > now ? deadline_tsc - now : 1;
	ticks = (uint64_t)(((unsigned __int128)delta * lapic_per_tsc_32) >> 32);
	if (ticks == 0)
		ticks = 1;
	if (ticks > 0xffffffffu)
		ticks = 0xffffffffu;
	lapic_write(LAPIC_LVT_TIMER, VEC_LAPIC_TIMER); /* one-shot, unmasked */
	lapic_write(LAPIC_TIMER_INITIAL, (uint32_t)ticks);
}

void hosttimer_disarm(void)
{
	if (lapic)
		lapic_write(LAPIC_TIMER_INITIAL, 0);
}

void hosttimer_idle_until(uint64_t deadline_tsc)
{
	if (!lapic) {
		while (rdtsc() < deadline_tsc)
			__asm__ volatile("pause");
		return;
	}
	hosttimer_arm(deadline_tsc);
	/* STI's one-instruction shadow makes "sti; hlt" atomic: a timer
	 * interrupt cannot slip in between and be missed (SDM 3A 6.8.3). */
	__asm__ volatile("sti; hlt; cli" ::: "memory");
	hosttimer_disarm();
}
