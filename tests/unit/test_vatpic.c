/*
 * The virtual 8259A pair, driven through its ports the way the Intel
 * 8259A datasheet (231468) and PC software (Linux, SeaBIOS) program it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "iobus.h"
#include "vatpic.h"

#define EOI 0x20           /* OCW2 non-specific EOI */
#define OCW3_READ_IRR 0x0a
#define OCW3_READ_ISR 0x0b
#define OCW3_POLL 0x0c

static struct vatpic pic;

static void outb(uint16_t port, uint8_t val)
{
	vatpic_io_write(&pic, port, 1, val);
}

static uint8_t inb(uint16_t port)
{
	return (uint8_t)vatpic_io_read(&pic, port, 1);
}

static uint8_t read_isr(uint16_t cmd)
{
	uint8_t v;

	outb(cmd, OCW3_READ_ISR);
	v = inb(cmd);
	outb(cmd, OCW3_READ_IRR);
	return v;
}

static uint8_t read_irr(uint16_t cmd)
{
	outb(cmd, OCW3_READ_IRR);
	return inb(cmd);
}

static void pulse(unsigned irq)
{
	vatpic_set_irq(&pic, irq, 1);
	vatpic_set_irq(&pic, irq, 0);
}

/* Linux's and SeaBIOS's sequence: ICW1=11h, ICW2=08h/70h, ICW3=4/2, ICW4. */
static void init_pc(uint8_t icw4_master, uint8_t icw4_slave)
{
	vatpic_init(&pic);
	outb(0x20, 0x11);
	outb(0x21, 0x08);
	outb(0x21, 0x04);
	outb(0x21, icw4_master);
	outb(0xa0, 0x11);
	outb(0xa1, 0x70);
	outb(0xa1, 0x02);
	outb(0xa1, icw4_slave);
}

static void test_power_on_masked(void **state)
{
	(void)state;
	vatpic_init(&pic);
	assert_int_equal(inb(0x21), 0xff);
	assert_int_equal(inb(0xa1), 0xff);
	pulse(0);
	pulse(8);
	assert_int_equal(vatpic_pending_vector(&pic), -1);
	assert_int_equal(read_irr(0x20), 0x01); /* requests latch even when masked */
}

static void test_linux_init_irq0_and_irq8(void **state)
{
	(void)state;
	init_pc(0x01, 0x01);
	assert_int_equal(inb(0x21), 0x00); /* ICW1 cleared the IMR */
	assert_int_equal(inb(0xa1), 0x00);

	pulse(8);
	pulse(0);
	assert_int_equal(vatpic_pending_vector(&pic), 0x08);
	assert_int_equal(vatpic_ack(&pic), 0x08);
	assert_int_equal(read_isr(0x20), 0x01);
	assert_int_equal(read_irr(0x20), 0x04); /* the slave waits on IR2 */
	assert_int_equal(vatpic_pending_vector(&pic), -1);

	outb(0x20, EOI);
	assert_int_equal(read_isr(0x20), 0x00);
	assert_int_equal(vatpic_pending_vector(&pic), 0x70);
	assert_int_equal(vatpic_ack(&pic), 0x70);
	assert_int_equal(read_isr(0x20), 0x04);
	assert_int_equal(read_isr(0xa0), 0x01);
	outb(0xa0, EOI);
	outb(0x20, EOI);
	assert_int_equal(read_isr(0x20), 0x00);
	assert_int_equal(read_isr(0xa0), 0x00);
	assert_int_equal(vatpic_pending_vector(&pic), -1);
}

static void test_fully_nested_priority(void **state)
{
	(void)state;
	init_pc(0x01, 0x01);
	pulse(5);
	pulse(3);
	assert_int_equal(vatpic_ack(&pic), 0x0b);
	assert_int_equal(vatpic_pending_vector(&pic), -1); /* IR5 is below IR3 */
	pulse(1);
	assert_int_equal(vatpic_pending_vector(&pic), 0x09); /* IR1 nests */
	assert_int_equal(vatpic_ack(&pic), 0x09);
	assert_int_equal(read_isr(0x20), 0x0a);
	outb(0x20, EOI); /* ends the highest: IR1 */
	assert_int_equal(read_isr(0x20), 0x08);
	assert_int_equal(vatpic_pending_vector(&pic), -1);
	outb(0x20, EOI);
	assert_int_equal(vatpic_ack(&pic), 0x0d);

	/* The slave's inputs rank between IR1 and IR3. */
	outb(0x20, EOI);
	pulse(3);
	pulse(15);
	assert_int_equal(vatpic_ack(&pic), 0x77);
}

