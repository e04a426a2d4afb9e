/*
 * The PC/AT's two 8237A DMA controllers (see include/vdma.h).
 *
 * Reference: Intel 8237A/8237A-5 data sheet ("8237A"): "Register
 * Description" (current/base address and word count, command, mode,
 * request, mask and status registers), "Software Commands" (clear byte
 * pointer flip-flop, master clear, clear mask register) and "Address
 * Generation" (Table 2, register addresses).
 */
#include "vdma.h"
#include "iobus.h"
#include "lib.h"

#define DMA1_BASE 0x00
#define DMA2_BASE 0xc0
#define DMA_CHIP_REGS 16

/* 8237A Table 2: register offsets within a chip (A3-A0). */
#define DMA_REG_STATUS 0x8    /* read */
#define DMA_REG_COMMAND 0x8   /* write */
#define DMA_REG_REQUEST 0x9   /* write */
#define DMA_REG_SINGLE_MASK 0xa
#define DMA_REG_MODE 0xb
#define DMA_REG_CLEAR_FF 0xc
#define DMA_REG_TEMP 0xd      /* read */
#define DMA_REG_MASTER_CLEAR 0xd /* write */
#define DMA_REG_CLEAR_MASK 0xe
#define DMA_REG_ALL_MASK 0xf

/* Command register: bit 2 disables the whole controller. */
#define DMA_CMD_DISABLE 0x04

/* Mode register ("Mode Register"). */
#define DMA_MODE_CHANNEL 0x03
#define DMA_MODE_TYPE_MASK 0x0c
#define DMA_MODE_VERIFY 0x00
#define DMA_MODE_WRITE 0x04 /* I/O device -> memory */
#define DMA_MODE_READ 0x08  /* memory -> I/O device */
#define DMA_MODE_AUTOINIT 0x10
#define DMA_MODE_DECREMENT 0x20
#define DMA_MODE_SEL_MASK 0xc0
#define DMA_MODE_CASCADE 0xc0

/* Request and single-mask registers: bits 1-0 pick the channel, bit 2
 * sets (1) or clears (0) its bit. */
#define DMA_SET_BIT 0x04

/* Status register: TC bits 3-0, request bits 7-4. */
#define DMA_STATUS_TC_MASK 0x0f
#define DMA_STATUS_REQ_SHIFT 4

#define DMA_PAGE_64K 0x10000u
#define DMA_FLOATING_BUS 0xff

/* The AT's 74LS612 page register for each channel. */
static const uint8_t dma_page_port[VDMA_CHANNELS] = { 0x87, 0x83, 0x81, 0x82,
						       0x8f, 0x8b, 0x89, 0x8a };

/* Channels 0-3 move bytes, 4-7 words. */
static unsigned dma_width(unsigned n)
{
	return n < 4 ? 1 : 2;
}

/* The 24-bit bus address of a channel address: A16-A23 come from the
 * page register.  On DMA2 the 8237A's address drives A1-A16, so page
 * bit 0 is not used (IBM PC/AT Technical Reference, "DMA Controller"). */
static uint32_t dma_phys(const struct vdma_channel *c, unsigned width, uint16_t addr)
{
	if (width == 1)
		return (uint32_t)c->page << 16 | addr;
	return (uint32_t)(c->page & 0xfe) << 16 | (uint32_t)addr << 1;
}

/* A channel only answers its device while unmasked, with its controller
 * enabled (command bit 2) and not in cascade mode (8237A "Mask
 * Register", "Command Register", "Cascade Mode"). */
static bool dma_channel_ready(const struct vdma *d, unsigned n)
{
	const struct vdma_chip *chip = &d->chip[n >> 2];

	return !(chip->mask & BIT(n & 3)) && !(chip->command & DMA_CMD_DISABLE) &&
	       (d->ch[n].mode & DMA_MODE_SEL_MASK) != DMA_MODE_CASCADE;
}

/* How many units the channel can move in one run: no further than
 * terminal count (the count register holds units - 1), the wrap of its
 * 16-bit address counter, and the end of the 4 KiB guest page (so one
 * gpa_to_hva() covers the run). */
