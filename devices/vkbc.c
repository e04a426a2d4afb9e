/*
 * Virtual i8042 keyboard controller, PS/2 keyboard and port 0x92.
 *
 * References: IBM PS/2 Hardware Interface Technical Reference, "Keyboard
 * and Auxiliary Device Controller" (status register, command byte,
 * controller commands, output port) and "Keyboard" (keyboard commands and
 * replies); Intel PIIX4/ICH data sheets, "Port 92h" and A20 gating.
 *
 * Bytes for the CPU wait in a small queue; the head is the output buffer
 * and carries its own status bits (from the aux port? timeout?), so the
 * status register always describes the byte port 0x60 will return.  The
 * controller consumes every write at once, so IBF always reads 0.
 */
#include "vkbc.h"
#include "iobus.h"
#include "kprintf.h"
#include "lib.h"

/* Status register (port 0x64, read). */
#define KBC_STAT_OBF 0x01      /* output buffer full */
#define KBC_STAT_IBF 0x02      /* input buffer full */
#define KBC_STAT_SYS 0x04      /* system flag, from the command byte */
#define KBC_STAT_A2 0x08       /* last write was to 0x64 (command) */
#define KBC_STAT_UNLOCKED 0x10 /* keyboard inhibit switch: not inhibited */
#define KBC_STAT_AUXB 0x20     /* output buffer holds aux data */
#define KBC_STAT_TIMEOUT 0x40  /* general time-out */

/* Command byte (controller RAM byte 0). */
#define KBC_CMD_INT 0x01       /* IRQ1 when OBF has keyboard data */
#define KBC_CMD_INT2 0x02      /* IRQ12 when OBF has aux data */
#define KBC_CMD_SYS 0x04
#define KBC_CMD_DISABLE_KBD 0x10
#define KBC_CMD_DISABLE_AUX 0x20
#define KBC_CMD_XLAT 0x40      /* translate keyboard codes to set 1 */

/* Controller commands (port 0x64, write). */
#define KBC_CCMD_READ_RAM 0x20     /* 0x20-0x3F: read RAM byte cmd & 0x1F */
#define KBC_CCMD_WRITE_RAM 0x60    /* 0x60-0x7F: write it */
#define KBC_CCMD_RAM_MASK 0x1f
#define KBC_CCMD_AUX_DISABLE 0xa7
#define KBC_CCMD_AUX_ENABLE 0xa8
#define KBC_CCMD_AUX_TEST 0xa9
#define KBC_CCMD_SELF_TEST 0xaa
#define KBC_CCMD_KBD_TEST 0xab
#define KBC_CCMD_KBD_DISABLE 0xad
#define KBC_CCMD_KBD_ENABLE 0xae
#define KBC_CCMD_READ_OUTPORT 0xd0
#define KBC_CCMD_WRITE_OUTPORT 0xd1
#define KBC_CCMD_WRITE_KBD_OBUF 0xd2
#define KBC_CCMD_WRITE_AUX_OBUF 0xd3
#define KBC_CCMD_WRITE_AUX 0xd4
#define KBC_CCMD_PULSE 0xf0        /* 0xF0-0xFF: pulse output bits 3-0 that are 0 */

#define KBC_SELF_TEST_OK 0x55
#define KBC_INTERFACE_OK 0x00
#define KBC_AUX_NO_REPLY 0xfe      /* with TIMEOUT: nothing on the aux port */

/* Output port (0xD0/0xD1). */
#define KBC_OUT_RESET 0x01         /* 0 = CPU reset asserted */
#define KBC_OUT_A20 0x02
#define KBC_OUT_OBF_KBD 0x10
#define KBC_OUT_OBF_AUX 0x20
#define KBC_OUT_IDLE 0xcc          /* clock and data lines of both ports high */

/* System Control Port A (0x92). */
#define PORT_A_FAST_RESET 0x01
#define PORT_A_A20 0x02

