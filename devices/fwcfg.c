/*
 * QEMU fw_cfg device (see include/fwcfg.h for the references).
 *
 * Everything the guest sends is hostile: a selector may name no item, a
 * DMA descriptor or buffer may lie outside RAM, straddle two regions,
 * wrap around the address space or ask for 4 GiB.  Guest memory is only
 * reached through gpa_to_hva(), one gpa_map region at a time, and item
 * data only inside [0, len).
 */
#include "fwcfg.h"
#include "iobus.h"
#include "kprintf.h"
#include "lib.h"

/* fw_cfg.rst "Selector (Control) Register": bit 14 only asks for write
 * access, bit 15 picks the architecture-specific items. */
#define FW_CFG_ENTRY_MASK 0x3fff

/* fw_cfg.rst "Guest-side DMA Interface": the low half of the address
 * register (the write that starts a transfer) is 4 bytes in. */
#define FW_CFG_DMA_ADDR_LOW (FW_CFG_PORT_DMA + 4)

/* The PC memory map behind etc/e820: conventional RAM ends where the
 * 1 KiB EBDA starts, 0xA0000-0xFFFFF is VGA and ROM space, and RAM above
 * 1 MiB stops at the PCI hole (the same 0xE0000000 as vrtc_set_memory())
 * and goes on at 4 GiB. */
#define FWCFG_EBDA_START 0x9fc00
#define FWCFG_HIGH_RAM_START MiB(1)
#define FWCFG_PCI_HOLE_START 0xe0000000ull
#define FWCFG_ABOVE_4G_START GiB(4)

#define FWCFG_FLOPPY_PREFIX "floppyimg/"

static const uint8_t fw_cfg_signature[4] = { 'Q', 'E', 'M', 'U' };
static const uint8_t fw_cfg_dma_signature[8] = { 'Q', 'E', 'M', 'U', ' ', 'C', 'F', 'G' };

/* SeaBIOS src/hw/floppy.c FloppyInfo[]: the image sizes its ramdisk
 * accepts, cylinders * heads * sectors * 512 bytes. */
static const uint32_t seabios_floppy_sizes[] = {
	163840, 184320, 327680, 368640, 737280, 1228800, 1474560, 2949120,
};

/* --- Byte order ---------------------------------------------------------- */

/* fw_cfg items mix little-endian integers (FW_CFG_ID, etc/e820, ...) with
 * big-endian structures (the file directory, FWCfgDmaAccess). */
static void put_le(uint8_t *p, uint64_t val, unsigned size)
{
	for (unsigned i = 0; i < size; i++)
		p[i] = (uint8_t)(val >> (8 * i));
}

static void put_be(uint8_t *p, uint64_t val, unsigned size)
{
	for (unsigned i = 0; i < size; i++)
		p[i] = (uint8_t)(val >> (8 * (size - 1 - i)));
}

static uint64_t get_be(const uint8_t *p, unsigned size)
{
	uint64_t val = 0;

	for (unsigned i = 0; i < size; i++)
		val = val << 8 | p[i];
	return val;
}

/* The DMA address register is big-endian (fw_cfg.rst): the four bytes
 * an OUTL puts on ports 0x514-0x517 (low byte first) are the number's
 * bytes from the most significant down. */
static uint32_t dma_port_value(uint32_t val)
{
	uint8_t bytes[4];

	put_le(bytes, val, 4);
	return (uint32_t)get_be(bytes, 4);
}

/* --- Items --------------------------------------------------------------- */

/* The item a key selects, or NULL.  Lamina has no architecture-specific
 * items, so keys with bit 15 select nothing. */
static const struct fwcfg_entry *fwcfg_lookup(const struct fwcfg *fw, uint16_t key)
{
	unsigned index = key & FW_CFG_ENTRY_MASK;

	if (key & FW_CFG_ARCH_LOCAL)
		return NULL;
	if (index < FW_CFG_FILE_FIRST)
		return fw->items[index].data ? &fw->items[index] : NULL;
	if (index - FW_CFG_FILE_FIRST < fw->nfiles)
		return &fw->files[index - FW_CFG_FILE_FIRST].entry;
	return NULL;
}

