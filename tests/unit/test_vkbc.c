/*
 * i8042 + PS/2 keyboard + port 0x92 model: command sequences from the IBM
 * PS/2 technical reference and the probes Linux's i8042/atkbd drivers make.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "host_support.h"
#include "iobus.h"
#include "vkbc.h"

#define ST_OBF 0x01
#define ST_SYS 0x04
#define ST_A2 0x08
#define ST_UNLOCKED 0x10
#define ST_AUXB 0x20
#define ST_TIMEOUT 0x40

struct irq_rec {
	unsigned irq;
	int level;
	unsigned raised;
};

struct machine {
	unsigned resets;
	unsigned a20_calls;
	bool a20;
};

static struct vkbc kbc;
static struct irq_rec irq1, irq12;
static struct machine mach;

static void rec_set(void *opaque, unsigned irq, int level)
{
	struct irq_rec *r = opaque;

	assert_int_equal(irq, r->irq);
	if (level && !r->level)
		r->raised++;
	r->level = level;
}

static void rec_reset(void *opaque)
{
	((struct machine *)opaque)->resets++;
}

static void rec_a20(void *opaque, bool enabled)
{
	struct machine *m = opaque;

	m->a20_calls++;
	m->a20 = enabled;
}

static int setup(void **state)
{
	struct irq_line l1 = { rec_set, &irq1, VKBC_IRQ_KBD };
	struct irq_line l12 = { rec_set, &irq12, VKBC_IRQ_AUX };

	(void)state;
	io_reset();
	memset(&irq1, 0, sizeof(irq1));
	memset(&irq12, 0, sizeof(irq12));
	memset(&mach, 0, sizeof(mach));
	irq1.irq = VKBC_IRQ_KBD;
	irq12.irq = VKBC_IRQ_AUX;
	mach.a20 = true;
	vkbc_init(&kbc, &l1, &l12, rec_reset, rec_a20, &mach);
	assert_int_equal(vkbc_attach(&kbc), 0);
	return 0;
}

static uint8_t status(void)
{
	return (uint8_t)io_read(VKBC_PORT_STATUS, 1);
}

static void command(uint8_t cmd)
{
	io_write(VKBC_PORT_STATUS, 1, cmd);
}

static void data(uint8_t val)
{
	io_write(VKBC_PORT_DATA, 1, val);
}

/* Read one byte the way a polling driver does: OBF must be set. */
static uint8_t next_byte(void)
{
	assert_true(status() & ST_OBF);
	return (uint8_t)io_read(VKBC_PORT_DATA, 1);
}

static void assert_empty(void)
{
	assert_false(status() & ST_OBF);
}

static void write_command_byte(uint8_t val)
{
	command(0x60);
	data(val);
}

static void test_power_on(void **state)
{
	(void)state;
	assert_int_equal(status(), ST_UNLOCKED | ST_SYS);
	command(0x20);
	assert_int_equal(status(), ST_OBF | ST_UNLOCKED | ST_SYS | ST_A2);
	assert_int_equal(irq1.level, 1); /* INT is set */
	assert_int_equal(next_byte(), 0x45);
	assert_int_equal(irq1.level, 0);
	assert_int_equal(irq12.raised, 0);
	assert_empty();
}

static void test_self_test_and_interface_tests(void **state)
{
	(void)state;
	write_command_byte(0x00);
	assert_false(status() & ST_SYS);
	command(0xaa);
	assert_int_equal(next_byte(), 0x55);
	assert_true(status() & ST_SYS); /* a passed self-test sets SYS */
	command(0xab);
	assert_int_equal(next_byte(), 0x00);
	command(0xa9);
	assert_int_equal(next_byte(), 0x00);
	assert_empty();
}

static void test_command_byte_round_trip(void **state)
{
	(void)state;
	write_command_byte(0x74);
	assert_false(status() & ST_A2); /* last write went to 0x60 */
	command(0x20);
	assert_int_equal(next_byte(), 0x74);
	assert_int_equal(irq1.raised, 0); /* INT is off in 0x74 */
	command(0xae);
	command(0xa8);
	command(0x20);
	assert_int_equal(next_byte(), 0x44);
	command(0xad);
	command(0xa7);
	command(0x20);
	assert_int_equal(next_byte(), 0x74);
	command(0x7f); /* the rest of the controller RAM */
	data(0x3c);
	command(0x3f);
	assert_int_equal(next_byte(), 0x3c);
}

static void test_a20_through_output_port(void **state)
{
	(void)state;
	command(0xd0);
	assert_int_equal(next_byte(), 0xcf); /* lines idle, A20 on, no reset */
	command(0xd1);
	data(0xdd); /* A20 off */
	assert_int_equal(mach.a20_calls, 1);
	assert_false(mach.a20);
	command(0xd0);
	assert_int_equal(next_byte(), 0xcd);
	command(0xd1);
	data(0xdf);
	assert_int_equal(mach.a20_calls, 2);
	assert_true(mach.a20);
	command(0xd1);
	data(0xdf); /* no change, no call */
	assert_int_equal(mach.a20_calls, 2);
	assert_int_equal(mach.resets, 0);

	/* Output port bits 4/5 show the buffer when read with 0xD0. */
	command(0xd3);
	data(0x11);
	command(0xd0);
	assert_int_equal(next_byte(), 0x11);
	assert_int_equal(next_byte(), 0xef); /* aux buffer full */
}

