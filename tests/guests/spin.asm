; A guest that spins with interrupts off and never exits: lamina's own
; deadline timer (local APIC on AMD-V, preemption timer on VT-x) must
; still bring the vCPU back to the monitor, whose watchdog then stops it.
; test-cmdline: watchdog=2
; test-module: guest
; test-expect: spinning with interrupts off
; test-expect: guest stopped: watchdog: the guest ran for 2 s
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