/* PS/2 keyboard commands and replies. */
#define KBD_CMD_SET_LEDS 0xed
#define KBD_CMD_ECHO 0xee
#define KBD_CMD_SCANCODE_SET 0xf0
#define KBD_CMD_IDENTIFY 0xf2
#define KBD_CMD_TYPEMATIC 0xf3
#define KBD_CMD_ENABLE 0xf4
#define KBD_CMD_DEFAULT_DISABLE 0xf5
#define KBD_CMD_SET_DEFAULT 0xf6
#define KBD_CMD_RESEND 0xfe
#define KBD_CMD_RESET 0xff
#define KBD_REPLY_ACK 0xfa
#define KBD_REPLY_BAT_OK 0xaa
#define KBD_REPLY_ECHO 0xee
#define KBD_REPLY_RESEND 0xfe
#define KBD_ID_1 0xab
#define KBD_ID_2 0x83              /* MF2 keyboard */
#define KBD_DEFAULT_SET 2

/* --- Output buffer and interrupts ---------------------------------------- */

/* Drive an interrupt line, telling the controller only about changes. */
static void kbc_set_line(const struct irq_line *line, bool *cur, bool level)
{
	if (*cur != level) {
		*cur = level;
		irq_set(line, level);
	}
}

/* IRQ1 follows OBF with keyboard data when INT is set, IRQ12 follows OBF
 * with aux data when INT2 is set ("Command Byte" bits 0 and 1). */
static void kbc_update_irq(struct vkbc *k)
{
	bool full = k->out_count != 0;
	bool aux = full && (k->out[k->out_head].status & KBC_STAT_AUXB);

	kbc_set_line(&k->irq_kbd, &k->kbd_level, full && !aux && (k->ram[0] & KBC_CMD_INT));
	kbc_set_line(&k->irq_aux, &k->aux_level, aux && (k->ram[0] & KBC_CMD_INT2));
}

/* Queue a byte for the CPU; a full queue drops it, as a keyboard whose
 * buffer overflows loses keys. */
static void kbc_queue(struct vkbc *k, uint8_t data, uint8_t status)
{
	struct vkbc_out *o;

	if (k->out_count == VKBC_QUEUE_SIZE)
		return;
	o = &k->out[(k->out_head + k->out_count) % VKBC_QUEUE_SIZE];
	o->data = data;
	o->status = status;
	k->out_count++;
}

/* Reading port 0x60 empties the output buffer, dropping IRQ1/IRQ12; the
 * next byte then fills it with a fresh edge.  An empty buffer reads as
 * whatever it last held. */
static uint8_t kbc_read_data(struct vkbc *k)
{
	if (!k->out_count)
		return k->last_out;
	k->last_out = k->out[k->out_head].data;
	k->out_head = (uint8_t)((k->out_head + 1) % VKBC_QUEUE_SIZE);
	k->out_count--;
	kbc_set_line(&k->irq_kbd, &k->kbd_level, false);
	kbc_set_line(&k->irq_aux, &k->aux_level, false);
	return k->last_out;
}

/* Status register: OBF and the head byte's own bits, SYS from the
 * command byte, A2 from the last write, keyboard never inhibited. */
static uint8_t kbc_read_status(const struct vkbc *k)
{
	uint8_t st = KBC_STAT_UNLOCKED | (k->ram[0] & KBC_CMD_SYS ? KBC_STAT_SYS : 0);

	if (k->last_write_was_cmd)
		st |= KBC_STAT_A2;
	if (k->out_count)
		st |= KBC_STAT_OBF | k->out[k->out_head].status;
	return st;
}

/* --- A20 and reset --------------------------------------------------------- */

/* The chipset gates A20 on when either the controller's output port bit 1
 * or port 0x92 bit 1 is set (A20M# only when both are 0). */