static void test_specific_eoi(void **state)
{
	(void)state;
	init_pc(0x01, 0x01);
	pulse(5);
	assert_int_equal(vatpic_ack(&pic), 0x0d);
	pulse(1);
	assert_int_equal(vatpic_ack(&pic), 0x09);
	assert_int_equal(read_isr(0x20), 0x22);
	outb(0x20, 0x65); /* specific EOI, L=5 */
	assert_int_equal(read_isr(0x20), 0x02);
	outb(0x20, 0x67); /* a level not in service: no change */
	assert_int_equal(read_isr(0x20), 0x02);
	outb(0x20, 0x61);
	assert_int_equal(read_isr(0x20), 0x00);
}

static void test_auto_eoi(void **state)
{
	(void)state;
	init_pc(0x03, 0x03);
	pulse(4);
	assert_int_equal(vatpic_ack(&pic), 0x0c);
	assert_int_equal(read_isr(0x20), 0x00);
	pulse(6);
	assert_int_equal(vatpic_pending_vector(&pic), 0x0e);
	assert_int_equal(vatpic_ack(&pic), 0x0e);

	/* Two slave requests: the second still reaches the CPU. */
	pulse(9);
	pulse(10);
	assert_int_equal(vatpic_ack(&pic), 0x71);
	assert_int_equal(vatpic_pending_vector(&pic), 0x72);
	assert_int_equal(vatpic_ack(&pic), 0x72);
	assert_int_equal(vatpic_pending_vector(&pic), -1);
	assert_int_equal(read_isr(0x20), 0x00);
	assert_int_equal(read_isr(0xa0), 0x00);
}

static void test_imr_masking(void **state)
{
	(void)state;
	init_pc(0x01, 0x01);
	outb(0x21, 0x01);
	assert_int_equal(inb(0x21), 0x01);
	pulse(0);
	assert_int_equal(vatpic_pending_vector(&pic), -1);
	assert_int_equal(read_irr(0x20), 0x01);
	outb(0x21, 0x00);
	assert_int_equal(vatpic_ack(&pic), 0x08);
	outb(0x20, EOI);

	outb(0x21, 0x04); /* masking IR2 masks the whole slave */
	pulse(12);
	assert_int_equal(vatpic_pending_vector(&pic), -1);
	outb(0x21, 0x00);
	assert_int_equal(vatpic_ack(&pic), 0x74);
	outb(0xa0, EOI);
	outb(0x20, EOI);

	outb(0xa1, 0x10); /* the slave's own mask */
	pulse(12);
	assert_int_equal(vatpic_pending_vector(&pic), -1);
	outb(0xa1, 0x00);
	assert_int_equal(vatpic_pending_vector(&pic), 0x74);
}

static void test_elcr_edge_and_level(void **state)
{
	(void)state;
	init_pc(0x01, 0x01);
	outb(0x4d0, 0xff);
	outb(0x4d1, 0xff);
	assert_int_equal(inb(0x4d0), 0xf8); /* IRQ0-2 are always edge */
	assert_int_equal(inb(0x4d1), 0xde); /* so are IRQ8 and IRQ13 */
	outb(0x4d0, 0x20); /* IRQ5 level-triggered */
	outb(0x4d1, 0x04); /* IRQ10 level-triggered */

	/* Level: the request follows the line. */
	vatpic_set_irq(&pic, 5, 1);
	assert_int_equal(vatpic_pending_vector(&pic), 0x0d);
	vatpic_set_irq(&pic, 5, 0);
	assert_int_equal(vatpic_pending_vector(&pic), -1);
	assert_int_equal(read_irr(0x20), 0x00);
	vatpic_set_irq(&pic, 10, 1);
	assert_int_equal(vatpic_ack(&pic), 0x72);
	outb(0xa0, EOI);
	outb(0x20, EOI);
	assert_int_equal(vatpic_pending_vector(&pic), 0x72); /* still asserted */
	assert_int_equal(vatpic_ack(&pic), 0x72);
	vatpic_set_irq(&pic, 10, 0);
	outb(0xa0, EOI);
	outb(0x20, EOI);
	assert_int_equal(vatpic_pending_vector(&pic), -1);

	/* Edge: a rising edge latches; a line held high asks only once. */
	pulse(11);
	assert_int_equal(vatpic_pending_vector(&pic), 0x73);
	assert_int_equal(vatpic_ack(&pic), 0x73);
	outb(0xa0, EOI);
	outb(0x20, EOI);
	vatpic_set_irq(&pic, 3, 1);
	assert_int_equal(vatpic_ack(&pic), 0x0b);
	outb(0x20, EOI);
	vatpic_set_irq(&pic, 3, 1);
	assert_int_equal(vatpic_pending_vector(&pic), -1);
	vatpic_set_irq(&pic, 3, 0);
	vatpic_set_irq(&pic, 3, 1);
	assert_int_equal(vatpic_pending_vector(&pic), 0x0b);

	/* Switching an input to level makes its request the line's level. */
	pulse(6);
	assert_int_equal(read_irr(0x20) & 0x40, 0x40);
	outb(0x4d0, 0x60);
	assert_int_equal(read_irr(0x20) & 0x40, 0x00);
}

