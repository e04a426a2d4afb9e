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

GUEST_SRCS := $(sort $(wildcard tests/guests/*.asm))
GUEST_BINS := $(GUEST_SRCS:tests/guests/%.asm=$(BUILD)/guests/%.bin)

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
RUN_CMDLINE ?=
RUN_MODULES ?= $(BUILD)/guests/modes.bin:guest

.DELETE_ON_ERROR:
.PHONY: all iso unit guests linux-guest deps run run-bochs test test-slow clean
all: $(ELF) $(ISO) unit guests
iso: $(ISO)
unit: $(UNIT_BINS)
guests: $(GUEST_BINS)

# Debian's kernel and busybox-static as a Linux guest (downloaded once, cached).
linux-guest:
	scripts/mklinux $(BUILD)/linux

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

.SECONDEXPANSION:
$(BUILD)/unit/test_%: tests/unit/test_%.c tests/unit/host_support.c $$($$*_SRCS)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTCFLAGS) -o $@ $^ -lcmocka

deps:
	scripts/deps

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

test:
	scripts/deps
	$(MAKE) all linux-guest
	BUILD=$(abspath $(BUILD)) tests/run

test-slow:
	scripts/deps
	$(MAKE) all linux-guest
	BUILD=$(abspath $(BUILD)) tests/run --slow

clean:
	rm -rf $(BUILD)

-include $(MON_OBJ:.o=.d)