static void test_a20_through_port_92(void **state)
{
	(void)state;
	command(0xd1);
	data(0xcd); /* controller A20 off */
	assert_false(mach.a20);
	io_write(VKBC_PORT_A, 1, 0x02);
	assert_true(mach.a20);
	assert_int_equal(io_read(VKBC_PORT_A, 1), 0x02);
	command(0xd1);
	data(0xcf); /* both on */
	io_write(VKBC_PORT_A, 1, 0x00);
	assert_true(mach.a20); /* still on through the controller */
	command(0xd1);
	data(0xcd);
	assert_false(mach.a20);
	assert_int_equal(mach.a20_calls, 3);
	assert_int_equal(mach.resets, 0);
}

static void test_cpu_reset_paths(void **state)
{
	(void)state;
	command(0xfe); /* pulse output bit 0 */
	assert_int_equal(mach.resets, 1);
	command(0xff); /* pulses nothing */
	command(0xfd); /* pulses A20 only */
	assert_int_equal(mach.resets, 1);
	command(0xf0); /* pulses bits 0-3 */
	assert_int_equal(mach.resets, 2);
	command(0xd1);
	data(0xce); /* reset line low */
	assert_int_equal(mach.resets, 3);
	io_write(VKBC_PORT_A, 1, 0x01); /* fast reset: 0 -> 1 */
	assert_int_equal(mach.resets, 4);
	io_write(VKBC_PORT_A, 1, 0x01); /* stays 1: nothing */
	assert_int_equal(mach.resets, 4);
	io_write(VKBC_PORT_A, 1, 0x00);
	io_write(VKBC_PORT_A, 1, 0x03);
	assert_int_equal(mach.resets, 5);
	assert_empty();
}

static void test_keyboard_reset(void **state)
{
	(void)state;
	data(0xff);
	assert_int_equal(irq1.level, 1);
	assert_int_equal(status(), ST_OBF | ST_UNLOCKED | ST_SYS);
	assert_int_equal(next_byte(), 0xfa);
	assert_int_equal(irq1.level, 1); /* the next byte: a new edge */
	assert_int_equal(next_byte(), 0xaa);
	assert_int_equal(irq1.level, 0);
	assert_int_equal(irq1.raised, 2);
	assert_empty();
	assert_int_equal(io_read(VKBC_PORT_DATA, 1), 0xaa); /* empty: last byte */
}

static void test_keyboard_identify(void **state)
{
	(void)state;
	write_command_byte(0x05); /* no translation */
	data(0xf2);
	assert_int_equal(next_byte(), 0xfa);
	assert_int_equal(next_byte(), 0xab);
	assert_int_equal(next_byte(), 0x83);
	write_command_byte(0x45); /* XLAT: the controller turns 0x83 into 0x41 */
	data(0xf2);
	assert_int_equal(next_byte(), 0xfa);
	assert_int_equal(next_byte(), 0xab);
	assert_int_equal(next_byte(), 0x41);
	data(0xfe); /* resend: the last byte again, as sent by the keyboard */
	assert_int_equal(next_byte(), 0x41);
	assert_empty();
}

static void test_keyboard_commands_with_arguments(void **state)
{
	(void)state;
	write_command_byte(0x05);
	data(0xed); /* LEDs */
	data(0x07);
	assert_int_equal(next_byte(), 0xfa);
	assert_int_equal(next_byte(), 0xfa);
	data(0xf3); /* typematic */
	data(0x20);
	assert_int_equal(next_byte(), 0xfa);
	assert_int_equal(next_byte(), 0xfa);
	data(0xf0); /* get scan code set */
	data(0x00);
	assert_int_equal(next_byte(), 0xfa);
	assert_int_equal(next_byte(), 0xfa);
	assert_int_equal(next_byte(), 0x02);
	data(0xf0); /* set 3 */
	data(0x03);
	assert_int_equal(next_byte(), 0xfa);
	assert_int_equal(next_byte(), 0xfa);
	data(0xf0);
	data(0x00);
	assert_int_equal(next_byte(), 0xfa);
	assert_int_equal(next_byte(), 0xfa);
	assert_int_equal(next_byte(), 0x03);
	data(0xf0); /* there is no set 4 */
	data(0x04);
	assert_int_equal(next_byte(), 0xfa);
	assert_int_equal(next_byte(), 0xfe);
	data(0xf6); /* defaults: set 2 */
	assert_int_equal(next_byte(), 0xfa);
	write_command_byte(0x45);
	data(0xf0);
	data(0x00);
	assert_int_equal(next_byte(), 0xfa);
	assert_int_equal(next_byte(), 0xfa);
	assert_int_equal(next_byte(), 0x41); /* set 2, translated */
	assert_empty();
}