static void kbc_update_a20(struct vkbc *k)
{
	bool on = (k->output_port & KBC_OUT_A20) || (k->port_a & PORT_A_A20);

	if (on != k->a20_enabled) {
		k->a20_enabled = on;
		if (k->a20)
			k->a20(k->opaque, on);
	}
}

/* Assert the CPU reset line: the monitor resets the VM. */
static void kbc_cpu_reset(struct vkbc *k)
{
	if (k->reset)
		k->reset(k->opaque);
}

/* Command 0xD1: bit 0 drives the CPU reset line (active low), bit 1 A20. */
static void kbc_write_output_port(struct vkbc *k, uint8_t val)
{
	k->output_port = val;
	kbc_update_a20(k);
	if (!(val & KBC_OUT_RESET))
		kbc_cpu_reset(k);
}

/* Command 0xD0: the output port with bits 4/5 showing the buffer state. */
static uint8_t kbc_output_port_value(const struct vkbc *k)
{
	uint8_t v = k->output_port & (uint8_t)~(KBC_OUT_OBF_KBD | KBC_OUT_OBF_AUX);

	if (k->out_count)
		v |= (k->out[k->out_head].status & KBC_STAT_AUXB) ? KBC_OUT_OBF_AUX : KBC_OUT_OBF_KBD;
	return v;
}

/* Port 0x92: bit 1 is the fast A20 gate; bit 0 going 0 -> 1 resets the
 * CPU (PIIX4 "Port 92h", fast INIT). */
static void kbc_write_port_a(struct vkbc *k, uint8_t val)
{
	uint8_t old = k->port_a;

	k->port_a = val;
	kbc_update_a20(k);
	if ((val & PORT_A_FAST_RESET) && !(old & PORT_A_FAST_RESET))
		kbc_cpu_reset(k);
}

/* --- The PS/2 keyboard ------------------------------------------------------ */

/* With XLAT set the controller passes keyboard bytes through its scan code
 * set 2 -> set 1 table.  Of the bytes this keyboard sends (replies, never
 * key codes) only these are changed by that table; 0xFA, 0xAA, 0xEE,
 * 0xFE and 0xAB pass unchanged. */
static uint8_t kbc_translate(const struct vkbc *k, uint8_t byte)
{
	if (!(k->ram[0] & KBC_CMD_XLAT))
		return byte;
	switch (byte) {
	case 0x01:
		return 0x43;
	case 0x02:
	case 0x83:
		return 0x41;
	case 0x03:
		return 0x3f;
	default:
		return byte;
	}
}

/* The keyboard sends a byte to the controller, remembering it for resend. */
static void kbd_send(struct vkbc *k, uint8_t byte)
{
	k->kbd_last_sent = byte;
	kbc_queue(k, kbc_translate(k, byte), 0);
}

/* Second byte of a two-byte keyboard command.  LEDs and typematic rate
 * are acknowledged (there are no LEDs and no keys to repeat); scan code
 * set 0 asks for the current set, 1-3 select one, anything else is
 * refused with a resend request. */
static void kbd_argument(struct vkbc *k, uint8_t cmd, uint8_t arg)
{
	if (cmd != KBD_CMD_SCANCODE_SET) {
		kbd_send(k, KBD_REPLY_ACK);
		return;
	}
	if (arg > 3) {
		kbd_send(k, KBD_REPLY_RESEND);
		return;
	}
	kbd_send(k, KBD_REPLY_ACK);
	if (arg == 0)
		kbd_send(k, k->kbd_scancode_set);
	else
		k->kbd_scancode_set = arg;
}

/* A byte from the CPU to the keyboard.  A command byte (0xED and up)
 * arriving where an argument was expected cancels the old command and
 * runs as a new one. */