static void test_poll(void **state)
{
	(void)state;
	init_pc(0x01, 0x01);
	outb(0x20, OCW3_POLL);
	assert_int_equal(inb(0x20), 0x00); /* nothing requesting */
	pulse(6);
	pulse(3);
	outb(0x20, OCW3_POLL);
	assert_int_equal(inb(0x20), 0x83);
	assert_int_equal(read_isr(0x20), 0x08);
	outb(0x20, OCW3_POLL);
	assert_int_equal(inb(0x21), 0x00); /* IR6 is below IR3 in service */
	assert_int_equal(inb(0x21), 0x00); /* the poll is over: the IMR again */
	outb(0x20, EOI);
	outb(0x20, OCW3_POLL);
	assert_int_equal(inb(0x20), 0x86);
	outb(0x20, EOI);

	/* The master reports IR2; software then polls the slave. */
	pulse(13);
	outb(0x20, OCW3_POLL);
	assert_int_equal(inb(0x20), 0x82);
	outb(0xa0, OCW3_POLL);
	assert_int_equal(inb(0xa0), 0x85);
	assert_int_equal(read_isr(0xa0), 0x20);
	assert_int_equal(read_isr(0x20), 0x04);
}

static void test_spurious_irq7(void **state)
{
	(void)state;
	init_pc(0x01, 0x01);
	assert_int_equal(vatpic_pending_vector(&pic), -1);
	assert_int_equal(vatpic_ack(&pic), 0x0f);
	assert_int_equal(read_isr(0x20), 0x00);

	/* A level request that goes away before INTA. */
	outb(0x4d0, 0x20);
	vatpic_set_irq(&pic, 5, 1);
	assert_int_equal(vatpic_pending_vector(&pic), 0x0d);
	vatpic_set_irq(&pic, 5, 0);
	assert_int_equal(vatpic_ack(&pic), 0x0f);
	assert_int_equal(read_isr(0x20), 0x00);
}

static void test_spurious_irq15(void **state)
{
	(void)state;
	init_pc(0x01, 0x01);
	outb(0x4d1, 0x04);
	vatpic_set_irq(&pic, 10, 1); /* the master latches the edge on IR2 */
	vatpic_set_irq(&pic, 10, 0); /* ... but the slave's request is gone */
	assert_int_equal(vatpic_pending_vector(&pic), 0x77);
	assert_int_equal(vatpic_ack(&pic), 0x77);
	assert_int_equal(read_isr(0x20), 0x04); /* the master's IR2 is in service */
	assert_int_equal(read_isr(0xa0), 0x00);
	outb(0x20, EOI);
	assert_int_equal(read_isr(0x20), 0x00);
}