/* fw_cfg.rst "Selector (Control) Register": selecting resets the offset. */
static void fwcfg_select(struct fwcfg *fw, uint16_t key)
{
	fw->selector = key;
	fw->offset = 0;
}

/* Take up to length bytes of the selected item from the current offset:
 * returns how many exist (0 past the end or for no item), points *data
 * at them and moves the offset past them. */
static uint32_t fwcfg_consume(struct fwcfg *fw, uint32_t length, const uint8_t **data)
{
	const struct fwcfg_entry *e = fwcfg_lookup(fw, fw->selector);
	uint32_t n;

	if (!e || fw->offset >= e->len)
		return 0;
	n = length < e->len - fw->offset ? length : e->len - fw->offset;
	*data = e->data + fw->offset;
	fw->offset += n;
	return n;
}

/* fw_cfg.rst "File Directory": be32 count, then per file be32 size, be16
 * select, be16 reserved and a NUL-terminated name[56]. */
static void fwcfg_build_dir(struct fwcfg *fw)
{
	put_be(fw->dir, fw->nfiles, 4);
	for (unsigned i = 0; i < fw->nfiles; i++) {
		uint8_t *entry = fw->dir + 4 + i * FW_CFG_FILE_ENTRY_SIZE;

		put_be(entry, fw->files[i].entry.len, 4);
		put_be(entry + 4, FW_CFG_FILE_FIRST + i, 2);
		put_be(entry + 6, 0, 2);
		memcpy(entry + 8, fw->files[i].name, FW_CFG_MAX_FILE_PATH);
	}
	fw->items[FW_CFG_FILE_DIR] = (struct fwcfg_entry){
		fw->dir, 4 + fw->nfiles * FW_CFG_FILE_ENTRY_SIZE
	};
}

/* QEMU's fw_cfg_reset(): select the signature; fw_cfg.rst: the DMA
 * address register is 0 at startup.  A half-written DMA address must
 * not survive into the next boot's first (low-half only) transfer. */
void fwcfg_reset(struct fwcfg *fw)
{
	fwcfg_select(fw, FW_CFG_SIGNATURE);
	fw->dma_addr_high = 0;
}

/* The items of QEMU's fw_cfg_common_realize() that lamina has: the
 * signature, the feature bitmap and the (empty) file directory. */
void fwcfg_init(struct fwcfg *fw, const struct gpa_map *mem)
{
	memset(fw, 0, sizeof(*fw));
	fw->mem = mem;
	fw->items[FW_CFG_SIGNATURE] = (struct fwcfg_entry){
		fw_cfg_signature, sizeof(fw_cfg_signature)
	};
	put_le(fw->id, FW_CFG_VERSION | FW_CFG_VERSION_DMA, sizeof(fw->id));
	fw->items[FW_CFG_ID] = (struct fwcfg_entry){ fw->id, sizeof(fw->id) };
	fwcfg_build_dir(fw);
	fwcfg_reset(fw);
}

/* Keys below FW_CFG_FILE_FIRST are fixed-meaning items; each may be
 * set once (QEMU asserts on a key conflict, we refuse). */
int fwcfg_add_item(struct fwcfg *fw, uint16_t key, const void *data, uint32_t len)
{
	if (!data || key >= FW_CFG_FILE_FIRST || fw->items[key].data)
		return -1;
	fw->items[key] = (struct fwcfg_entry){ data, len };
	return 0;
}

/* Files stay sorted by name (strcmp order), as QEMU's
 * fw_cfg_add_file_callback() keeps them, so keys follow the names. */
