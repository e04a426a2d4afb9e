/*
 * PCI configuration mechanism #1 and the two chipset functions of QEMU's
 * "pc" machine (see include/pci.h for the references).
 *
 * Each function is 256 bytes of configuration space plus a write mask:
 * a guest write changes only the bits its wmask allows, which is all it
 * takes for read-only IDs, reserved bits and BAR sizing.  Functions with
 * side effects (PAM, SMRAM, PIRQ routing) get a hook after the write.
 */
#include "pci.h"
#include "iobus.h"
#include "kprintf.h"
#include "lib.h"

/* PCI 2.1 3.2.2.3.2 and 440FX 3.1 CONFADD: bit 31 enables config cycles,
 * bits 23-16 bus, 15-11 device, 10-8 function, 7-2 dword register.
 * Bits 30-24 and 1-0 are reserved and read back as 0. */
#define PCI_CONFIG_ENABLE 0x80000000u
#define PCI_CONFIG_ADDRESS_MASK 0x80fffffcu
#define PCI_CONFIG_BUS_SHIFT 16
#define PCI_CONFIG_DEVFN_SHIFT 8
#define PCI_CONFIG_REGISTER_MASK 0xfcu
#define PCI_CONFIG_DATA_PORTS 4

/* Every function: command bits software may set, latency timer, and the
 * interrupt line (a scratch byte for the BIOS to note the IRQ in). */
#define PCI_COMMAND_WMASK (PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | \
			   PCI_COMMAND_PARITY | PCI_COMMAND_SERR)

/* QEMU's subsystem IDs for its devices (Red Hat / QEMU): SeaBIOS's
 * qemu_detect() reads them at 00:00.0 to report "QEMU (i440fx)". */
#define PCI_SUBVENDOR_ID_REDHAT_QUMRANET 0x1af4
#define PCI_SUBDEVICE_ID_QEMU 0x1100

/* 440FX 3.2 PAM[6:0]: per nibble, bit 0 read enable and bit 1 write
 * enable of one segment; PAM0 bits 3-0 and bits 3-2 of every nibble are
 * reserved.  PAM0 bits 5-4 govern 0xF0000-0xFFFFF, PAM1-6 the 16 KiB
 * segments from 0xC0000 up, low nibble first. */
#define I440FX_PAM1 0x5a
#define I440FX_PAM_RE 0x1
#define I440FX_PAM_WE 0x2
#define I440FX_PAM_ATTR_MASK (I440FX_PAM_RE | I440FX_PAM_WE)
#define I440FX_PAM0_WMASK 0x30
#define I440FX_PAM_WMASK 0x33
#define I440FX_PAM_BIOS_BASE 0xf0000
#define I440FX_PAM_BIOS_SIZE KiB(64)
#define I440FX_PAM_EXPAN_BASE 0xc0000
#define I440FX_PAM_EXPAN_SIZE KiB(16)

/* 440FX 3.2 SMRAM: bits 2-0 C_BASE_SEG hardwired to 010 (0xA0000). */
#define I440FX_SMRAM_D_OPEN 0x40
#define I440FX_SMRAM_D_CLS 0x20
#define I440FX_SMRAM_D_LCK 0x10
#define I440FX_SMRAM_G_SMRAME 0x08
#define I440FX_SMRAM_C_BASE_SEG 0x02

#define I440FX_REVISION 0x02 /* what QEMU's i440FX reports */

/* PIIX3 2.2 PIRQRC[A:D]: bit 7 set = not routed, bits 3-0 the ISA IRQ,
 * bits 6-4 reserved.  Reset 0x80. */
#define PIIX3_PIRQRC_DISABLE 0x80
#define PIIX3_PIRQRC_IRQ_MASK 0x0f
#define PIIX3_PIRQRC_WMASK (PIIX3_PIRQRC_DISABLE | PIIX3_PIRQRC_IRQ_MASK)
#define PIIX3_PCICMD_RESET (PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER)
#define PIIX3_PCISTS_RESET 0x0200 /* DEVSEL# timing: medium */

/* --- Configuration space of one function ------------------------------- */

/* PCI 2.1 6.1: configuration registers are little-endian. */
uint32_t pci_config_get(const struct pci_function *f, unsigned offset, unsigned size)
{
	uint32_t val = 0;

	for (unsigned i = 0; i < size; i++)
		val |= (uint32_t)f->config[offset + i] << (8 * i);
	return val;
}