static void test_special_mask_mode(void **state)
{
	(void)state;
	init_pc(0x01, 0x01);
	pulse(3);
	assert_int_equal(vatpic_ack(&pic), 0x0b);
	pulse(5);
	assert_int_equal(vatpic_pending_vector(&pic), -1);
	outb(0x21, 0x08); /* mask the level in service */
	assert_int_equal(vatpic_pending_vector(&pic), -1);
	outb(0x20, 0x68); /* OCW3: ESMM + SMM */
	assert_int_equal(vatpic_pending_vector(&pic), 0x0d);
	assert_int_equal(vatpic_ack(&pic), 0x0d);
	outb(0x20, 0x48); /* reset special mask mode */
	outb(0x20, 0x65);
	pulse(6);
	assert_int_equal(vatpic_pending_vector(&pic), -1); /* IR3 inhibits again */
	outb(0x20, 0x08); /* OCW3 without ESMM leaves SMM alone */
	assert_int_equal(vatpic_pending_vector(&pic), -1);
}

static void test_rotation(void **state)
{
	(void)state;
	init_pc(0x01, 0x01);
	pulse(0);
	assert_int_equal(vatpic_ack(&pic), 0x08);
	outb(0x20, 0xa0); /* rotate on non-specific EOI: IR0 becomes lowest */
	assert_int_equal(read_isr(0x20), 0x00);
	pulse(0);
	pulse(1);
	assert_int_equal(vatpic_ack(&pic), 0x09);
	assert_int_equal(vatpic_pending_vector(&pic), -1);
	outb(0x20, 0xa0); /* now IR1 is lowest */
	assert_int_equal(vatpic_ack(&pic), 0x08);
	outb(0x20, 0xe0); /* rotate on specific EOI, L=0 */
	assert_int_equal(read_isr(0x20), 0x00);

	outb(0x20, 0xc4); /* set priority: IR4 lowest, IR5 highest */
	pulse(3);
	pulse(6);
	pulse(5);
	assert_int_equal(vatpic_ack(&pic), 0x0d);
	outb(0x20, EOI);
	assert_int_equal(vatpic_ack(&pic), 0x0e);
	outb(0x20, EOI);
	assert_int_equal(vatpic_ack(&pic), 0x0b);
	outb(0x20, EOI);
}

static void test_rotate_in_auto_eoi(void **state)
{
	(void)state;
	init_pc(0x03, 0x01);
	outb(0x20, 0x80); /* rotate in AEOI mode: set */
	pulse(1);
	assert_int_equal(vatpic_ack(&pic), 0x09);
	pulse(3);
	pulse(1);
	assert_int_equal(vatpic_ack(&pic), 0x0b); /* IR1 went to the bottom */
	assert_int_equal(vatpic_ack(&pic), 0x09);
	outb(0x20, 0x00); /* rotate in AEOI mode: clear */
	pulse(4);
	assert_int_equal(vatpic_ack(&pic), 0x0c);
	pulse(5);
	pulse(4);
	assert_int_equal(vatpic_ack(&pic), 0x0c); /* IR4 did not go to the bottom */
	assert_int_equal(vatpic_ack(&pic), 0x0d);
}

static void test_special_fully_nested(void **state)
{
	(void)state;
	init_pc(0x01, 0x01);
	pulse(9);
	assert_int_equal(vatpic_ack(&pic), 0x71);
	pulse(8);
	assert_int_equal(vatpic_pending_vector(&pic), -1); /* IR2 in service */

	init_pc(0x11, 0x01);
	pulse(9);
	assert_int_equal(vatpic_ack(&pic), 0x71);
	pulse(8);
	assert_int_equal(vatpic_pending_vector(&pic), 0x70);
	assert_int_equal(vatpic_ack(&pic), 0x70);
	assert_int_equal(read_isr(0xa0), 0x03);
	pulse(10); /* below both levels in service on the slave */
	assert_int_equal(vatpic_pending_vector(&pic), -1);
}

static void test_icw_cut_short_by_icw1(void **state)
{
	(void)state;
	vatpic_init(&pic);
	outb(0x20, 0x11);
	outb(0x21, 0x20);
	outb(0x20, 0x13); /* a new ICW1: single, IC4 */
	outb(0x21, 0x40); /* ICW2 */
	outb(0x21, 0x03); /* ICW4 (no ICW3 when single): AEOI */
	outb(0x21, 0x01); /* OCW1 */
	assert_int_equal(inb(0x21), 0x01);
	pulse(0);
	assert_int_equal(vatpic_pending_vector(&pic), -1);
	outb(0x21, 0x00);
	assert_int_equal(vatpic_ack(&pic), 0x40);
	assert_int_equal(read_isr(0x20), 0x00);

	/* In single mode IR2 is an ordinary input with the master's vector. */
	outb(0xa0, 0x11);
	outb(0xa1, 0x70);
	outb(0xa1, 0x02);
	outb(0xa1, 0x01);
	pulse(9);
	assert_int_equal(vatpic_ack(&pic), 0x42);
}