int fwcfg_add_file(struct fwcfg *fw, const char *name, const void *data, uint32_t len)
{
	size_t n = strlen(name);
	unsigned i;

	if (!data || n == 0 || n >= FW_CFG_MAX_FILE_PATH || fw->nfiles == FWCFG_MAX_FILES)
		return -1;
	for (i = 0; i < fw->nfiles; i++)
		if (strcmp(name, fw->files[i].name) == 0)
			return -1;
	for (i = fw->nfiles; i > 0 && strcmp(name, fw->files[i - 1].name) < 0; i--)
		fw->files[i] = fw->files[i - 1];
	memset(&fw->files[i], 0, sizeof(fw->files[i]));
	memcpy(fw->files[i].name, name, n);
	fw->files[i].entry = (struct fwcfg_entry){ data, len };
	fw->nfiles++;
	fwcfg_build_dir(fw);
	return 0;
}

/* --- Guest memory -------------------------------------------------------- */

/* A guest range that wraps around 2^64 is refused outright: its end
 * would alias low memory. */
static bool fwcfg_guest_range_ok(uint64_t gpa, uint64_t len)
{
	return len == 0 || gpa + (len - 1) >= gpa;
}

/* The host pointer to the first piece of [gpa, gpa+len) that lies in one
 * gpa_map region (*piece bytes), or NULL if gpa is not in RAM that
 * allows the access. */
static void *fwcfg_guest_piece(const struct gpa_map *mem, uint64_t gpa, uint64_t len,
			       bool write, uint64_t *piece)
{
	const struct gpa_region *r = gpa_map_find(mem, gpa);

	if (!r)
		return NULL;
	*piece = len < r->size - (gpa - r->gpa) ? len : r->size - (gpa - r->gpa);
	return gpa_to_hva(mem, gpa, *piece, write);
}

/* Copy guest memory to dst, one region at a time; false if any byte is
 * not readable RAM. */
static bool fwcfg_guest_read(const struct gpa_map *mem, uint64_t gpa, uint8_t *dst, uint64_t len)
{
	if (!fwcfg_guest_range_ok(gpa, len))
		return false;
	while (len) {
		uint64_t piece;
		const uint8_t *src = fwcfg_guest_piece(mem, gpa, len, false, &piece);

		if (!src)
			return false;
		memcpy(dst, src, piece);
		dst += piece;
		gpa += piece;
		len -= piece;
	}
	return true;
}

/* Copy src (or zeros if src is NULL) to guest memory.  Stops at the first
 * byte outside writable RAM; the pieces before it have been written.
 * memmove: item data may itself live in memory the guest can see. */
static bool fwcfg_guest_write(const struct gpa_map *mem, uint64_t gpa, const uint8_t *src,
			      uint64_t len)
{
	if (!fwcfg_guest_range_ok(gpa, len))
		return false;
	while (len) {
		uint64_t piece;
		uint8_t *dst = fwcfg_guest_piece(mem, gpa, len, true, &piece);

		if (!dst)
			return false;
		if (src) {
			memmove(dst, src, piece);
			src += piece;
		} else {
			memset(dst, 0, piece);
		}
		gpa += piece;
		len -= piece;
	}
	return true;
}

/* --- DMA interface (fw_cfg.rst "Guest-side DMA Interface") --------------- */

/* READ: length bytes from the current offset go to guest address;
 * beyond the end of the item (or with no item) the rest is zero-filled,
 * as QEMU's fw_cfg_dma_transfer() does.  A buffer that wraps around the
 * address space or leaves RAM is an error. */
static uint32_t fwcfg_dma_read(struct fwcfg *fw, uint64_t address, uint32_t length)
{
	const uint8_t *data = NULL;
	uint32_t n;

	n = fwcfg_consume(fw, length, &data);
	if (!fwcfg_guest_write(fw->mem, address, data, n) ||
	    !fwcfg_guest_write(fw->mem, address + n, NULL, length - n))
		return FW_CFG_DMA_CTL_ERROR;
	return 0;
}

/* Write the be32 status over FWCfgDmaAccess.control; 0 tells the guest
 * the transfer is done.  If the descriptor is not writable RAM there is
 * nowhere to report to. */
static void fwcfg_dma_status(struct fwcfg *fw, uint64_t desc, uint32_t status)
{
	uint8_t control[4];

	put_be(control, status, sizeof(control));
	fwcfg_guest_write(fw->mem, desc, control, sizeof(control));
}

