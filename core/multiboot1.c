/*
 * Multiboot 1 boot-information parser (Multiboot specification 0.6.96,
 * section 3.3): a fixed structure whose flags say which fields are valid,
 * with physical pointers to the command line, the module list (16 bytes
 * per module: start, end, string, reserved) and the memory map (entries
 * of size+4 bytes each: u32 size, u64 base, u64 length, u32 type — the
 * size field does not count itself).  Pure code: host-tested with
 * hand-made structures, including broken ones.
 */
#include "lib.h"
#include "multiboot1.h"

#define MB1_OFF_FLAGS 0
#define MB1_OFF_MEM_LOWER 4
#define MB1_OFF_MEM_UPPER 8
#define MB1_OFF_CMDLINE 16
#define MB1_OFF_MODS_COUNT 20
#define MB1_OFF_MODS_ADDR 24
#define MB1_OFF_MMAP_LENGTH 44
#define MB1_OFF_MMAP_ADDR 48
#define MB1_OFF_LOADER 64
#define MB1_MOD_SIZE 16
#define MB1_STRING_MAX 1024

struct pool {
	char *p;
	size_t len, used;
};

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* Copy the NUL-terminated string at pa into the pool; if skip_first_word,
 * drop the image name the loader put in front (and the blanks after it). */
static const char *copy_string(mb1_map_fn map, void *ctx, uint64_t pa, bool skip_first_word,
			       struct pool *pool, const char **out)
{
	size_t n = 0;
	const char *s;

	/* Map byte by byte: a string may end right before unmapped memory. */
	for (;; n++) {
		const char *c = map(pa + n, 1, ctx);

		if (!c)
			return "a command line or name lies outside the mapped memory";
		if (*c == '\0')
			break;
		if (n == MB1_STRING_MAX)
			return "a command line or name is longer than 1024 bytes";
	}
	s = map(pa, n + 1, ctx);
	if (!s)
		return "a command line or name lies outside the mapped memory";
	if (skip_first_word) {
		while (n && *s == ' ') {
			s++;
			n--;
		}
		while (n && *s != ' ') {
			s++;
			n--;
		}
		while (n && *s == ' ') {
			s++;
			n--;
		}
	}
	if (pool->len - pool->used < n + 1)
		return "the command lines do not fit lamina's string buffer";
	memcpy(pool->p + pool->used, s, n);
	pool->p[pool->used + n] = '\0';
	*out = pool->p + pool->used;
	pool->used += n + 1;
	return NULL;
}

static const char *parse_mmap(mb1_map_fn map, void *ctx, uint64_t addr, uint32_t length,
			      struct boot_info *bi)
{
	const uint8_t *m = map(addr, length, ctx);
	uint32_t off = 0;

	if (!m)
		return "the memory map lies outside the mapped memory";
	while (off + 4 <= length) {
		uint32_t size = get32(m + off);
		uint64_t base, len;

		if (size < 20 || size > length - off - 4)
			return "a memory map entry has a bad size";
		memcpy(&base, m + off + 4, 8);
		memcpy(&len, m + off + 12, 8);
		if (len) {
			if (bi->n_mmap == BOOT_MAX_MMAP)
				return "memory map has too many entries";
			bi->mmap[bi->n_mmap++] = (struct mem_region){ base, len, get32(m + off + 20) };
		}
		off += size + 4;
	}
	return NULL;
}

/* Without a memory map (flag 6), the spec's two numbers in KiB: lower
 * memory from 0, upper memory from 1 MiB (spec 3.3, mem_lower/mem_upper). */
static void basic_memory(const uint8_t *info, struct boot_info *bi)
{
	uint64_t lower = (uint64_t)get32(info + MB1_OFF_MEM_LOWER) << 10;
	uint64_t upper = (uint64_t)get32(info + MB1_OFF_MEM_UPPER) << 10;

	if (lower)
		bi->mmap[bi->n_mmap++] = (struct mem_region){ 0, lower, MB2_MEM_AVAILABLE };
	if (upper)
		bi->mmap[bi->n_mmap++] = (struct mem_region){ MiB(1), upper, MB2_MEM_AVAILABLE };
}

static const char *parse_modules(mb1_map_fn map, void *ctx, uint64_t addr, uint32_t count,
				 struct boot_info *bi, struct pool *pool)
{
	const uint8_t *m;

	if (count > BOOT_MAX_MODULES)
		return "too many modules (at most 16)";
	m = map(addr, (uint64_t)count * MB1_MOD_SIZE, ctx);
	if (count && !m)
		return "the module list lies outside the mapped memory";
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *e = m + i * MB1_MOD_SIZE;
		uint32_t start = get32(e), end = get32(e + 4), str = get32(e + 8);
		const char *cmd = "";
		const char *err;

		if (end < start)
			return "module ends before it starts";
		if (str && (err = copy_string(map, ctx, str, true, pool, &cmd)))
			return err;
		bi->mods[bi->n_mods++] = (struct boot_module){ start, end, cmd };
	}
	return NULL;
}

const char *mb1_parse(mb1_map_fn map, void *ctx, uint64_t mbi_phys, struct boot_info *bi,
		      char *pool_buf, size_t pool_len)
{
	struct pool pool = { pool_buf, pool_len, 0 };
	const uint8_t *info;
	uint32_t flags;
	const char *err;

	memset(bi, 0, sizeof(*bi));
	bi->cmdline = "";
	bi->loader = "";
	if (!mbi_phys || mbi_phys % 4)
		return "boot information is missing or misaligned";
	info = map(mbi_phys, MB1_INFO_SIZE, ctx);
	if (!info)
		return "boot information lies outside the mapped memory";
	bi->info_start = mbi_phys;
	bi->info_end = mbi_phys + MB1_INFO_SIZE;
	flags = get32(info + MB1_OFF_FLAGS);

	if ((flags & MB1_INFO_CMDLINE) && get32(info + MB1_OFF_CMDLINE) &&
	    (err = copy_string(map, ctx, get32(info + MB1_OFF_CMDLINE), true, &pool, &bi->cmdline)))
		return err;
	if ((flags & MB1_INFO_LOADER) && get32(info + MB1_OFF_LOADER) &&
	    (err = copy_string(map, ctx, get32(info + MB1_OFF_LOADER), false, &pool, &bi->loader)))
		return err;
	if (flags & MB1_INFO_MMAP) {
		if ((err = parse_mmap(map, ctx, get32(info + MB1_OFF_MMAP_ADDR),
				      get32(info + MB1_OFF_MMAP_LENGTH), bi)))
			return err;
	} else if (flags & MB1_INFO_MEMORY) {
		basic_memory(info, bi);
	} else {
		return "the boot loader gave no memory map and no memory size";
	}
	if ((flags & MB1_INFO_MODS) &&
	    (err = parse_modules(map, ctx, get32(info + MB1_OFF_MODS_ADDR),
				 get32(info + MB1_OFF_MODS_COUNT), bi, &pool)))
		return err;
	return NULL;
}
