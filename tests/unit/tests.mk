# Host unit tests. Each test "foo" is tests/unit/test_foo.c linked with
# tests/unit/host_support.c (console -> stdout, fake clock) and foo_SRCS.
# Add a test: append its name to UNIT_TESTS and list the monitor sources it needs.
# kprintf-using sources that want real formatting also list core/kprintf.c
# only if they call kvsnprintf (host_support.c provides kprintf itself).

UNIT_TESTS += vtimer
vtimer_SRCS := core/vtimer.c

UNIT_TESTS += iobus
iobus_SRCS := core/iobus.c
