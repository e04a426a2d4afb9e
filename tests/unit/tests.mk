# Host unit tests. Each test "foo" is tests/unit/test_foo.c linked with
# tests/unit/host_support.c (console -> stdout, fake clock) and foo_SRCS.
# Add a test: append its name to UNIT_TESTS and list the monitor sources it needs.
# kprintf-using sources that want real formatting also list core/kprintf.c
# only if they call kvsnprintf (host_support.c provides kprintf itself).

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
options_SRCS := core/options.c core/kprintf.c

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