static uint32_t dma_run_length(const struct vdma_channel *c, unsigned width, uint32_t want)
{
	bool down = c->mode & DMA_MODE_DECREMENT;
	uint32_t off = dma_phys(c, width, c->cur_addr) % PAGE_SIZE;
	uint32_t run = (uint32_t)c->cur_count + 1;
	uint32_t to_wrap = down ? (uint32_t)c->cur_addr + 1 : DMA_PAGE_64K - c->cur_addr;
	uint32_t to_page = down ? off / width + 1 : (uint32_t)(PAGE_SIZE - off) / width;

	if (run > to_wrap)
		run = to_wrap;
	if (run > to_page)
		run = to_page;
	return run < want ? run : want;
}

/* The memory cycles of one run.  The programmed transfer type decides
 * them (8237A "Transfer Types"): a write puts the device's bytes into
 * memory, a read gives memory to the device; verify, or a type that does
 * not match the device's direction, touches no memory and the device
 * reads a floating bus.  False if the run is not entirely guest RAM. */
static bool dma_move(struct vdma *d, const struct vdma_channel *c, unsigned width, uint8_t *buf,
		     uint32_t run, bool to_memory)
{
	bool down = c->mode & DMA_MODE_DECREMENT;
	uint16_t low = down ? (uint16_t)(c->cur_addr - (run - 1)) : c->cur_addr;
	uint8_t type = c->mode & DMA_MODE_TYPE_MASK;
	uint32_t bytes = run * width;
	uint8_t *mem;

	if (type != (to_memory ? DMA_MODE_WRITE : DMA_MODE_READ)) {
		if (!to_memory)
			memset(buf, DMA_FLOATING_BUS, bytes);
		return true;
	}
	mem = gpa_to_hva(d->mem, dma_phys(c, width, low), bytes, to_memory);
	if (!mem)
		return false;
	for (uint32_t i = 0; i < run; i++) {
		uint8_t *m = mem + (down ? run - 1 - i : i) * width;
		uint8_t *b = buf + i * width;

		if (to_memory)
			memcpy(m, b, width);
		else
			memcpy(b, m, width);
	}
	return true;
}

/* Step the address and count over a finished run.  When the count rolls
 * from 0 to 0xFFFF the channel reaches terminal count: the TC status bit
 * is set, its software request cleared, and either auto-initialize
 * reloads the base registers or the channel masks itself (8237A
 * "Autoinitialize", "Mask Register").  Returns true at TC. */
static bool dma_advance(struct vdma *d, unsigned n, uint32_t run)
{
	struct vdma_channel *c = &d->ch[n];
	struct vdma_chip *chip = &d->chip[n >> 2];
	uint8_t bit = (uint8_t)BIT(n & 3);

	if (c->mode & DMA_MODE_DECREMENT)
		c->cur_addr = (uint16_t)(c->cur_addr - run);
	else
		c->cur_addr = (uint16_t)(c->cur_addr + run);
	if (run <= c->cur_count) {
		c->cur_count = (uint16_t)(c->cur_count - run);
		return false;
	}
	chip->status |= bit;
	chip->request &= (uint8_t)~bit;
	c->eop = true;
	if (c->mode & DMA_MODE_AUTOINIT) {
		c->cur_addr = c->base_addr;
		c->cur_count = c->base_count;
	} else {
		c->cur_count = 0xffff;
		chip->mask |= bit;
	}
	return true;
}

uint32_t vdma_transfer(struct vdma *d, unsigned channel, void *buf, uint32_t len, bool to_memory)
{
	unsigned width = dma_width(channel);
	uint32_t units = len / width, done = 0;
	struct vdma_channel *c;

	if (channel >= VDMA_CHANNELS)
		return 0;
	c = &d->ch[channel];
	c->eop = false;
	if (!dma_channel_ready(d, channel))
		return 0;
	while (done < units) {
		uint32_t run = dma_run_length(c, width, units - done);

		if (!dma_move(d, c, width, (uint8_t *)buf + done * width, run, to_memory))
			break;
		done += run;
		if (dma_advance(d, channel, run))
			break;
	}
	return done * width;
}

