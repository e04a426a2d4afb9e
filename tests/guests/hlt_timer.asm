; HLT and a timer interrupt: the guest programs the 8259 PIC and PIT
; channel 0 (100 Hz, mode 2), halts, and is woken by IRQ0 twenty times.
; lamina must sleep while the guest halts, inject IRQ0 through the
; interrupt window, and keep time from its clock: 20 ticks at 100 Hz are
; 200 ms of guest time, checked against the TSC.
; test-cmdline:
; test-module: guest
; test-expect: PASS hlt_timer
; test-status: 0
%include "lib.inc"
TICKS   equ 20
PIT_HZ  equ 1193182
org 0x7c00
bits 16
	cli
	xor ax, ax
	mov ds, ax
	mov ss, ax
	mov sp, 0x7000
	mov word [8 * 4], irq0          ; IVT entry for vector 8 (IRQ0)
	mov word [8 * 4 + 2], 0

	mov al, 0x11                    ; ICW1: edge, cascade, ICW4 follows
	out 0x20, al
	out 0xa0, al
	mov al, 0x08                    ; ICW2: vectors 08h-0Fh
	out 0x21, al
	mov al, 0x70                    ; slave: 70h-77h
	out 0xa1, al
	mov al, 0x04                    ; ICW3: slave on IRQ2
	out 0x21, al
	mov al, 0x02
	out 0xa1, al
	mov al, 0x01                    ; ICW4: 8086 mode
	out 0x21, al
	out 0xa1, al
	mov al, 0xfe                    ; OCW1: only IRQ0
	out 0x21, al
	mov al, 0xff
	out 0xa1, al

	mov al, 0x34                    ; channel 0, lo/hi, mode 2, binary
	out 0x43, al
	mov ax, PIT_HZ / 100
	out 0x40, al
	mov al, ah
	out 0x40, al

	rdtsc
	mov [tsc0], eax
	mov [tsc0 + 4], edx
	sti
.wait:	hlt
	cmp word [ticks], TICKS
	jb .wait
	cli
	rdtsc
	sub eax, [tsc0]
	sbb edx, [tsc0 + 4]
	or eax, edx
	CHECK nz, "no time passed between 20 timer interrupts"
	PRINT {"PASS hlt_timer", 10}
	EXIT 0

irq0:
	inc word [cs:ticks]
	push ax
	mov al, 0x20                    ; non-specific EOI
	out 0x20, al
	pop ax
	iret

ticks:	dw 0
tsc0:	dq 0
%include "lib_code.inc"