/* Device-side store: bypasses wmask (reset values, read-only registers). */
void pci_config_set(struct pci_function *f, unsigned offset, unsigned size, uint32_t val)
{
	for (unsigned i = 0; i < size; i++)
		f->config[offset + i] = (uint8_t)(val >> (8 * i));
}

/* wmask bit set = the guest may change that config bit (PCI 2.1 6.1:
 * everything else is read-only or reserved). */
void pci_set_writable(struct pci_function *f, unsigned offset, unsigned size, uint32_t mask)
{
	for (unsigned i = 0; i < size; i++)
		f->wmask[offset + i] = (uint8_t)(mask >> (8 * i));
}

/* A guest write: PCI 2.1 6.1 has read-only and reserved bits ignore
 * writes, so only wmask bits change.  Then the function's hook runs. */
static void pci_config_write(struct pci_function *f, unsigned offset, unsigned size,
			     uint32_t val)
{
	uint32_t old = pci_config_get(f, offset, size);

	for (unsigned i = 0; i < size; i++) {
		uint8_t m = f->wmask[offset + i];

		f->config[offset + i] = (uint8_t)((f->config[offset + i] & ~m) |
						  ((val >> (8 * i)) & m));
	}
	if (f->ops->config_write)
		f->ops->config_write(f->opaque, f, offset, size, old);
}

/* PCI 2.1 6.2.5.1: a BAR's low bits give its type and are read-only; the
 * address bits below the window's size are read-only 0.  So software
 * writing all-ones reads back ~(size - 1) | type and learns the size. */
int pci_set_bar(struct pci_function *f, unsigned bar, uint32_t size, uint32_t type)
{
	bool io = type == PCI_BASE_ADDRESS_SPACE_IO;
	bool mem = type == PCI_BASE_ADDRESS_SPACE_MEMORY ||
		   type == (PCI_BASE_ADDRESS_SPACE_MEMORY | PCI_BASE_ADDRESS_MEM_PREFETCH);
	unsigned offset = PCI_BASE_ADDRESS_0 + 4 * bar;

	if (bar >= PCI_NUM_BARS || !(io || mem) || (size & (size - 1)) ||
	    size < (io ? 4u : 16u))
		return -1;
	pci_config_set(f, offset, 4, type);
	pci_set_writable(f, offset, 4, ~(size - 1));
	return 0;
}

/* The address part of a BAR: bits 31-2 for I/O, 31-4 for memory. */
uint32_t pci_bar_address(const struct pci_function *f, unsigned bar)
{
	uint32_t val;

	if (bar >= PCI_NUM_BARS)
		return 0;
	val = pci_config_get(f, PCI_BASE_ADDRESS_0 + 4 * bar, 4);
	return val & (val & PCI_BASE_ADDRESS_SPACE_IO ? ~0x3u : ~0xfu);
}

/* --- The bus ------------------------------------------------------------ */

/* The function at devfn on bus 0, or NULL: nothing answers there. */
static struct pci_function *pci_find(struct pci_bus *bus, uint8_t devfn)
{
	for (unsigned i = 0; i < bus->nfunctions; i++)
		if (bus->functions[i].devfn == devfn)
			return &bus->functions[i];
	return NULL;
}

/* PCI 2.1 6.1: vendor/device IDs, revision, class code, header type and
 * subsystem IDs are read-only; everything else starts at 0. */
struct pci_function *pci_add_function(struct pci_bus *bus, unsigned dev, unsigned fn,
				      const struct pci_function_ops *ops, void *opaque)
{
	struct pci_function *f;

	if (dev >= PCI_MAX_DEVICES || fn >= PCI_MAX_FUNCTIONS || !ops ||
	    bus->nfunctions == PCI_BUS_MAX_FUNCTIONS || pci_find(bus, PCI_DEVFN(dev, fn)))
		return NULL;
	f = &bus->functions[bus->nfunctions++];
	memset(f, 0, sizeof(*f));
	f->devfn = PCI_DEVFN(dev, fn);
	f->ops = ops;
	f->opaque = opaque;
	pci_config_set(f, PCI_VENDOR_ID, 2, ops->vendor_id);
	pci_config_set(f, PCI_DEVICE_ID, 2, ops->device_id);
	pci_config_set(f, PCI_REVISION_ID, 4, ops->class_code << 8 | ops->revision);
	pci_config_set(f, PCI_HEADER_TYPE, 1, ops->header_type);
	pci_config_set(f, PCI_SUBSYSTEM_VENDOR_ID, 2, ops->subsystem_vendor_id);
	pci_config_set(f, PCI_SUBSYSTEM_ID, 2, ops->subsystem_id);
	pci_config_set(f, PCI_INTERRUPT_PIN, 1, ops->interrupt_pin);
	pci_set_writable(f, PCI_COMMAND, 2, PCI_COMMAND_WMASK);
	pci_set_writable(f, PCI_LATENCY_TIMER, 1, 0xff);
	pci_set_writable(f, PCI_INTERRUPT_LINE, 1, 0xff);
	return f;
}