bool vdma_eop(const struct vdma *d, unsigned channel)
{
	return channel < VDMA_CHANNELS && d->ch[channel].eop;
}

/* Master clear (8237A "Software Commands"): command, status, request and
 * temporary registers and the flip-flop are cleared, all four channels
 * masked.  Mode, address and count registers keep their values. */
static void dma_master_clear(struct vdma_chip *chip)
{
	chip->command = 0;
	chip->status = 0;
	chip->request = 0;
	chip->flipflop = false;
	chip->mask = 0x0f;
}

/* Address and count registers are 16 bits behind one 8-bit port: the
 * byte pointer flip-flop picks the low byte, then the high byte, and
 * toggles on every access (8237A "Address and Count Registers"). */
static bool dma_flip(struct vdma_chip *chip)
{
	bool high = chip->flipflop;

	chip->flipflop = !high;
	return high;
}

/* Writing an address or count register loads both the base and the
 * current register (8237A "Base Address and Base Word Count"). */
static void dma_write_addr_count(struct vdma *d, unsigned chipno, unsigned reg, uint8_t val)
{
	struct vdma_channel *c = &d->ch[chipno * 4 + reg / 2];
	bool high = dma_flip(&d->chip[chipno]);
	uint16_t *base = reg & 1 ? &c->base_count : &c->base_addr;
	uint16_t *cur = reg & 1 ? &c->cur_count : &c->cur_addr;

	if (high)
		*base = (uint16_t)((*base & 0x00ff) | val << 8);
	else
		*base = (uint16_t)((*base & 0xff00) | val);
	*cur = *base;
}

/* Reads return the current (not base) registers. */
static uint8_t dma_read_addr_count(struct vdma *d, unsigned chipno, unsigned reg)
{
	struct vdma_channel *c = &d->ch[chipno * 4 + reg / 2];
	uint16_t val = reg & 1 ? c->cur_count : c->cur_addr;

	return (uint8_t)(dma_flip(&d->chip[chipno]) ? val >> 8 : val);
}

/* Reading status clears the TC bits; the request bits show pending
 * software requests (8237A "Status Register").  The temporary register
 * only holds data of memory-to-memory transfers, which never happen
 * here, so it reads 0.  The other registers are write-only. */
static uint8_t dma_read_reg(struct vdma *d, unsigned chipno, unsigned reg)
{
	struct vdma_chip *chip = &d->chip[chipno];
	uint8_t val;

	if (reg < DMA_REG_STATUS)
		return dma_read_addr_count(d, chipno, reg);
	switch (reg) {
	case DMA_REG_STATUS:
		val = (uint8_t)(chip->status | chip->request << DMA_STATUS_REQ_SHIFT);
		chip->status &= (uint8_t)~DMA_STATUS_TC_MASK;
		return val;
	case DMA_REG_TEMP:
		return 0;
	default:
		return DMA_FLOATING_BUS;
	}
}

/* Register writes (8237A Table 2 and "Software Commands"). */
static void dma_write_reg(struct vdma *d, unsigned chipno, unsigned reg, uint8_t val)
{
	struct vdma_chip *chip = &d->chip[chipno];
	uint8_t bit = (uint8_t)BIT(val & 3);

	if (reg < DMA_REG_COMMAND) {
		dma_write_addr_count(d, chipno, reg, val);
		return;
	}
	switch (reg) {
	case DMA_REG_COMMAND:
		chip->command = val;
		break;
	case DMA_REG_REQUEST:
		chip->request = val & DMA_SET_BIT ? chip->request | bit : chip->request & ~bit;
		break;
	case DMA_REG_SINGLE_MASK:
		chip->mask = val & DMA_SET_BIT ? chip->mask | bit : chip->mask & ~bit;
		break;
	case DMA_REG_MODE:
		d->ch[chipno * 4 + (val & DMA_MODE_CHANNEL)].mode = val;
		break;
	case DMA_REG_CLEAR_FF:
		chip->flipflop = false;
		break;
	case DMA_REG_MASTER_CLEAR:
		dma_master_clear(chip);
		break;
	case DMA_REG_CLEAR_MASK:
		chip->mask = 0;
		break;
	default: /* DMA_REG_ALL_MASK */
		chip->mask = val & 0x0f;
		break;
	}
}