static void test_icw_cut_short_by_ocw(void **state)
{
	(void)state;
	vatpic_init(&pic);
	outb(0x20, 0x11);
	outb(0x21, 0x30);
	outb(0x20, OCW3_READ_ISR); /* ends initialisation */
	outb(0x21, 0xf0);          /* so this is OCW1, not ICW3 */
	assert_int_equal(inb(0x21), 0xf0);
	pulse(1);
	assert_int_equal(vatpic_ack(&pic), 0x31);
	assert_int_equal(inb(0x20), 0x02); /* OCW3 selected the ISR */
}

static void test_icw4_absent(void **state)
{
	(void)state;
	init_pc(0x03, 0x01); /* AEOI on */
	outb(0x21, 0x55);
	outb(0x20, 0x10);    /* ICW1 without IC4 */
	outb(0x21, 0x08);
	outb(0x21, 0x04);
	outb(0x21, 0xfb);    /* OCW1 already */
	assert_int_equal(inb(0x21), 0xfb);
	outb(0x21, 0x00);
	pulse(0);
	assert_int_equal(vatpic_ack(&pic), 0x08);
	assert_int_equal(read_isr(0x20), 0x01); /* ICW4 functions cleared: no AEOI */
}

static void test_icw1_resets_state(void **state)
{
	(void)state;
	init_pc(0x01, 0x01);
	outb(0x21, 0xaa);
	pulse(4);
	pulse(6);
	outb(0x21, 0x00);
	assert_int_equal(vatpic_ack(&pic), 0x0c);
	outb(0x20, 0xc2);          /* lowest = IR2 */
	outb(0x20, 0x68);          /* special mask mode */
	outb(0x20, OCW3_READ_ISR);
	vatpic_set_irq(&pic, 7, 1); /* held high across the re-init */
	outb(0x20, 0x11);
	outb(0x21, 0x08);
	outb(0x21, 0x04);
	outb(0x21, 0x01);
	assert_int_equal(inb(0x21), 0x00);
	assert_int_equal(inb(0x20), 0x00); /* reads the IRR again: edges forgotten */
	assert_int_equal(read_isr(0x20), 0x00);
	assert_int_equal(vatpic_pending_vector(&pic), -1);
	vatpic_set_irq(&pic, 7, 0);
	pulse(7);
	pulse(3);
	assert_int_equal(vatpic_ack(&pic), 0x0b); /* IR7 is lowest again */
}

/* The master puts IR2 on the cascade lines; only a slave with that ID
 * (ICW3) answers.  With none, nobody drives the bus. */
static void test_cascade_id_mismatch(void **state)
{
	(void)state;
	init_pc(0x01, 0x01);
	outb(0xa0, 0x11);
	outb(0xa1, 0x70);
	outb(0xa1, 0x05); /* slave ID 5 */
	outb(0xa1, 0x01);
	pulse(9);
	assert_int_equal(vatpic_pending_vector(&pic), 0xff);
	assert_int_equal(vatpic_ack(&pic), 0xff);
	assert_int_equal(read_isr(0x20), 0x04);
	assert_int_equal(read_isr(0xa0), 0x00);
}