/*
 * The function and register a CONFIG_DATA access at port reaches.
 * PCI 2.1 3.2.2.3.2: only with the enable bit set is it a config cycle;
 * byte k of CONFIG_DATA is byte k of the addressed dword.  Bus 0 is the
 * only bus; nobody answers for an absent function (master abort).
 */
static struct pci_function *pci_target(struct pci_bus *bus, uint16_t port, unsigned size,
				       unsigned *offset)
{
	uint32_t addr = bus->config_address;
	unsigned byte = port - PCI_CONFIG_DATA;

	if (!(addr & PCI_CONFIG_ENABLE) || (addr >> PCI_CONFIG_BUS_SHIFT & 0xff) != 0 ||
	    byte + size > PCI_CONFIG_DATA_PORTS)
		return NULL;
	*offset = (addr & PCI_CONFIG_REGISTER_MASK) + byte;
	return pci_find(bus, (uint8_t)(addr >> PCI_CONFIG_DEVFN_SHIFT));
}

/* 440FX 3.1: CONFADD is decoded only for dword accesses; other accesses
 * to 0xCF8 are ordinary I/O that nobody claims (floating bus: all ones).
 * A master-aborted config read also returns all ones (PCI 2.1 6.1). */
static uint32_t pci_io_read(void *opaque, uint16_t port, unsigned size)
{
	struct pci_bus *bus = opaque;
	struct pci_function *f;
	unsigned offset;

	if (port == PCI_CONFIG_ADDRESS)
		return size == 4 ? bus->config_address : 0xffffffffu;
	f = pci_target(bus, port, size, &offset);
	if (!f)
		return 0xffffffffu;
	if (f->ops->config_read)
		return f->ops->config_read(f->opaque, f, offset, size);
	return pci_config_get(f, offset, size);
}

/* Writes: dwords to 0xCF8 load the latch; config writes that reach no
 * function are dropped (PCI 2.1 6.1). */
static void pci_io_write(void *opaque, uint16_t port, unsigned size, uint32_t val)
{
	struct pci_bus *bus = opaque;
	struct pci_function *f;
	unsigned offset;

	if (port == PCI_CONFIG_ADDRESS) {
		if (size == 4)
			bus->config_address = val & PCI_CONFIG_ADDRESS_MASK;
		return;
	}
	f = pci_target(bus, port, size, &offset);
	if (f)
		pci_config_write(f, offset, size, val);
}

/* For the live trace: the bus:device.function and register CONFIG_ADDRESS
 * selects (PCI 2.1 3.2.2.3.2), and which function a data access reached. */
static int pci_explain(void *opaque, uint16_t port, unsigned size, bool in, uint32_t val,
		       char *buf, unsigned len)
{
	struct pci_bus *bus = opaque;
	uint32_t addr = port == PCI_CONFIG_ADDRESS ? val : bus->config_address;
	const struct pci_function *f;
	unsigned offset;

	if (port == PCI_CONFIG_ADDRESS)
		return in || size != 4 ? 0 : ksnprintf(buf, len, "select %02x:%02x.%x reg %#x%s",
				 addr >> PCI_CONFIG_BUS_SHIFT & 0xff, addr >> 11 & 0x1f, addr >> 8 & 7,
				 addr & PCI_CONFIG_REGISTER_MASK, addr & PCI_CONFIG_ENABLE ? "" : " (off)");
	f = pci_target(bus, port, size, &offset);
	if (!f)
		return ksnprintf(buf, len, "%s %02x:%02x.%x: no function (all ones)",
				 in ? "read" : "write", addr >> PCI_CONFIG_BUS_SHIFT & 0xff,
				 addr >> 11 & 0x1f, addr >> 8 & 7);
	return ksnprintf(buf, len, "%s %s [%#x]", in ? "read" : "write", f->ops->name, offset);
}

