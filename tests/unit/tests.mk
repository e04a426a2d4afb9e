# Host unit tests. Each test "foo" is tests/unit/test_foo.c linked with
# tests/unit/host_support.c (console -> stdout, fake clock), core/kprintf.c
# (ksnprintf, e.g. for the devices' trace explanations) and foo_SRCS.
# Add a test: append its name to UNIT_TESTS and list the monitor sources it needs.

UNIT_TESTS += vtimer
vtimer_SRCS := core/vtimer.c

UNIT_TESTS += iobus
iobus_SRCS := core/iobus.c

UNIT_TESTS += nested_pt
nested_pt_SRCS := ept/nested_pt.c ept/npt_encoder.c ept/ept_encoder.c ept/gpa_map.c

UNIT_TESTS += insn_decode
insn_decode_SRCS := core/insn_decode.c

UNIT_TESTS += guest_walk
guest_walk_SRCS := core/guest_walk.c

UNIT_TESTS += multiboot2
multiboot2_SRCS := core/multiboot2.c

UNIT_TESTS += palloc
palloc_SRCS := core/palloc.c

UNIT_TESTS += options
options_SRCS := core/options.c core/kprintf.c core/trace_record.c

UNIT_TESTS += kprintf
kprintf_SRCS := core/kprintf.c

UNIT_TESTS += virt_features
virt_features_SRCS := core/virt_features.c core/kprintf.c

UNIT_TESTS += vrtc
vrtc_SRCS := devices/vrtc.c core/vtimer.c core/iobus.c

UNIT_TESTS += vuart
vuart_SRCS := devices/vuart.c core/vtimer.c core/iobus.c

UNIT_TESTS += vatpic
vatpic_SRCS := devices/vatpic.c core/iobus.c

UNIT_TESTS += vatpit
vatpit_SRCS := devices/vatpit.c core/vtimer.c core/iobus.c

UNIT_TESTS += vkbc
vkbc_SRCS := devices/vkbc.c core/iobus.c

UNIT_TESTS += pci
pci_SRCS := devices/pci.c core/iobus.c

UNIT_TESTS += fwcfg
fwcfg_SRCS := devices/fwcfg.c core/iobus.c ept/gpa_map.c

UNIT_TESTS += piix3_rcr
piix3_rcr_SRCS := devices/piix3_rcr.c core/iobus.c

UNIT_TESTS += vdma
vdma_SRCS := devices/vdma.c core/iobus.c ept/gpa_map.c

UNIT_TESTS += vfdc
vfdc_SRCS := devices/vfdc.c devices/vdma.c core/iobus.c ept/gpa_map.c

UNIT_TESTS += multiboot1
multiboot1_SRCS := core/multiboot1.c core/multiboot2.c

UNIT_TESTS += trace_record
trace_record_SRCS := core/trace_record.c

UNIT_TESTS += vga_text
vga_text_SRCS := core/vga_text.c

UNIT_TESTS += ide
ide_SRCS := devices/ide.c devices/ide_ata.c devices/ide_atapi.c devices/ide_bm.c devices/pci.c core/iobus.c ept/gpa_map.c

UNIT_TESTS += multiboot_guest
multiboot_guest_SRCS := core/multiboot_guest.c core/guest_flat32.c core/multiboot2.c core/kprintf.c

UNIT_TESTS += selfcheck
selfcheck_SRCS := core/selfcheck.c

UNIT_TESTS += mem_alu
mem_alu_SRCS := core/mem_alu.c core/insn_decode.c