/* One transfer, as described by the FWCfgDmaAccess at desc: SELECT
 * first, then READ, else WRITE, else SKIP (QEMU's order).  No item is
 * writable, so a WRITE of any data fails; an operation without READ,
 * WRITE or SKIP does nothing. */
static void fwcfg_dma_transfer(struct fwcfg *fw, uint64_t desc)
{
	uint8_t access[FW_CFG_DMA_ACCESS_SIZE];
	const uint8_t *skipped;
	uint32_t control, length, status = 0;

	if (!fwcfg_guest_read(fw->mem, desc, access, sizeof(access))) {
		fwcfg_dma_status(fw, desc, FW_CFG_DMA_CTL_ERROR);
		return;
	}
	control = (uint32_t)get_be(access, 4);
	length = (uint32_t)get_be(access + 4, 4);
	if (control & FW_CFG_DMA_CTL_SELECT)
		fwcfg_select(fw, (uint16_t)(control >> 16));
	if (control & FW_CFG_DMA_CTL_READ)
		status = fwcfg_dma_read(fw, get_be(access + 8, 8), length);
	else if (control & FW_CFG_DMA_CTL_WRITE)
		status = length ? FW_CFG_DMA_CTL_ERROR : 0;
	else if (control & FW_CFG_DMA_CTL_SKIP)
		fwcfg_consume(fw, length, &skipped);
	fwcfg_dma_status(fw, desc, status);
}

/* --- Ports --------------------------------------------------------------- */

/* Reads: the data port gives the next byte of the item, 0 past its end
 * (fw_cfg.rst "Data Register", 8 bits wide on x86); the DMA address
 * register reads as "QEMU CFG" in big-endian order, 'Q' at 0x514.  The
 * selector is write-only and bytes past 0x51B float: all ones. */
static uint32_t fwcfg_io_read(void *opaque, uint16_t port, unsigned size)
{
	struct fwcfg *fw = opaque;
	const uint8_t *data;
	uint32_t val = 0;

	if (port == FW_CFG_PORT_DATA && size == 1)
		return fwcfg_consume(fw, 1, &data) ? *data : 0;
	if (port < FW_CFG_PORT_DMA)
		return 0xffffffffu;
	for (unsigned i = 0; i < size; i++) {
		unsigned offset = port - FW_CFG_PORT_DMA + i;
		uint8_t byte = offset < sizeof(fw_cfg_dma_signature) ? fw_cfg_dma_signature[offset]
								      : 0xff;

		val |= (uint32_t)byte << (8 * i);
	}
	return val;
}

/* Writes: a 16-bit selector write; DMA address halves as 32-bit writes,
 * the low half starting the transfer and the register returning to 0
 * after it (fw_cfg.rst).  Data port writes are ignored, as in QEMU since
 * v2.4, and so is anything of another size. */
static void fwcfg_io_write(void *opaque, uint16_t port, unsigned size, uint32_t val)
{
	struct fwcfg *fw = opaque;
	uint64_t desc;

	if (port == FW_CFG_PORT_SEL && size == 2) {
		fwcfg_select(fw, (uint16_t)val);
	} else if (port == FW_CFG_PORT_DMA && size == 4) {
		fw->dma_addr_high = dma_port_value(val);
	} else if (port == FW_CFG_DMA_ADDR_LOW && size == 4) {
		desc = (uint64_t)fw->dma_addr_high << 32 | dma_port_value(val);
		fw->dma_addr_high = 0;
		fwcfg_dma_transfer(fw, desc);
	}
}

/* The selected item's name: a fixed key (fw_cfg.rst "Selector Register")
 * or a file from the directory. */