static const struct io_ops pci_io_ops = { "pci", pci_io_read, pci_io_write, pci_explain };

/* PCI 2.1 3.2.2.3.2: CONFIG_ADDRESS is the dword at 0xCF8, CONFIG_DATA
 * the dword at 0xCFC.  Only 0xCF8 itself is claimed so that 0xCF9 (the
 * PIIX3 reset control register) stays free for its own model. */
int pci_attach(struct pci_bus *bus)
{
	if (io_register(PCI_CONFIG_ADDRESS, 1, &pci_io_ops, bus))
		return -1;
	return io_register(PCI_CONFIG_DATA, PCI_CONFIG_DATA_PORTS, &pci_io_ops, bus);
}

/* --- i440FX host bridge (00:00.0) --------------------------------------- */

/* The segment that nibble (0 low, 1 high) of PAM register reg governs;
 * false for PAM0's reserved low nibble. */
static bool i440fx_pam_segment(unsigned reg, unsigned nibble, uint64_t *gpa, uint64_t *size)
{
	if (reg == I440FX_PAM0) {
		*gpa = I440FX_PAM_BIOS_BASE;
		*size = I440FX_PAM_BIOS_SIZE;
		return nibble == 1;
	}
	*gpa = I440FX_PAM_EXPAN_BASE + (2 * (reg - I440FX_PAM1) + nibble) * I440FX_PAM_EXPAN_SIZE;
	*size = I440FX_PAM_EXPAN_SIZE;
	return true;
}

/* Report each PAM segment whose read/write enables changed, so the
 * monitor can remap 0xC0000-0xFFFFF between ROM and shadow RAM. */
static void i440fx_pam_update(struct pci_bus *bus, unsigned reg, uint8_t before, uint8_t after)
{
	for (unsigned nibble = 0; nibble < 2; nibble++) {
		unsigned was = before >> (4 * nibble) & I440FX_PAM_ATTR_MASK;
		unsigned now = after >> (4 * nibble) & I440FX_PAM_ATTR_MASK;
		uint64_t gpa, size;

		if (was == now || !i440fx_pam_segment(reg, nibble, &gpa, &size))
			continue;
		if (bus->chipset && bus->chipset->pam_changed)
			bus->chipset->pam_changed(bus->chipset_opaque, gpa, size,
						  now & I440FX_PAM_RE, now & I440FX_PAM_WE);
	}
}

/* 440FX SMRAM (as on the 82439TX of the same family): setting D_LCK
 * clears D_OPEN, and D_LCK and D_OPEN stay read-only until reset.
 * Lamina has no SMM, so the register has no other effect. */
static void i440fx_smram_update(struct pci_function *f)
{
	if (!(f->config[I440FX_SMRAM] & I440FX_SMRAM_D_LCK))
		return;
	f->config[I440FX_SMRAM] &= (uint8_t)~I440FX_SMRAM_D_OPEN;
	f->wmask[I440FX_SMRAM] = I440FX_SMRAM_D_CLS | I440FX_SMRAM_G_SMRAME;
}

/* After a write to the host bridge: act on every PAM or SMRAM byte it
 * covered (a dword write at 0x58 or 0x5C changes up to four PAMs). */
static void i440fx_config_write(void *opaque, struct pci_function *f, unsigned offset,
				unsigned size, uint32_t old)
{
	for (unsigned i = 0; i < size; i++) {
		unsigned reg = offset + i;

		if (reg >= I440FX_PAM0 && reg <= I440FX_PAM6)
			i440fx_pam_update(opaque, reg, (uint8_t)(old >> (8 * i)), f->config[reg]);
		else if (reg == I440FX_SMRAM)
			i440fx_smram_update(f);
	}
}

static const struct pci_function_ops i440fx_ops = {
	.name = "i440fx",
	.vendor_id = PCI_VENDOR_ID_INTEL,
	.device_id = PCI_DEVICE_ID_INTEL_82441,
	.class_code = PCI_CLASS_BRIDGE_HOST,
	.revision = I440FX_REVISION,
	.header_type = PCI_HEADER_TYPE_NORMAL,
	.subsystem_vendor_id = PCI_SUBVENDOR_ID_REDHAT_QUMRANET,
	.subsystem_id = PCI_SUBDEVICE_ID_QEMU,
	.config_write = i440fx_config_write,
};

