/*
 * Multiboot2 boot-information parser (Multiboot2 spec 3.6).  The
 * structure starts with total_size and reserved, followed by tags, each
 * 8-byte aligned, each with type and size; a type-0 tag ends the list.
 * Pure code: host-tested with hand-made structures, including broken ones.
 */
#include "lib.h"
#include "multiboot2.h"

struct mb2_tag {
	uint32_t type, size;
};

struct mb2_mmap_entry {
	uint64_t base, len;
	uint32_t type, reserved;
};

/* A string inside a tag must be NUL-terminated within the tag. */
static const char *tag_string(const uint8_t *p, uint32_t len)
{
	for (uint32_t i = 0; i < len; i++)
		if (p[i] == '\0')
			return (const char *)p;
	return NULL;
}

static const char *parse_mmap(const uint8_t *t, uint32_t size, struct boot_info *bi)
{
	uint32_t entry_size, off;

	if (size < 16)
		return "memory map tag is too short";
	memcpy(&entry_size, t + 8, 4);
	if (entry_size < sizeof(struct mb2_mmap_entry) || entry_size % 8)
		return "memory map entry size is invalid";
	for (off = 16; off + entry_size <= size; off += entry_size) {
		struct mb2_mmap_entry e;

		memcpy(&e, t + off, sizeof(e));
		if (e.len == 0)
			continue;
		if (bi->n_mmap == BOOT_MAX_MMAP)
			return "memory map has too many entries";
		bi->mmap[bi->n_mmap++] = (struct mem_region){ e.base, e.len, e.type };
	}
	return NULL;
}

static const char *parse_module(const uint8_t *t, uint32_t size, struct boot_info *bi)
{
	uint32_t start, end;
	const char *cmd;

	if (size < 17)
		return "module tag is too short";
	memcpy(&start, t + 8, 4);
	memcpy(&end, t + 12, 4);
	cmd = tag_string(t + 16, size - 16);
	if (!cmd)
		return "module command line is not terminated";
	if (end < start)
		return "module ends before it starts";
	if (bi->n_mods == BOOT_MAX_MODULES)
		return "too many modules (at most 16)";
	bi->mods[bi->n_mods++] = (struct boot_module){ start, end, cmd };
	return NULL;
}

const char *mb2_parse(const void *mbi, uint64_t mbi_phys, struct boot_info *bi)
{
	const uint8_t *base = mbi;
	uint32_t total;
	uint64_t off; /* 64-bit: a tag ending near 4 GiB must not wrap it to 0 */

	memset(bi, 0, sizeof(*bi));
	bi->cmdline = "";
	bi->loader = "";
	if (!mbi || (uintptr_t)mbi % 8)
		return "boot information is missing or misaligned";
	memcpy(&total, base, 4);
	if (total < 16)
		return "boot information is too short";
	bi->info_start = mbi_phys;
	bi->info_end = mbi_phys + total;

	for (off = 8; off + 8 <= total;) {
		struct mb2_tag tag;
		const uint8_t *t = base + off;
		const char *err = NULL;

		memcpy(&tag, t, sizeof(tag));
		if (tag.size < 8 || tag.size > total - off)
			return "a boot information tag overruns the structure";
		switch (tag.type) {
		case MB2_TAG_END:
			return NULL;
		case MB2_TAG_CMDLINE:
			bi->cmdline = tag_string(t + 8, tag.size - 8);
			if (!bi->cmdline)
				return "command line is not terminated";
			break;
		case MB2_TAG_BOOTLOADER:
			bi->loader = tag_string(t + 8, tag.size - 8);
			if (!bi->loader)
				return "boot loader name is not terminated";
			break;
		case MB2_TAG_MODULE:
			err = parse_module(t, tag.size, bi);
			break;
		case MB2_TAG_MMAP:
			err = parse_mmap(t, tag.size, bi);
			break;
		default:
			break; /* tags lamina does not need */
		}
		if (err)
			return err;
		off += ALIGN_UP(tag.size, 8);
	}
	return "boot information has no end tag";
}

bool boot_module_named(const struct boot_module *m, const char *name)
{
	const char *c = m->cmdline;
	size_t n = strlen(name);

	while (*c == ' ')
		c++;
	return strncmp(c, name, n) == 0 && (c[n] == '\0' || c[n] == ' ');
}

const struct boot_module *boot_find_module(const struct boot_info *bi, const char *name)
{
	for (unsigned i = 0; i < bi->n_mods; i++)
		if (boot_module_named(&bi->mods[i], name))
			return &bi->mods[i];
	return NULL;
}