static const char *fwcfg_key_name(const struct fwcfg *fw, uint16_t key)
{
	static const char *const fixed[] = {
		[FW_CFG_SIGNATURE] = "signature", [FW_CFG_ID] = "feature bits", [FW_CFG_UUID] = "UUID",
		[FW_CFG_RAM_SIZE] = "RAM size", [FW_CFG_NOGRAPHIC] = "nographic",
		[FW_CFG_NB_CPUS] = "CPU count", [FW_CFG_NUMA] = "NUMA", [FW_CFG_BOOT_MENU] = "boot menu",
		[FW_CFG_MAX_CPUS] = "max CPUs", [FW_CFG_FILE_DIR] = "file directory",
	};

	key &= (uint16_t)~FW_CFG_WRITE_CHANNEL;
	if (key >= FW_CFG_FILE_FIRST && key - FW_CFG_FILE_FIRST < (int)fw->nfiles)
		return fw->files[key - FW_CFG_FILE_FIRST].name;
	return key < ARRAY_SIZE(fixed) && fixed[key] ? fixed[key] : "item";
}

/* For the live trace: which item a selector write or a DMA transfer
 * names, and which item a data read comes from. */
static int fwcfg_explain(void *opaque, uint16_t port, unsigned size, bool in, uint32_t val,
			 char *buf, unsigned len)
{
	const struct fwcfg *fw = opaque;

	(void)size;
	if (port == FW_CFG_PORT_SEL && !in)
		return ksnprintf(buf, len, "select %#x (%s)", val & 0xffff,
				 fwcfg_key_name(fw, (uint16_t)val));
	if (port == FW_CFG_PORT_DATA)
		return ksnprintf(buf, len, "data byte of %s", fwcfg_key_name(fw, fw->selector));
	if (port == FW_CFG_DMA_ADDR_LOW && !in)
		return ksnprintf(buf, len, "DMA transfer (%s)", fwcfg_key_name(fw, fw->selector));
	if (port == FW_CFG_PORT_DMA && !in)
		return ksnprintf(buf, len, "DMA address high half");
	return 0;
}

static const struct io_ops fwcfg_io_ops = { "fw_cfg", fwcfg_io_read, fwcfg_io_write,
					    fwcfg_explain };

/* fw_cfg.rst "Register Locations": selector 0x510 with the data port
 * overlapping it at 0x511, and the 8-byte DMA address register at 0x514. */
int fwcfg_attach(struct fwcfg *fw)
{
	if (io_register(FW_CFG_PORT_SEL, 2, &fwcfg_io_ops, fw))
		return -1;
	return io_register(FW_CFG_PORT_DMA, FW_CFG_DMA_PORTS, &fwcfg_io_ops, fw);
}

/* --- What the monitor publishes ------------------------------------------ */

/* Numbered item holding val as a size-byte little-endian integer, stored
 * in store (filled only once the key is known to be free). */
static int fwcfg_add_le_item(struct fwcfg *fw, uint16_t key, uint8_t *store, unsigned size,
			     uint64_t val)
{
	if (fwcfg_add_item(fw, key, store, size))
		return -1;
	put_le(store, val, size);
	return 0;
}

/* The same as a named file; SeaBIOS's romfile_loadint() takes files of
 * 1, 2, 4 or 8 bytes. */
static int fwcfg_add_le_file(struct fwcfg *fw, const char *name, uint8_t *store,
			     unsigned size, uint64_t val)
{
	if (fwcfg_add_file(fw, name, store, size))
		return -1;
	put_le(store, val, size);
	return 0;
}

/* QEMU's numeric items (hw/nvram/fw_cfg.c, hw/i386/fw_cfg.c): le64 RAM
 * size, le16 CPU counts, le16 boot menu and nographic flags, and the
 * NUMA item's le64 node count (0; the per-CPU and per-node arrays after
 * it would be zeros, which reads past the end return anyway). */
