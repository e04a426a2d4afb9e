/*
 * PCI bus 0 behind configuration mechanism #1, populated like QEMU's "pc"
 * machine: the i440FX host bridge at 00:00.0 (SeaBIOS unlocks its shadow
 * RAM through the PAM registers) and the PIIX3 PCI-to-ISA bridge at
 * 00:01.0 (its PIRQ routing registers).  Other files add functions of
 * their own (the PIIX3 IDE function 00:01.1) with pci_add_function().
 *
 * References: PCI Local Bus Specification 2.1 ("PCI 2.1"), 3.2.2.3.2
 * (configuration mechanism #1) and 6.1-6.2 (the type 0 header); Intel
 * 82441FX PMC data sheet ("440FX"), 3.1 CONFADD/CONFDATA and 3.2 the
 * device 0 registers; Intel 82371SB PIIX3 data sheet ("PIIX3"), 2.2.
 */
#ifndef LAMINA_PCI_H
#define LAMINA_PCI_H

#include "types.h"

/* PCI 2.1 3.2.2.3.2: CONFIG_ADDRESS (dword accesses only) and CONFIG_DATA. */
#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA 0xcfc

/* PCI 2.1 6.1: the predefined header of a type 0 function. */
#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_STATUS 0x06
#define PCI_REVISION_ID 0x08
#define PCI_CLASS_PROG 0x09   /* class code byte 0: programming interface */
#define PCI_CLASS_DEVICE 0x0a /* class code bytes 1-2: sub-class, base class */
#define PCI_CACHE_LINE_SIZE 0x0c
#define PCI_LATENCY_TIMER 0x0d
#define PCI_HEADER_TYPE 0x0e
#define PCI_BASE_ADDRESS_0 0x10 /* six BARs, 0x10-0x27 */
#define PCI_SUBSYSTEM_VENDOR_ID 0x2c
#define PCI_SUBSYSTEM_ID 0x2e
#define PCI_ROM_ADDRESS 0x30
#define PCI_INTERRUPT_LINE 0x3c
#define PCI_INTERRUPT_PIN 0x3d

#define PCI_COMMAND_IO 0x0001
#define PCI_COMMAND_MEMORY 0x0002
#define PCI_COMMAND_MASTER 0x0004
#define PCI_COMMAND_PARITY 0x0040
#define PCI_COMMAND_SERR 0x0100

#define PCI_HEADER_TYPE_NORMAL 0x00
#define PCI_HEADER_TYPE_MULTI_FUNCTION 0x80

/* PCI 2.1 6.2.5.1: bit 0 of a BAR tells I/O (1) from memory (0). */
#define PCI_BASE_ADDRESS_SPACE_IO 0x01
#define PCI_BASE_ADDRESS_SPACE_MEMORY 0x00
#define PCI_BASE_ADDRESS_MEM_PREFETCH 0x08
#define PCI_NUM_BARS 6

#define PCI_CONFIG_SPACE_SIZE 256
#define PCI_MAX_DEVICES 32
#define PCI_MAX_FUNCTIONS 8       /* functions per device */
#define PCI_BUS_MAX_FUNCTIONS 8   /* functions this bus model can hold */
#define PCI_DEVFN(dev, fn) ((uint8_t)((dev) << 3 | (fn)))

#define PCI_VENDOR_ID_INTEL 0x8086
#define PCI_DEVICE_ID_INTEL_82441 0x1237    /* 440FX PMC */
#define PCI_DEVICE_ID_INTEL_82371SB_0 0x7000 /* PIIX3 ISA bridge */
#define PCI_DEVICE_ID_INTEL_82371SB_1 0x7010 /* PIIX3 IDE */
#define PCI_CLASS_BRIDGE_HOST 0x060000
#define PCI_CLASS_BRIDGE_ISA 0x060100

/* 440FX 3.2, registers PAM[6:0] (0x59-0x5F) and SMRAM (0x72). */
#define I440FX_PAM0 0x59
#define I440FX_PAM6 0x5f
#define I440FX_SMRAM 0x72

/* PIIX3 2.2, register PIRQRC[A:D]: one byte per PIRQ, 0x60-0x63. */
#define PIIX3_PIRQRC 0x60
#define PIIX3_NUM_PIRQS 4

struct pci_function;

/*
 * What kind of function this is: the read-only identity the generic
 * code writes into the header, and optional hooks.
 */
