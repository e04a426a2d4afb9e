; Monitor cost per exit, measured by the guest (scripts/bench, issue 9).
; Loops N times on an instruction that exits and prints the TSC cycles
; per iteration in decimal on port 0xE9:
;   loop    an empty loop (dec/jnz): the loop's own cost, no exit
;   cpuid   CPUID leaf 0: one exit each (never run natively under lamina)
;   out     OUT to an unclaimed port (0x2C0): one I/O exit each
;   in-pit  IN from PIT counter 0 (port 0x40): an I/O exit and the PIT model
;   hlt     STI/HLT with IRQ0 unmasked, the PIT at 1 kHz (mode 2, count
;           HLT_COUNT), N_HLT times, the PIC in auto-EOI mode so the
;           handler needs no EOI exit: one iteration is the PIT period
;           plus what the HLT exit, the wake-up and the IRQ0 injection
;           add; scripts/bench subtracts the period.  (At 596 kHz and at
;           49.7 kHz lamina on Bochs made no progress in minutes, while
;           QEMU ran it: see docs/performance.md.)
; The guest's TSC is the host's (lamina does not offset or trap it), so
; the figures include the monitor's time.  Under QEMU with -icount shift=0
; the TSC counts one per instruction executed by the emulated CPU, guest
; and monitor alike, so cycles are instructions (scripts/bench).
; test-cmdline:
; test-module: guest
; test-expect: exitcost: loop \d+
; test-expect: exitcost: cpuid \d+
; test-expect: exitcost: out \d+
; test-expect: exitcost: in-pit \d+
; test-expect: exitcost: hlt \d+
; test-expect: PASS exitcost
; test-status: 0
%include "lib.inc"
N       equ 2000
HLT_COUNT equ 1193
N_HLT   equ 200
UNCLAIMED equ 0x2c0
org 0x7c00
bits 16
	cli
	xor ax, ax
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov sp, 0x7000
	mov word [8 * 4], irq0          ; IVT entry for vector 8 (IRQ0)
	mov word [8 * 4 + 2], 0

	; PIC: vectors 08h/70h, IRQ0 only, master in auto-EOI mode (ICW4 bit 1).
	mov al, 0x11
	out 0x20, al
	out 0xa0, al
	mov al, 0x08
	out 0x21, al
	mov al, 0x70
	out 0xa1, al
	mov al, 0x04
	out 0x21, al
	mov al, 0x02
	out 0xa1, al
	mov al, 0x03                    ; 8086 mode, AEOI
	out 0x21, al
	mov al, 0x01
	out 0xa1, al
	mov al, 0xff                    ; all masked until the HLT test
	out 0x21, al
	out 0xa1, al
	; PIT counter 0: mode 2, the full count (the IN test reads it).
	mov al, 0x34
	out 0x43, al
	xor al, al
	out 0x40, al
	out 0x40, al

	; empty loop
	call start
	mov di, N
.l0:	dec di
	jnz .l0
	PRINT "exitcost: loop "
	call report

	; CPUID leaf 0
	call start
	mov di, N
.l1:	xor eax, eax
	cpuid
	dec di
	jnz .l1
	PRINT "exitcost: cpuid "
	call report

	; OUT to an unclaimed port (once before: lamina logs the first one)
	mov dx, UNCLAIMED
	out dx, al
	call start
	mov di, N
.l2:	out dx, al
	dec di
	jnz .l2
	PRINT "exitcost: out "
	call report

	; IN from the PIT
	call start
	mov di, N
.l3:	in al, 0x40
	dec di
	jnz .l3
	PRINT "exitcost: in-pit "
	call report

	; HLT with the timer at a high rate, IRQ0 unmasked
	mov al, 0x34
	out 0x43, al
	mov ax, HLT_COUNT
	out 0x40, al
	mov al, ah
	out 0x40, al
	mov al, 0xfe
	out 0x21, al
	mov word [ticks], 0
	call start
	mov di, N_HLT
	sti
.l4:	hlt
	dec di
	jnz .l4
	cli
	PRINT "exitcost: hlt "
	mov word [divisor], N_HLT
	call report
	mov al, 0xff                    ; quiet again
	out 0x21, al
	mov al, 0x30                    ; counter 0 mode 0: one edge, then idle
	out 0x43, al
	out 0x40, al
	out 0x40, al
	cmp word [ticks], N_HLT
	CHECK ae, "fewer timer interrupts than HLTs"
	PRINT {"PASS exitcost", 10}
	EXIT 0

irq0:
	inc word [cs:ticks]
	iret

; start: remember the TSC.
start:
	rdtsc
	mov [tsc0], eax
	mov [tsc0 + 4], edx
	ret

; report: print (TSC - tsc0) / N in decimal and a newline.
report:
	rdtsc
	sub eax, [tsc0]
	sbb edx, [tsc0 + 4]
	movzx ecx, word [divisor]
	cmp edx, ecx                    ; the quotient must fit in 32 bits
	jb .div
	mov eax, 0xffffffff
	jmp .print
.div:	div ecx
.print:	mov ecx, 10
	xor bx, bx
.digit:	xor edx, edx
	div ecx
	add dl, '0'
	push dx
	inc bx
	test eax, eax
	jnz .digit
.out:	pop ax
	out DEBUGCON, al
	dec bx
	jnz .out
	mov al, 10
	out DEBUGCON, al
	ret

ticks:	dw 0
divisor: dw N
tsc0:	dq 0
%include "lib_code.inc"