int fwcfg_publish_machine(struct fwcfg *fw, uint64_t ram_size, uint16_t ncpus)
{
	if (ncpus == 0 ||
	    fwcfg_add_le_item(fw, FW_CFG_RAM_SIZE, fw->ram_size, sizeof(fw->ram_size), ram_size) ||
	    fwcfg_add_le_item(fw, FW_CFG_NB_CPUS, fw->nb_cpus, sizeof(fw->nb_cpus), ncpus) ||
	    fwcfg_add_le_item(fw, FW_CFG_MAX_CPUS, fw->max_cpus, sizeof(fw->max_cpus), ncpus) ||
	    fwcfg_add_le_item(fw, FW_CFG_NUMA, fw->numa, sizeof(fw->numa), 0) ||
	    fwcfg_add_le_item(fw, FW_CFG_BOOT_MENU, fw->boot_menu, sizeof(fw->boot_menu), 0) ||
	    fwcfg_add_le_item(fw, FW_CFG_NOGRAPHIC, fw->nographic, sizeof(fw->nographic), 1))
		return -1;
	return 0;
}

/* One 20-byte etc/e820 entry of usable RAM. */
static void fwcfg_e820_entry(uint8_t *entry, uint64_t address, uint64_t length)
{
	put_le(entry, address, 8);
	put_le(entry + 8, length, 8);
	put_le(entry + 16, E820_RAM, 4);
}

/* SeaBIOS's qemu_cfg_e820() takes RAM above 4 GiB from here; RAM below
 * its CMOS-derived RamSize it already knows and skips. */
int fwcfg_publish_e820(struct fwcfg *fw, uint64_t ram_size)
{
	uint64_t low_top = ram_size < FWCFG_PCI_HOLE_START ? ram_size : FWCFG_PCI_HOLE_START;
	unsigned n = ram_size > low_top ? 3 : 2;

	if (ram_size <= FWCFG_HIGH_RAM_START ||
	    fwcfg_add_file(fw, "etc/e820", fw->e820, n * FWCFG_E820_ENTRY_SIZE))
		return -1;
	fwcfg_e820_entry(fw->e820, 0, FWCFG_EBDA_START);
	fwcfg_e820_entry(fw->e820 + FWCFG_E820_ENTRY_SIZE, FWCFG_HIGH_RAM_START,
			 low_top - FWCFG_HIGH_RAM_START);
	if (n == 3)
		fwcfg_e820_entry(fw->e820 + 2 * FWCFG_E820_ENTRY_SIZE, FWCFG_ABOVE_4G_START,
				 ram_size - low_top);
	return 0;
}

/* SeaBIOS sercon_setup(): romfile_loadint("etc/sercon-port", 0). */
int fwcfg_publish_sercon_port(struct fwcfg *fw, uint16_t port)
{
	return fwcfg_add_le_file(fw, "etc/sercon-port", fw->sercon_port,
				 sizeof(fw->sercon_port), port);
}

/* SeaBIOS boot_init(): romfile_loadint("etc/boot-fail-wait", 60000);
 * QEMU publishes it as le32. */
int fwcfg_publish_boot_fail_wait(struct fwcfg *fw, uint32_t ms)
{
	return fwcfg_add_le_file(fw, "etc/boot-fail-wait", fw->boot_fail_wait,
				 sizeof(fw->boot_fail_wait), ms);
}

/* SeaBIOS loadBootOrder() splits "bootorder" at newlines. */
int fwcfg_publish_bootorder(struct fwcfg *fw, const char *lines)
{
	return fwcfg_add_file(fw, "bootorder", lines, (uint32_t)strlen(lines) + 1);
}

/* SeaBIOS ramdisk_setup() loads the first "floppyimg/" file whose size
 * matches a floppy geometry into high RAM and boots it as drive A:. */
int fwcfg_publish_floppy(struct fwcfg *fw, const char *name, const void *image, uint32_t len)
{
	char path[FW_CFG_MAX_FILE_PATH];
	size_t prefix = sizeof(FWCFG_FLOPPY_PREFIX) - 1, n = strlen(name);
	bool known = false;

	for (unsigned i = 0; i < ARRAY_SIZE(seabios_floppy_sizes); i++)
		known |= len == seabios_floppy_sizes[i];
	if (!known || n == 0 || prefix + n >= sizeof(path))
		return -1;
	memcpy(path, FWCFG_FLOPPY_PREFIX, prefix);
	memcpy(path + prefix, name, n + 1);
	return fwcfg_add_file(fw, path, image, len);
}