static void kbd_receive(struct vkbc *k, uint8_t byte)
{
	uint8_t pending = k->kbd_pending_cmd;

	k->kbd_pending_cmd = 0;
	if (pending && byte < KBD_CMD_SET_LEDS) {
		kbd_argument(k, pending, byte);
		return;
	}
	switch (byte) {
	case KBD_CMD_SET_LEDS:
	case KBD_CMD_SCANCODE_SET:
	case KBD_CMD_TYPEMATIC:
		k->kbd_pending_cmd = byte;
		kbd_send(k, KBD_REPLY_ACK);
		break;
	case KBD_CMD_ECHO:
		kbd_send(k, KBD_REPLY_ECHO);
		break;
	case KBD_CMD_IDENTIFY:
		kbd_send(k, KBD_REPLY_ACK);
		kbd_send(k, KBD_ID_1);
		kbd_send(k, KBD_ID_2);
		break;
	case KBD_CMD_ENABLE: /* scanning on: no keys here, nothing else changes */
		kbd_send(k, KBD_REPLY_ACK);
		break;
	case KBD_CMD_DEFAULT_DISABLE: /* back to defaults (scanning on/off aside) */
	case KBD_CMD_SET_DEFAULT:
		k->kbd_scancode_set = KBD_DEFAULT_SET;
		kbd_send(k, KBD_REPLY_ACK);
		break;
	case KBD_CMD_RESEND:
		kbd_send(k, k->kbd_last_sent);
		break;
	case KBD_CMD_RESET:           /* acknowledge, then basic assurance test */
		k->kbd_scancode_set = KBD_DEFAULT_SET;
		kbd_send(k, KBD_REPLY_ACK);
		kbd_send(k, KBD_REPLY_BAT_OK);
		break;
	default:
		kbd_send(k, KBD_REPLY_RESEND);
		break;
	}
}

/* --- Controller commands ------------------------------------------------------ */

/* A byte written to port 0x64.  Commands that need a data byte remember
 * themselves until the next write to port 0x60; unknown ones are ignored. */
static void kbc_command(struct vkbc *k, uint8_t cmd)
{
	k->pending_cmd = 0;
	if (cmd >= KBC_CCMD_READ_RAM && cmd < KBC_CCMD_READ_RAM + VKBC_RAM_SIZE) {
		kbc_queue(k, k->ram[cmd & KBC_CCMD_RAM_MASK], 0);
		return;
	}
	if (cmd >= KBC_CCMD_WRITE_RAM && cmd < KBC_CCMD_WRITE_RAM + VKBC_RAM_SIZE) {
		k->pending_cmd = cmd;
		return;
	}
	if (cmd >= KBC_CCMD_PULSE) {
		if (!(cmd & KBC_OUT_RESET)) /* pulsing bit 0 low resets the CPU */
			kbc_cpu_reset(k);
		return;
	}
	switch (cmd) {
	case KBC_CCMD_AUX_DISABLE:
		k->ram[0] |= KBC_CMD_DISABLE_AUX;
		break;
	case KBC_CCMD_AUX_ENABLE:
		k->ram[0] &= (uint8_t)~KBC_CMD_DISABLE_AUX;
		break;
	case KBC_CCMD_SELF_TEST: /* passing sets the system flag */
		k->ram[0] |= KBC_CMD_SYS;
		kbc_queue(k, KBC_SELF_TEST_OK, 0);
		break;
	case KBC_CCMD_AUX_TEST:
	case KBC_CCMD_KBD_TEST:
		kbc_queue(k, KBC_INTERFACE_OK, 0);
		break;
	case KBC_CCMD_KBD_DISABLE:
		k->ram[0] |= KBC_CMD_DISABLE_KBD;
		break;
	case KBC_CCMD_KBD_ENABLE:
		k->ram[0] &= (uint8_t)~KBC_CMD_DISABLE_KBD;
		break;
	case KBC_CCMD_READ_OUTPORT:
		kbc_queue(k, kbc_output_port_value(k), 0);
		break;
	case KBC_CCMD_WRITE_OUTPORT:
	case KBC_CCMD_WRITE_KBD_OBUF:
	case KBC_CCMD_WRITE_AUX_OBUF:
	case KBC_CCMD_WRITE_AUX:
		k->pending_cmd = cmd;
		break;
	default:
		break;
	}
}

