/* lamina's command line: "mem=256M console=com1 boot=bios ..." */
#ifndef LAMINA_OPTIONS_H
#define LAMINA_OPTIONS_H

#include "types.h"

enum boot_kind {
	BOOT_AUTO,  /* decided from the modules given */
	BOOT_NONE,  /* report features and halt */
	BOOT_FLAT,  /* a flat binary test guest (module "guest") */
	BOOT_BIOS,  /* a BIOS image at the reset vector (module "bios") */
	BOOT_LINUX, /* a bzImage (module "kernel", optional "initrd"), no BIOS */
	BOOT_MULTIBOOT, /* a Multiboot v1 kernel (module "kernel", optional "mbmod"s) */
};

enum guest_mode {
	GUEST_MODE_REAL, /* flat guest starts at 0000:7C00 in real mode */
	GUEST_MODE_PROT, /* flat guest starts at 0x7C00, 32-bit flat protected mode */
};

/* trace= and its filters (core/trace.c, README "Exit trace"). */
enum trace_mode { TRACE_OFF, TRACE_SUMMARY, TRACE_LIVE, TRACE_DUMP };

struct trace_options {
	enum trace_mode mode;
	uint32_t reasons;          /* trace.reason=: a bit per enum vm_exit_reason, 0: all */
	uint16_t port_lo, port_hi; /* trace.port=: I/O exits on these ports only */
	bool port_filter;
	uint64_t first;            /* trace.first=N: only the first N exits that pass (0: all) */
	uint32_t every;            /* trace.every=N: every Nth exit that passes (0, 1: all) */
};

struct lamina_options {
	uint64_t mem_bytes;    /* guest RAM */
	uint16_t console_port; /* lamina's own console UART (0: BIOS data area's COM1) */
	bool console_vga;      /* console=vga: the VGA text screen instead */
	enum boot_kind boot;
	enum guest_mode guest_mode;
	unsigned watchdog_s;   /* stop the guest after this many seconds (0: never) */
	bool bios_log;         /* show the firmware's port-0x402 debug log */
	bool corrupt_guest_state; /* test aid: make the first VM entry fail */
	bool floppy_fdc;       /* floppy module on the floppy controller, not fw_cfg */
	char boot_order[4];    /* boot.order=: up to three of a (floppy), c (hard
				* disk), d (CD-ROM), QEMU's -boot letters; "":
				* the CD first when there is one */
	struct trace_options trace;
};

#define OPT_MEM_DEFAULT MiB(64)
#define OPT_MEM_MIN MiB(2)
#define OPT_MEM_MAX GiB(3)

void options_defaults(struct lamina_options *o);

/* Parse the whole command line.  Returns 0, or -1 with a one-line
 * explanation in err (e.g. "unknown option 'foo'; known: mem= ..."). */
int options_parse(const char *cmdline, struct lamina_options *o, char *err, size_t errlen);

const char *boot_kind_name(enum boot_kind k);

#endif
