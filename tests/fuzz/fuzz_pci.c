/*
 * Fuzzes PCI configuration mechanism #1 (devices/pci.c) at CF8h and
 * CFCh-CFFh with the i440FX host bridge (PAM, SMRAM), the PIIX3 ISA
 * bridge (PIRQ routing) and a fake device 00:02.0 with an I/O BAR, a
 * prefetchable memory BAR and config_read/config_write callbacks.  The
 * chipset callbacks check what they are told.
 * Invariants: PAM changes name a segment inside C0000h-FFFFFh, PIRQ
 * changes a PIRQ 0-3 and ISA IRQ -1 or 0-15; the fake device's IDs and
 * BAR type/size bits stay read-only; the config callbacks' offset and
 * size lie inside the 256-byte space.
 */
#include "fuzz_io.h"
#include "pci.h"

static const uint16_t ports[] = { 0xcf8, 0xcfc, 0xcfd, 0xcfe, 0xcff };

static struct pci_bus bus;
static struct pci_function *fake;

static void pam_changed(void *opaque, uint64_t gpa, uint64_t size, bool readable, bool writable)
{
	(void)opaque;
	(void)readable;
	(void)writable;
	FUZZ_CHECK(gpa >= 0xc0000 && size > 0 && gpa + size <= 0x100000);
	FUZZ_CHECK(gpa % 0x4000 == 0 && size % 0x4000 == 0);
}

static void pirq_changed(void *opaque, unsigned pirq, int isa_irq)
{
	(void)opaque;
	FUZZ_CHECK(pirq < PIIX3_NUM_PIRQS);
	FUZZ_CHECK(isa_irq >= -1 && isa_irq < 16);
}

static const struct pci_chipset_ops chipset = { pam_changed, pirq_changed };

static uint32_t fake_config_read(void *opaque, struct pci_function *f, unsigned offset,
				 unsigned size)
{
	(void)opaque;
	FUZZ_CHECK(size >= 1 && size <= 4 && offset + size <= PCI_CONFIG_SPACE_SIZE);
	if (offset == 0x40) /* a register with read side effects */
		return 0x12345678u & (size == 4 ? ~0u : (1u << 8 * size) - 1);
	return pci_config_get(f, offset, size);
}

static void fake_config_write(void *opaque, struct pci_function *f, unsigned offset,
			      unsigned size, uint32_t old)
{
	(void)opaque;
	(void)f;
	(void)old;
	FUZZ_CHECK(size >= 1 && size <= 4 && offset + size <= PCI_CONFIG_SPACE_SIZE);
}

static const struct pci_function_ops fake_ops = {
	.name = "fuzz-dev",
	.vendor_id = 0x1234,
	.device_id = 0x5678,
	.class_code = 0x010180,
	.interrupt_pin = 1,
	.config_read = fake_config_read,
	.config_write = fake_config_write,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct fuzz_op op;

	fuzz_reset();
	pci_init(&bus, &chipset, NULL);
	fake = pci_add_function(&bus, 2, 0, &fake_ops, NULL);
	FUZZ_CHECK(fake != NULL);
	FUZZ_CHECK(pci_set_bar(fake, 0, 16, PCI_BASE_ADDRESS_SPACE_IO) == 0);
	FUZZ_CHECK(pci_set_bar(fake, 1, 4096,
			       PCI_BASE_ADDRESS_SPACE_MEMORY | PCI_BASE_ADDRESS_MEM_PREFETCH) == 0);
	pci_set_writable(fake, 0x44, 4, 0x00ff00ff);
	FUZZ_CHECK(pci_attach(&bus) == 0);
	while (fuzz_next_op(&in, ports, ARRAY_SIZE(ports), &op)) {
		fuzz_do_io(&op);
		FUZZ_CHECK(pci_config_get(fake, PCI_VENDOR_ID, 4) == 0x56781234);
		FUZZ_CHECK((pci_config_get(fake, PCI_BASE_ADDRESS_0, 4) & 0xf) ==
			   PCI_BASE_ADDRESS_SPACE_IO);
		FUZZ_CHECK((pci_config_get(fake, PCI_BASE_ADDRESS_0 + 4, 4) & 0xfff) ==
			   PCI_BASE_ADDRESS_MEM_PREFETCH);
		FUZZ_CHECK(bus.nfunctions <= PCI_BUS_MAX_FUNCTIONS);
	}
	return 0;
}