static void test_word_access_and_bogus_input(void **state)
{
	(void)state;
	vatpic_init(&pic);
	vatpic_io_write(&pic, 0x20, 2, 0x0811); /* ICW1 to 20h, ICW2 to 21h */
	vatpic_io_write(&pic, 0x21, 1, 0x04);
	vatpic_io_write(&pic, 0x21, 1, 0x01);
	outb(0x21, 0x5a);
	assert_int_equal(vatpic_io_read(&pic, 0x20, 2), 0x5a00);
	assert_int_equal(vatpic_io_read(&pic, 0x21, 2), 0xff5a); /* 22h is not ours */
	assert_int_equal(vatpic_io_read(&pic, 0x1234, 1), 0xff);
	vatpic_io_write(&pic, 0x1234, 4, 0xffffffff);
	assert_int_equal(inb(0x21), 0x5a);

	outb(0x21, 0x00);
	vatpic_set_irq(&pic, 16, 1);
	vatpic_set_irq(&pic, 0xffffffffu, 1);
	vatpic_set_irq(&pic, 2, 1); /* IR2 belongs to the cascade */
	assert_int_equal(vatpic_pending_vector(&pic), -1);
	outb(0x20, 0x40);  /* OCW2 no-op */
	outb(0x20, 0xff);  /* ICW1 with every bit set */
	outb(0x21, 0xff);
	outb(0x21, 0xff);
	outb(0x21, 0xff);
	assert_int_equal(vatpic_ack(&pic), 0xff); /* nothing requesting: IR7 */

	/* Whatever the guest writes, vectors stay bytes and nothing breaks. */
	uint32_t x = 12345;
	static const uint16_t ports[] = { 0x20, 0x21, 0xa0, 0xa1, 0x4d0, 0x4d1 };
	for (unsigned i = 0; i < 200000; i++) {
		x = x * 1103515245u + 12345u;
		switch ((x >> 16) % 4) {
		case 0:
			outb(ports[(x >> 8) % 6], (uint8_t)(x >> 20));
			break;
		case 1:
			inb(ports[(x >> 8) % 6]);
			break;
		case 2:
			vatpic_set_irq(&pic, (x >> 8) % 20, (x >> 24) & 1);
			break;
		default: {
			int v = vatpic_pending_vector(&pic);

			assert_true(v >= -1 && v <= 0xff);
			assert_in_range(vatpic_ack(&pic), 0, 0xff);
		}
		}
	}
}

static void test_attach_on_bus(void **state)
{
	(void)state;
	io_reset();
	vatpic_init(&pic);
	assert_int_equal(vatpic_attach(&pic), 0);
	assert_string_equal(io_owner(0xa1), "8259A");
	assert_string_equal(io_owner(0x4d1), "8259A");
	io_write(0x20, 1, 0x11);
	io_write(0x21, 1, 0x08);
	io_write(0x21, 1, 0x04);
	io_write(0x21, 1, 0x01);
	io_write(0x21, 1, 0xfe);
	assert_int_equal(io_read(0x21, 1), 0xfe);
	io_write(0x4d1, 1, 0x06);
	assert_int_equal(io_read(0x4d1, 1), 0x06);
	assert_int_equal(vatpic_attach(&pic), -1);
	io_reset();
}

/* Found by tests/fuzz/fuzz_vatpic: explaining an A0=0 write into a buffer
 * shorter than "master " passed len - n (wrapped) on and wrote past it. */
static void test_explain_short_buffer(void **state)
{
	char buf[16];

	(void)state;
	io_reset();
	vatpic_init(&pic);
	assert_int_equal(vatpic_attach(&pic), 0);
	for (unsigned len = 1; len <= 8; len++) {
		memset(buf, 'x', sizeof(buf));
		io_write(0x20, 1, 0x11);
		io_explain(0x20, 1, false, 0x11, buf, len);
		assert_int_equal(strlen(buf), len - 1);
		for (unsigned i = len; i < sizeof(buf); i++)
			assert_int_equal(buf[i], 'x');
	}
	io_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_power_on_masked),
		cmocka_unit_test(test_linux_init_irq0_and_irq8),
		cmocka_unit_test(test_fully_nested_priority),
		cmocka_unit_test(test_specific_eoi),
		cmocka_unit_test(test_auto_eoi),
		cmocka_unit_test(test_imr_masking),
		cmocka_unit_test(test_elcr_edge_and_level),
		cmocka_unit_test(test_poll),
		cmocka_unit_test(test_spurious_irq7),
		cmocka_unit_test(test_spurious_irq15),
		cmocka_unit_test(test_special_mask_mode),
		cmocka_unit_test(test_rotation),
		cmocka_unit_test(test_rotate_in_auto_eoi),
		cmocka_unit_test(test_special_fully_nested),
		cmocka_unit_test(test_icw_cut_short_by_icw1),
		cmocka_unit_test(test_icw_cut_short_by_ocw),
		cmocka_unit_test(test_icw4_absent),
		cmocka_unit_test(test_icw1_resets_state),
		cmocka_unit_test(test_cascade_id_mismatch),
		cmocka_unit_test(test_word_access_and_bogus_input),
		cmocka_unit_test(test_attach_on_bus),
		cmocka_unit_test(test_explain_short_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