/* A byte written to port 0x60: the data for a pending controller command,
 * or else a byte for the keyboard (which re-enables the keyboard port).
 * A byte for the aux port finds no device: after the transmit times out
 * the controller reports 0xFE as aux data with the time-out bit. */
static void kbc_data(struct vkbc *k, uint8_t val)
{
	uint8_t cmd = k->pending_cmd;

	k->pending_cmd = 0;
	if (cmd >= KBC_CCMD_WRITE_RAM && cmd < KBC_CCMD_WRITE_RAM + VKBC_RAM_SIZE) {
		k->ram[cmd & KBC_CCMD_RAM_MASK] = val;
		return;
	}
	switch (cmd) {
	case KBC_CCMD_WRITE_OUTPORT:
		kbc_write_output_port(k, val);
		break;
	case KBC_CCMD_WRITE_KBD_OBUF:
		kbc_queue(k, val, 0);
		break;
	case KBC_CCMD_WRITE_AUX_OBUF:
		kbc_queue(k, val, KBC_STAT_AUXB);
		break;
	case KBC_CCMD_WRITE_AUX:
		kbc_queue(k, KBC_AUX_NO_REPLY, KBC_STAT_AUXB | KBC_STAT_TIMEOUT);
		break;
	default:
		k->ram[0] &= (uint8_t)~KBC_CMD_DISABLE_KBD;
		kbd_receive(k, val);
		break;
	}
}

/* --- Port access ----------------------------------------------------------------- */

static uint8_t kbc_read_port(struct vkbc *k, uint32_t port)
{
	switch (port) {
	case VKBC_PORT_DATA:
		return kbc_read_data(k);
	case VKBC_PORT_STATUS:
		return kbc_read_status(k);
	case VKBC_PORT_A:
		return k->port_a;
	default:
		return 0xff; /* a neighbour port nobody drives */
	}
}

/* Writes to 0x60 are data (A2 = 0), to 0x64 commands (A2 = 1). */
static void kbc_write_port(struct vkbc *k, uint32_t port, uint8_t val)
{
	switch (port) {
	case VKBC_PORT_DATA:
		k->last_write_was_cmd = false;
		kbc_data(k, val);
		break;
	case VKBC_PORT_STATUS:
		k->last_write_was_cmd = true;
		kbc_command(k, val);
		break;
	case VKBC_PORT_A:
		kbc_write_port_a(k, val);
		break;
	default:
		break;
	}
}

/* A wider access is split into byte cycles on consecutive ports, as the
 * ISA bus does.  The interrupt lines are recomputed after each access. */
uint32_t vkbc_read(void *opaque, uint16_t port, unsigned size)
{
	uint32_t val = 0;

	for (unsigned i = 0; i < size && i < 4; i++)
		val |= (uint32_t)kbc_read_port(opaque, (uint32_t)port + i) << (8 * i);
	kbc_update_irq(opaque);
	return val;
}

void vkbc_write(void *opaque, uint16_t port, unsigned size, uint32_t val)
{
	for (unsigned i = 0; i < size && i < 4; i++)
		kbc_write_port(opaque, (uint32_t)port + i, (uint8_t)(val >> (8 * i)));
	kbc_update_irq(opaque);
}

/* State after the BIOS's POST (see vkbc.h): INT, SYS and XLAT set, the
 * output port idle with A20 on and reset released. */
