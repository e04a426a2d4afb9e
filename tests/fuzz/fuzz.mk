# libFuzzer harnesses (make fuzzers / make fuzz, README "Fuzzing").  Each
# harness "foo" is tests/fuzz/fuzz_foo.c linked with tests/fuzz/fuzz_support.c
# (fake clock, quiet kprintf), core/kprintf.c and fuzz_foo_SRCS; its seed
# corpus is tests/fuzz/corpus/foo/.  Add one: append to FUZZERS.

FUZZERS += vatpic
fuzz_vatpic_SRCS := devices/vatpic.c core/iobus.c core/vtimer.c

FUZZERS += vatpit
fuzz_vatpit_SRCS := devices/vatpit.c core/iobus.c core/vtimer.c

FUZZERS += vrtc
fuzz_vrtc_SRCS := devices/vrtc.c core/iobus.c core/vtimer.c

FUZZERS += vuart
fuzz_vuart_SRCS := devices/vuart.c core/iobus.c core/vtimer.c

FUZZERS += vkbc
fuzz_vkbc_SRCS := devices/vkbc.c core/iobus.c core/vtimer.c

FUZZERS += piix3_rcr
fuzz_piix3_rcr_SRCS := devices/piix3_rcr.c core/iobus.c core/vtimer.c

FUZZERS += debugdev
fuzz_debugdev_SRCS := devices/debugdev.c core/iobus.c core/vtimer.c

FUZZERS += fwcfg
fuzz_fwcfg_SRCS := devices/fwcfg.c core/iobus.c core/vtimer.c ept/gpa_map.c

FUZZERS += vfdc
fuzz_vfdc_SRCS := devices/vfdc.c devices/vdma.c core/iobus.c core/vtimer.c ept/gpa_map.c

FUZZERS += pci
fuzz_pci_SRCS := devices/pci.c core/iobus.c core/vtimer.c

FUZZERS += insn_decode
fuzz_insn_decode_SRCS := core/insn_decode.c

FUZZERS += mem_alu
fuzz_mem_alu_SRCS := core/mem_alu.c core/insn_decode.c

FUZZERS += guest_walk
fuzz_guest_walk_SRCS := core/guest_walk.c ept/gpa_map.c

FUZZERS += ide
fuzz_ide_SRCS := devices/ide.c devices/ide_ata.c devices/ide_atapi.c devices/ide_bm.c \
	devices/pci.c core/iobus.c core/vtimer.c ept/gpa_map.c
