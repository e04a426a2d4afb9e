# lamina: build the monitor, its boot image, the test guests and host tests.
#   make run    install missing packages, build, boot lamina in QEMU (AMD-V)
#   make test   install missing packages, build, run every default test
# See README.md for the rest.

BUILD    ?= build
CC       ?= gcc
HOSTCC   ?= gcc
NASM     ?= nasm
LD       ?= ld

# The monitor: freestanding C11, no libc.  -mgeneral-regs-only keeps the
# compiler away from x87/SSE registers, so the guest's FPU state survives
# every exit untouched (neither VMRUN nor VM exit switches it).
KCFLAGS := -std=c11 -ffreestanding -fno-stack-protector -fno-pic -fno-pie \
	-mno-red-zone -mgeneral-regs-only -mcmodel=small -fno-builtin \
	-fno-asynchronous-unwind-tables -fno-omit-frame-pointer \
	-O2 -g -Wall -Wextra -Werror -Iinclude
KLDFLAGS := -nostdlib -static -no-pie -z max-page-size=0x1000 -z noexecstack \
	-T boot/linker.ld

MON_C   := $(sort $(wildcard core/*.c svm/*.c vmx/*.c ept/*.c devices/*.c))
MON_ASM := $(sort $(wildcard boot/*.asm svm/*.asm vmx/*.asm))
MON_OBJ := $(MON_C:%.c=$(BUILD)/mon/%.o) $(MON_ASM:%.asm=$(BUILD)/mon/%.asm.o)

ELF := $(BUILD)/lamina.elf
ISO := $(BUILD)/lamina.iso

# Host unit tests: AddressSanitizer + UBSan, warnings are errors.
HOSTCFLAGS := -std=c11 -O1 -g -Wall -Wextra -Werror -Iinclude -Itests/unit \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
UNIT_TESTS :=
include tests/unit/tests.mk
UNIT_BINS := $(UNIT_TESTS:%=$(BUILD)/unit/test_%)

# libFuzzer harnesses (tests/fuzz/, clang): `make fuzzers` builds them,
# `make fuzz FUZZ_SECONDS=N` runs each for N seconds on a copy of its corpus.
FUZZCC ?= clang
FUZZCFLAGS := -std=c11 -O1 -g -Wall -Wextra -Iinclude -Itests/fuzz \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_SECONDS ?= 30
FUZZERS :=
include tests/fuzz/fuzz.mk
FUZZ_BINS := $(FUZZERS:%=$(BUILD)/fuzz/fuzz_%)

GUEST_SRCS := $(sort $(wildcard tests/guests/*.asm))
GUEST_BINS := $(GUEST_SRCS:tests/guests/%.asm=$(BUILD)/guests/%.bin)
# Hostile guests (tests/hostile/, same conventions and lib.inc as tests/guests/).
HOSTILE_SRCS := $(sort $(wildcard tests/hostile/*.asm))
HOSTILE_BINS := $(HOSTILE_SRCS:tests/hostile/%.asm=$(BUILD)/hostile/%.bin)

# What `make run` boots: lamina's command line and module list for mkiso
# (FILE:NAME pairs).  By default the mode-switching test guest;
# GUEST=freedos: SeaBIOS and the FreeDOS floppy from ../shared.
SEABIOS ?= /usr/share/seabios/bios-256k.bin
FREEDOS_IMG ?= ../shared/guests/freedos/freedos722.img
ifeq ($(GUEST),freedos)
RUN_MODULES ?= $(SEABIOS):bios $(FREEDOS_IMG):floppy
endif
ifeq ($(GUEST),linux)
RUN_CMDLINE ?= mem=256M
RUN_MODULES ?= "$(BUILD)/linux/vmlinuz:kernel console=ttyS0" $(BUILD)/linux/initrd.gz:initrd
RUN_PREP := linux-guest
endif
ifeq ($(GUEST),linux-generic)
RUN_CMDLINE ?= mem=256M
RUN_MODULES ?= "$(BUILD)/linux-generic/vmlinuz:kernel console=ttyS0" \
	$(BUILD)/linux-generic/initrd.gz:initrd
RUN_PREP := linux-generic-guest
endif
ifeq ($(GUEST),freedos-hd)
RUN_MODULES ?= $(SEABIOS):bios $(BUILD)/disks/freedos-hd.img:ide0
RUN_PREP := disks
endif
ifeq ($(GUEST),freedos-cd)
RUN_MODULES ?= $(SEABIOS):bios $(BUILD)/disks/freedos-cd.iso:ide2
RUN_PREP := disks
endif
ifeq ($(GUEST),linux-disk)
RUN_CMDLINE ?= mem=256M
RUN_MODULES ?= $(SEABIOS):bios $(BUILD)/disks/linux-hd.img:ide0
RUN_PREP := disks
endif
RUN_CMDLINE ?=
RUN_MODULES ?= $(BUILD)/guests/modes.bin:guest

.DELETE_ON_ERROR:
.PHONY: all iso unit guests hostile linux-guest linux-generic-guest disks deps run run-bochs test test-slow clean trace
.PHONY: fuzzers fuzz lint bench
all: $(ELF) $(ISO) unit guests hostile
iso: $(ISO)
unit: $(UNIT_BINS)
guests: $(GUEST_BINS)
hostile: $(HOSTILE_BINS)

# Debian's kernels and busybox-static as Linux guests (downloaded once, cached):
# linux-image-cloud-amd64 and linux-image-amd64 (scripts/mklinux).
linux-guest:
	scripts/mklinux $(BUILD)/linux

linux-generic-guest:
	FLAVOUR=generic scripts/mklinux $(BUILD)/linux-generic

# IDE disk images: FreeDOS on a hard disk and a CD, Linux on a hard disk
# (scripts/mkdisks; cached, rebuilt when their inputs change).
disks: linux-guest
	scripts/mkdisks $(BUILD)/disks

$(BUILD)/mon/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/mon/%.asm.o: %.asm
	@mkdir -p $(dir $@)
	$(NASM) -f elf64 -g -Wall -Werror -o $@ $<

$(ELF): $(MON_OBJ) boot/linker.ld
	$(LD) $(KLDFLAGS) -o $@ $(MON_OBJ)

# The default image: lamina and the mode-switching test guest.
$(ISO): $(ELF) $(BUILD)/guests/modes.bin scripts/mkiso
	scripts/mkiso $@ $(ELF) "" $(BUILD)/guests/modes.bin:guest

$(BUILD)/guests/%.bin: tests/guests/%.asm $(wildcard tests/guests/*.inc)
	@mkdir -p $(dir $@)
	$(NASM) -f bin -Werror -Itests/guests/ -o $@ $<

$(BUILD)/hostile/%.bin: tests/hostile/%.asm $(wildcard tests/guests/*.inc tests/hostile/*.inc)
	@mkdir -p $(dir $@)
	$(NASM) -f bin -Werror -Itests/guests/ -Itests/hostile/ -o $@ $<

.SECONDEXPANSION:
$(BUILD)/unit/test_%: tests/unit/test_%.c tests/unit/host_support.c core/kprintf.c $$($$*_SRCS)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTCFLAGS) -o $@ $^ -lcmocka

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_support.c tests/fuzz/fuzz_io.h \
		core/kprintf.c $$(fuzz_$$*_SRCS)
	@mkdir -p $(dir $@)
	$(FUZZCC) $(FUZZCFLAGS) -o $@ $(filter %.c,$^)

fuzzers: $(FUZZ_BINS)

fuzz: fuzzers
	tests/fuzz/run --seconds $(FUZZ_SECONDS) --work $(BUILD)/fuzz $(FUZZ_BINS)

# Static checks of the monitor sources: clang-tidy (checks in .clang-tidy)
# with the monitor's own flags, one stamp per clean file (make -j lint),
# then cppcheck over all of them.  Suppress a false positive on its line
# with the reason: /* NOLINT(check): why */, /* cppcheck-suppress id ; why */.
LINT_CFLAGS := $(filter-out -Werror,$(KCFLAGS))
CPPCHECK_FLAGS := --enable=warning,portability,performance --error-exitcode=1 --inline-suppr \
	--std=c11 --platform=unix64 -D__x86_64__ -D__GNUC__ -D__STDC_HOSTED__=0 -Iinclude \
	-q --template=gcc
lint: $(MON_C:%.c=$(BUILD)/lint/%.tidy)
	cppcheck $(CPPCHECK_FLAGS) $(MON_C)

$(BUILD)/lint/%.tidy: %.c .clang-tidy $(wildcard include/*.h)
	@mkdir -p $(dir $@)
	@echo "clang-tidy $<"
	@out=$$(clang-tidy --quiet $< -- $(LINT_CFLAGS) 2>&1) || { echo "$$out"; exit 1; }
	@touch $@

deps:
	scripts/deps

# Lab machines (docs/lab.md).  lab.iso: a GRUB menu with each bundled guest
# plain, with trace=live and with trace=summary; write it to a USB stick
# or boot it as a CD, BIOS or UEFI.  lab-pxe: a TFTP directory for iPXE.
LAB_GUEST := $(BUILD)/guests/modes.bin:guest
LAB_DOS := $(SEABIOS):bios $(FREEDOS_IMG):floppy
LAB_LINUX := "$(BUILD)/linux/vmlinuz:kernel console=ttyS0" $(BUILD)/linux/initrd.gz:initrd
# Entries for one trace mode: $(1) is "off", "live" or "summary".
lab_opt = $(if $(filter off,$(1)),,trace=$(1))
lab_entries = --entry "test guest (modes), trace $(1)" "$(call lab_opt,$(1))" $(LAB_GUEST) \
	--entry "FreeDOS 7.22 on SeaBIOS, trace $(1)" "$(call lab_opt,$(1))" $(LAB_DOS) \
	--entry "Linux (direct boot), trace $(1)" "mem=256M $(call lab_opt,$(1))" $(LAB_LINUX)
lab-iso: $(ELF) guests linux-guest
	scripts/mkiso $(BUILD)/lab.iso $(ELF) $(foreach t,off live summary,$(call lab_entries,$(t)))

lab-pxe: $(ELF)
	rm -rf $(BUILD)/pxe
	scripts/mkpxe $(BUILD)/pxe $(ELF) "" $(LAB_DOS)

# make run / run-bochs build their own image from RUN_CMDLINE and RUN_MODULES.
run:
	scripts/deps
	$(MAKE) $(ELF) guests $(RUN_PREP)
	scripts/mkiso $(BUILD)/run.iso $(ELF) "$(RUN_CMDLINE)" $(RUN_MODULES)
	scripts/run-qemu --interactive --iso $(BUILD)/run.iso

run-bochs:
	scripts/deps
	$(MAKE) $(ELF) guests $(RUN_PREP)
	scripts/mkiso $(BUILD)/run.iso $(ELF) "$(RUN_CMDLINE)" $(RUN_MODULES)
	scripts/run-bochs --iso $(BUILD)/run.iso --timeout 600 --expect 'lamina: halted'

# make trace GUEST=freedos|linux BACKEND=svm|vmx: one boot with trace=dump
# (COM2 into a file), stopped at the guest's prompt, then lamina-trace's
# tables, CSV and plots in $(BUILD)/trace-GUEST-BACKEND/ (docs/teaching.md).
BACKEND ?= svm
TRACE_DIR := $(BUILD)/trace-$(or $(GUEST),modes)-$(BACKEND)
TRACE_RUN := scripts/run-$(if $(filter vmx,$(BACKEND)),bochs,qemu) --quiet --mem 512 \
	--timeout $(if $(filter vmx,$(BACKEND)),900,180)
ifeq ($(GUEST),linux)
TRACE_STEPS := --expect 'lamina-linux\# ' --send 'poweroff -f\r'
else ifeq ($(GUEST),freedos)
TRACE_STEPS := --expect 'A:\\>' --send '\x01q'
endif
trace:
	scripts/deps
	$(MAKE) $(ELF) guests $(RUN_PREP)
	@mkdir -p $(TRACE_DIR)
	scripts/mkiso $(TRACE_DIR)/trace.iso $(ELF) "$(RUN_CMDLINE) trace=dump" $(RUN_MODULES)
	$(TRACE_RUN) --iso $(TRACE_DIR)/trace.iso --serial2 $(TRACE_DIR)/dump.bin \
		--log $(TRACE_DIR)/console.log $(TRACE_STEPS) --expect 'lamina: halted'
	scripts/lamina-trace $(TRACE_DIR)/dump.bin --csv $(TRACE_DIR)/exits.csv \
		--plots $(TRACE_DIR) --format png,svg --phases | tee $(TRACE_DIR)/summary.txt

test:
	scripts/deps
	$(MAKE) all fuzzers disks linux-generic-guest
	BUILD=$(abspath $(BUILD)) tests/run

test-slow:
	scripts/deps
	$(MAKE) all fuzzers disks linux-generic-guest
	BUILD=$(abspath $(BUILD)) tests/run --slow

# Benchmarks (not part of make test): each guest directly in the emulator
# and under lamina, exit tables, cost per exit, footprint; writes
# docs/performance.md and $(BUILD)/bench/results.csv (BENCH_RUNS=N, default 3).
bench:
	scripts/deps
	$(MAKE) $(ELF) guests disks
	BUILD=$(abspath $(BUILD)) scripts/bench

clean:
	rm -rf $(BUILD)

-include $(MON_OBJ:.o=.d)