/* The channel whose page register sits at port, or -1. */
static int dma_page_channel(uint16_t port)
{
	for (unsigned n = 0; n < VDMA_CHANNELS; n++)
		if (dma_page_port[n] == port)
			return (int)n;
	return -1;
}

/* Decode one byte port: DMA1 on A3-A0 at 0x00, DMA2 on A4-A1 at 0xC0
 * (odd ports there are not decoded), or a page register.  Returns false
 * for a port nothing answers. */
static bool dma_decode(uint16_t port, unsigned *chipno, unsigned *reg)
{
	if (port < DMA1_BASE + DMA_CHIP_REGS) {
		*chipno = 0;
		*reg = port - DMA1_BASE;
		return true;
	}
	if (port >= DMA2_BASE && port < DMA2_BASE + 2 * DMA_CHIP_REGS && !(port & 1)) {
		*chipno = 1;
		*reg = (unsigned)(port - DMA2_BASE) >> 1;
		return true;
	}
	return false;
}

static uint8_t dma_read_port(struct vdma *d, uint16_t port)
{
	unsigned chipno, reg;
	int n = dma_page_channel(port);

	if (n >= 0)
		return d->ch[n].page;
	if (dma_decode(port, &chipno, &reg))
		return dma_read_reg(d, chipno, reg);
	return DMA_FLOATING_BUS;
}

static void dma_write_port(struct vdma *d, uint16_t port, uint8_t val)
{
	unsigned chipno, reg;
	int n = dma_page_channel(port);

	if (n >= 0)
		d->ch[n].page = val;
	else if (dma_decode(port, &chipno, &reg))
		dma_write_reg(d, chipno, reg, val);
}

/* Wider accesses are split into byte cycles on consecutive ports, as the
 * ISA bus does for these 8-bit chips. */
uint32_t vdma_read(void *opaque, uint16_t port, unsigned size)
{
	uint32_t val = 0;

	for (unsigned i = 0; i < size && i < 4; i++)
		val |= (uint32_t)dma_read_port(opaque, (uint16_t)(port + i)) << (8 * i);
	return val;
}

void vdma_write(void *opaque, uint16_t port, unsigned size, uint32_t val)
{
	for (unsigned i = 0; i < size && i < 4; i++)
		dma_write_port(opaque, (uint16_t)(port + i), (uint8_t)(val >> (8 * i)));
}

/* Hardware reset acts as a master clear on both chips (8237A "RESET"
 * pin); mode, address, count and page registers start at 0. */
void vdma_init(struct vdma *d, const struct gpa_map *mem)
{
	memset(d, 0, sizeof(*d));
	d->mem = mem;
	dma_master_clear(&d->chip[0]);
	dma_master_clear(&d->chip[1]);
}

/* Both chips and the page registers at 0x81-0x83, 0x87, 0x89-0x8B and
 * 0x8F.  The other ports in 0x80-0x8F (the POST port among them) are
 * left to other devices. */
int vdma_attach(struct vdma *d)
{
	static const struct io_ops vdma_ops = {
		.name = "dma",
		.read = vdma_read,
		.write = vdma_write,
	};

	if (io_register(DMA1_BASE, DMA_CHIP_REGS, &vdma_ops, d) ||
	    io_register(DMA2_BASE, 2 * DMA_CHIP_REGS, &vdma_ops, d) ||
	    io_register(0x81, 3, &vdma_ops, d) || io_register(0x87, 1, &vdma_ops, d) ||
	    io_register(0x89, 3, &vdma_ops, d) || io_register(0x8f, 1, &vdma_ops, d))
		return -1;
	return 0;
}