static void test_keyboard_simple_commands(void **state)
{
	(void)state;
	data(0xee);
	assert_int_equal(next_byte(), 0xee);
	data(0xf4);
	assert_int_equal(next_byte(), 0xfa);
	data(0xf5);
	assert_int_equal(next_byte(), 0xfa);
	data(0x12); /* not a command */
	assert_int_equal(next_byte(), 0xfe);
	data(0xef);
	assert_int_equal(next_byte(), 0xfe);
	data(0xed); /* a command where an argument belongs replaces it */
	data(0xee);
	assert_int_equal(next_byte(), 0xfa);
	assert_int_equal(next_byte(), 0xee);
	command(0xad);
	data(0xf4); /* writing to the keyboard enables its port again */
	assert_int_equal(next_byte(), 0xfa);
	command(0x20);
	assert_int_equal(next_byte() & 0x10, 0);
	assert_empty();
}

static void test_write_output_buffers(void **state)
{
	(void)state;
	command(0xd2);
	data(0x5a);
	assert_int_equal(status(), ST_OBF | ST_UNLOCKED | ST_SYS);
	assert_int_equal(irq1.level, 1);
	assert_int_equal(next_byte(), 0x5a);
	command(0xd3);
	data(0xa5);
	assert_int_equal(status() & (ST_OBF | ST_AUXB), ST_OBF | ST_AUXB);
	assert_int_equal(irq12.raised, 0); /* INT2 off */
	assert_int_equal(irq1.level, 0);   /* aux data never raises IRQ1 */
	write_command_byte(0x47);          /* INT2 on: the waiting byte interrupts */
	assert_int_equal(irq12.level, 1);
	assert_int_equal(next_byte(), 0xa5);
	assert_int_equal(irq12.level, 0);
	assert_empty();
}

static void test_aux_absent(void **state)
{
	(void)state;
	write_command_byte(0x47);
	/* Linux's i8042_check_aux: loopback, then the interface test */
	command(0xd3);
	data(0x5a);
	assert_int_equal(next_byte(), 0x5a);
	command(0xa9);
	assert_int_equal(next_byte(), 0x00);
	/* the multiplexer probe: an echoed 0xa4 means "no MUX" */
	command(0xd3);
	data(0xf0);
	assert_int_equal(next_byte(), 0xf0);
	command(0xd3);
	data(0x56);
	assert_int_equal(next_byte(), 0x56);
	command(0xd3);
	data(0xa4);
	assert_int_equal(next_byte(), 0xa4);
	/* psmouse's first command finds nobody: 0xFE with the time-out bit */
	command(0xd4);
	data(0xf2);
	assert_int_equal(irq12.level, 1);
	assert_int_equal(status(), ST_OBF | ST_AUXB | ST_TIMEOUT | ST_UNLOCKED | ST_SYS);
	assert_int_equal(next_byte(), 0xfe);
	assert_int_equal(status() & ST_TIMEOUT, 0);
	assert_empty();
}

static void test_output_queue_overflow(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 20; i++)
		data(0xee);
	for (unsigned i = 0; i < VKBC_QUEUE_SIZE; i++)
		assert_int_equal(next_byte(), 0xee);
	assert_empty();
}

static void test_hostile_sequences(void **state)
{
	(void)state;
	for (unsigned c = 0; c < 256; c++)
		for (unsigned d = 0; d < 256; d += 17) {
			command((uint8_t)c);
			data((uint8_t)d);
			io_write(VKBC_PORT_DATA, 4, d * 0x01010101u);
			(void)io_read(VKBC_PORT_STATUS, 4);
			(void)io_read(VKBC_PORT_DATA, 2);
			io_write(VKBC_PORT_A, 2, c);
		}
	while (status() & ST_OBF)
		(void)io_read(VKBC_PORT_DATA, 1);
	assert_int_equal(io_read(VKBC_PORT_DATA, 2) & 0xff00, 0xff00); /* 0x61: not ours */
	assert_true(mach.resets > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_power_on, setup),
		cmocka_unit_test_setup(test_self_test_and_interface_tests, setup),
		cmocka_unit_test_setup(test_command_byte_round_trip, setup),
		cmocka_unit_test_setup(test_a20_through_output_port, setup),
		cmocka_unit_test_setup(test_a20_through_port_92, setup),
		cmocka_unit_test_setup(test_cpu_reset_paths, setup),
		cmocka_unit_test_setup(test_keyboard_reset, setup),
		cmocka_unit_test_setup(test_keyboard_identify, setup),
		cmocka_unit_test_setup(test_keyboard_commands_with_arguments, setup),
		cmocka_unit_test_setup(test_keyboard_simple_commands, setup),
		cmocka_unit_test_setup(test_write_output_buffers, setup),
		cmocka_unit_test_setup(test_aux_absent, setup),
		cmocka_unit_test_setup(test_output_queue_overflow, setup),
		cmocka_unit_test_setup(test_hostile_sequences, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