struct pci_function_ops {
	const char *name;
	uint16_t vendor_id, device_id;
	uint32_t class_code;       /* base << 16 | sub-class << 8 | prog-if */
	uint8_t revision;
	uint8_t header_type;       /* | PCI_HEADER_TYPE_MULTI_FUNCTION on function 0 */
	uint16_t subsystem_vendor_id, subsystem_id;
	uint8_t interrupt_pin;     /* 0 none, 1-4 = INTA#-INTD# */
	/* Optional: the value of config bytes [offset, offset+size) instead of
	 * the stored ones (for registers that change on their own). */
	uint32_t (*config_read)(void *opaque, struct pci_function *f, unsigned offset,
				unsigned size);
	/* Optional: called after a guest write has been merged into config[]
	 * through wmask[]; old is what [offset, offset+size) held before. */
	void (*config_write)(void *opaque, struct pci_function *f, unsigned offset,
			     unsigned size, uint32_t old);
};

struct pci_function {
	uint8_t devfn;                          /* PCI_DEVFN(device, function) */
	const struct pci_function_ops *ops;
	void *opaque;
	uint8_t config[PCI_CONFIG_SPACE_SIZE];  /* what the guest reads */
	uint8_t wmask[PCI_CONFIG_SPACE_SIZE];   /* bits a guest write may change */
};

/* The monitor's side of the chipset.  Either callback may be NULL. */
struct pci_chipset_ops {
	/* A PAM segment of [gpa, gpa+size) in 0xC0000-0xFFFFF changed: reads
	 * (writes) go to RAM when readable (writable), else to the ROM/bus. */
	void (*pam_changed)(void *opaque, uint64_t gpa, uint64_t size, bool readable,
			    bool writable);
	/* PIRQA-D (pirq 0-3) is now routed to ISA IRQ isa_irq, or nowhere (-1). */
	void (*pirq_changed)(void *opaque, unsigned pirq, int isa_irq);
};

struct pci_bus {
	uint32_t config_address;                /* the 0xCF8 latch */
	struct pci_function functions[PCI_BUS_MAX_FUNCTIONS];
	unsigned nfunctions;
	const struct pci_chipset_ops *chipset;
	void *chipset_opaque;
};

/*
 * Power-on reset: an empty bus plus the i440FX (00:00.0) and PIIX3
 * (00:01.0) in their reset state.  Every PAM segment starts neither
 * readable nor writable and every PIRQ unrouted; no callback reports
 * that, the monitor sets its map up to match.  chipset may be NULL.
 * Functions added by other files must be added again after a reset.
 */
void pci_init(struct pci_bus *bus, const struct pci_chipset_ops *chipset, void *opaque);

/* Claim 0xCF8 (dword CONFIG_ADDRESS) and 0xCFC-0xCFF on the I/O bus;
 * 0xCF9 is left for the PIIX3 reset control register.  0 or -1. */
int pci_attach(struct pci_bus *bus);

/* Add function fn of device dev with the header from ops (all else 0,
 * command/latency timer/interrupt line writable).  NULL if dev/fn is
 * out of range, taken, or the bus is full.  The device then declares
 * BARs and writable registers with the calls below. */
struct pci_function *pci_add_function(struct pci_bus *bus, unsigned dev, unsigned fn,
				      const struct pci_function_ops *ops, void *opaque);

/* Make BAR bar a size-byte window (a power of two, >= 4 for I/O, >= 16
 * for memory) of type PCI_BASE_ADDRESS_SPACE_IO or _MEMORY (optionally
 * | _MEM_PREFETCH), placed at 0.  Writing all-ones reads back the size
 * mask.  0, or -1 on a bad argument. */
int pci_set_bar(struct pci_function *f, unsigned bar, uint32_t size, uint32_t type);

/* The base address the guest programmed into BAR bar (type bits cleared). */
uint32_t pci_bar_address(const struct pci_function *f, unsigned bar);

/* Let guest writes change the bits of mask in config [offset, offset+size). */
void pci_set_writable(struct pci_function *f, unsigned offset, unsigned size, uint32_t mask);

/* Little-endian config bytes [offset, offset+size), size 1, 2 or 4,
 * read or written directly (no wmask, no hooks): for device models. */
uint32_t pci_config_get(const struct pci_function *f, unsigned offset, unsigned size);
void pci_config_set(struct pci_function *f, unsigned offset, unsigned size, uint32_t val);

#endif