/* 440FX 3.2 reset state: PAM all 0 (0xC0000-0xFFFFF goes to the bus,
 * i.e. the BIOS ROM), SMRAM 0x02. */
static void i440fx_init(struct pci_bus *bus)
{
	struct pci_function *f = pci_add_function(bus, 0, 0, &i440fx_ops, bus);

	pci_set_writable(f, I440FX_PAM0, 1, I440FX_PAM0_WMASK);
	for (unsigned reg = I440FX_PAM1; reg <= I440FX_PAM6; reg++)
		pci_set_writable(f, reg, 1, I440FX_PAM_WMASK);
	pci_config_set(f, I440FX_SMRAM, 1, I440FX_SMRAM_C_BASE_SEG);
	pci_set_writable(f, I440FX_SMRAM, 1, I440FX_SMRAM_D_OPEN | I440FX_SMRAM_D_CLS |
				 I440FX_SMRAM_D_LCK | I440FX_SMRAM_G_SMRAME);
}

/* --- PIIX3 PCI-to-ISA bridge (00:01.0) ---------------------------------- */

/* PIIX3 2.2 PIRQRC: the ISA IRQ a PIRQ drives, or -1.  IRQ 0, 1, 2, 8
 * and 13 are reserved encodings (timer, keyboard, cascade, RTC, FPU). */
static int piix3_pirq_irq(uint8_t route)
{
	unsigned irq = route & PIIX3_PIRQRC_IRQ_MASK;

	if ((route & PIIX3_PIRQRC_DISABLE) || irq < 3 || irq == 8 || irq == 13)
		return -1;
	return (int)irq;
}

/* Tell the monitor about every PIRQ whose routing byte changed. */
static void piix3_config_write(void *opaque, struct pci_function *f, unsigned offset,
			       unsigned size, uint32_t old)
{
	struct pci_bus *bus = opaque;

	for (unsigned i = 0; i < size; i++) {
		unsigned reg = offset + i;

		if (reg < PIIX3_PIRQRC || reg >= PIIX3_PIRQRC + PIIX3_NUM_PIRQS ||
		    (uint8_t)(old >> (8 * i)) == f->config[reg])
			continue;
		if (bus->chipset && bus->chipset->pirq_changed)
			bus->chipset->pirq_changed(bus->chipset_opaque, reg - PIIX3_PIRQRC,
						   piix3_pirq_irq(f->config[reg]));
	}
}

static const struct pci_function_ops piix3_ops = {
	.name = "piix3-isa",
	.vendor_id = PCI_VENDOR_ID_INTEL,
	.device_id = PCI_DEVICE_ID_INTEL_82371SB_0,
	.class_code = PCI_CLASS_BRIDGE_ISA,
	.header_type = PCI_HEADER_TYPE_NORMAL | PCI_HEADER_TYPE_MULTI_FUNCTION,
	.subsystem_vendor_id = PCI_SUBVENDOR_ID_REDHAT_QUMRANET,
	.subsystem_id = PCI_SUBDEVICE_ID_QEMU,
	.config_write = piix3_config_write,
};

/* PIIX3 2.2 reset values (also QEMU's piix3_reset()): PCICMD 0x0007,
 * PCISTS 0x0200, PIRQRC 0x80. */
static void piix3_init(struct pci_bus *bus)
{
	struct pci_function *f = pci_add_function(bus, 1, 0, &piix3_ops, bus);

	pci_config_set(f, PCI_COMMAND, 2, PIIX3_PCICMD_RESET);
	pci_config_set(f, PCI_STATUS, 2, PIIX3_PCISTS_RESET);
	for (unsigned i = 0; i < PIIX3_NUM_PIRQS; i++) {
		pci_config_set(f, PIIX3_PIRQRC + i, 1, PIIX3_PIRQRC_DISABLE);
		pci_set_writable(f, PIIX3_PIRQRC + i, 1, PIIX3_PIRQRC_WMASK);
	}
}

/* Power-on reset of the bus and the chipset's two functions (the
 * i440FX must exist: SeaBIOS reboots without it, see testbench.md). */
void pci_init(struct pci_bus *bus, const struct pci_chipset_ops *chipset, void *opaque)
{
	memset(bus, 0, sizeof(*bus));
	bus->chipset = chipset;
	bus->chipset_opaque = opaque;
	i440fx_init(bus);
	piix3_init(bus);
}
