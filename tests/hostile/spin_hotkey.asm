; A guest that spins with interrupts off forever and never exits on its
; own.  lamina's deadline timer (local APIC on AMD-V, VMX preemption timer
; on VT-x) still brings the monitor back every 10 ms to read its console:
; Ctrl-A t must print the exit table while the guest spins, Ctrl-A c the
; monitor self-check, and Ctrl-A q stop the guest.  Expected answer: the
; table, "monitor text intact", "stopped from the console", no exit status
; (the guest never writes to 0xF4); watchdog=60 is only a safety net.
; test-cmdline: watchdog=60
; test-module: guest
; test-expect: spinning with interrupts off
; test-send: \x01t
; test-expect: lamina: \d+ exits \((AMD-V|VT-x)\):
; test-send: \x01c
; test-expect: lamina: monitor text intact \(crc32 0x[0-9a-f]{8}, Ctrl-A c\)
; test-send: \x01q
; test-expect: guest stopped: stopped from the console \(Ctrl-A q\)
; test-status: none
%include "lib.inc"
org 0x7c00
bits 16
	cli
	xor ax, ax
	mov ds, ax
	PRINT {"spinning with interrupts off", 10}
.spin:	jmp .spin
%include "lib_code.inc"