void vkbc_init(struct vkbc *k, const struct irq_line *kbd_irq, const struct irq_line *aux_irq,
	       vkbc_reset_fn reset, vkbc_a20_fn a20, void *opaque)
{
	memset(k, 0, sizeof(*k));
	if (kbd_irq)
		k->irq_kbd = *kbd_irq;
	if (aux_irq)
		k->irq_aux = *aux_irq;
	k->reset = reset;
	k->a20 = a20;
	k->opaque = opaque;
	k->ram[0] = KBC_CMD_INT | KBC_CMD_SYS | KBC_CMD_XLAT;
	k->output_port = KBC_OUT_IDLE | KBC_OUT_A20 | KBC_OUT_RESET;
	k->a20_enabled = true;
	k->kbd_scancode_set = KBD_DEFAULT_SET;
	k->kbd_last_sent = KBD_REPLY_BAT_OK;
}

/* For the live trace: controller commands on 0x64 (8042 command set as
 * the PC/AT BIOS uses it), the output port and A20 on 0x60 and 0x92. */
static const char *kbc_command_name(uint8_t cmd)
{
	switch (cmd) {
	case KBC_CCMD_AUX_DISABLE: return "disable aux";
	case KBC_CCMD_AUX_ENABLE: return "enable aux";
	case KBC_CCMD_AUX_TEST: return "test aux port";
	case KBC_CCMD_SELF_TEST: return "self test";
	case KBC_CCMD_KBD_TEST: return "test keyboard port";
	case KBC_CCMD_KBD_DISABLE: return "disable keyboard";
	case KBC_CCMD_KBD_ENABLE: return "enable keyboard";
	case KBC_CCMD_READ_OUTPORT: return "read output port";
	case KBC_CCMD_WRITE_OUTPORT: return "write output port (A20, reset) next";
	case KBC_CCMD_WRITE_KBD_OBUF: return "write keyboard buffer next";
	case KBC_CCMD_WRITE_AUX_OBUF: return "write aux buffer next";
	case KBC_CCMD_WRITE_AUX: return "send next byte to the mouse";
	default:
		if (cmd >= KBC_CCMD_PULSE)
			return (cmd & KBC_OUT_RESET) ? "pulse output lines" : "pulse reset: CPU reset";
		if ((cmd & ~KBC_CCMD_RAM_MASK) == KBC_CCMD_READ_RAM)
			return "read controller RAM";
		if ((cmd & ~KBC_CCMD_RAM_MASK) == KBC_CCMD_WRITE_RAM)
			return "write controller RAM next";
		return "command";
	}
}

static int vkbc_explain(void *opaque, uint16_t port, unsigned size, bool in, uint32_t val,
			char *buf, unsigned len)
{
	const struct vkbc *k = opaque;

	(void)size;
	if (port == VKBC_PORT_A)
		return ksnprintf(buf, len, "port 92h: A20 %s%s", val & KBC_OUT_A20 ? "on" : "off",
				 !in && (val & KBC_OUT_RESET) ? ", fast reset" : "");
	if (port == VKBC_PORT_STATUS)
		return in ? ksnprintf(buf, len, "status: output %s, input %s", val & KBC_STAT_OBF ?
				      "full" : "empty", val & KBC_STAT_IBF ? "full" : "empty")
			  : ksnprintf(buf, len, "%s", kbc_command_name((uint8_t)val));
	if (in)
		return ksnprintf(buf, len, "data read");
	return ksnprintf(buf, len, "data, A20 %s", k->a20_enabled ? "on" : "off");
}

/* The controller decodes 0x60 and 0x64; port 0x92 is the chipset's. */
int vkbc_attach(struct vkbc *k)
{
	static const struct io_ops vkbc_ops = {
		.name = "i8042",
		.read = vkbc_read,
		.write = vkbc_write,
		.explain = vkbc_explain,
	};

	if (io_register(VKBC_PORT_DATA, 1, &vkbc_ops, k) ||
	    io_register(VKBC_PORT_STATUS, 1, &vkbc_ops, k) ||
	    io_register(VKBC_PORT_A, 1, &vkbc_ops, k))
		return -1;
	return 0;
}
