; A 64 KiB "BIOS" image (DS = F000h throughout, so PRINT finds its strings) started from the x86 reset state (F000:FFF0,
; CS base FFFF0000h): a write to its own ROM must not stick, in the
; shadow below 1 MiB or through the alias below 4 GiB, while RAM works.
; A read-modify-write of ROM reads the ROM's bytes and sets its flags and
; registers as on a real CPU; only the write is lost (core/mem_alu.c).
; test-cmdline:
; test-module: bios
; test-expect: PASS rom
; test-status: 0
%include "lib.inc"
org 0

; FLAGS_ARE bits, "message" -- the status flags (CF PF AF ZF SF OF, SDM
; Vol. 1 3.4.3.1) are exactly these.
%macro FLAGS_ARE 2
	pushf
	pop bx
	and bx, 0x8d5
	cmp bx, %1
	CHECK e, %2
%endmacro
bits 16
rom_start:
marker:	db 0x5a
start:
	cli
	xor ax, ax
	mov ss, ax
	mov sp, 0x7000
	mov ax, 0xf000
	mov ds, ax
	PRINT {"running from the reset vector", 10}
	cmp byte [marker], 0x5a
	CHECK e, "ROM does not hold the image"
	mov byte [marker], 0xa5
	cmp byte [marker], 0x5a
	CHECK e, "a write to ROM below 1 MiB stuck"
	add byte [marker], 0xa6         ; 5Ah + A6h = 100h: CF PF AF ZF
	FLAGS_ARE 0x55, "ADD byte [rom],A6h: flags"
	mov al, 0x33
	xchg al, [marker]
	cmp al, 0x5a
	CHECK e, "XCHG AL,[rom]: AL is not the ROM byte"
	clc
	lock bts word [marker], 1       ; bit 1 of 5Ah is set
	CHECK c, "LOCK BTS word [rom],1: CF is clear"
	stc
	lock btr word [marker], 0       ; bit 0 of 5Ah is clear
	CHECK nc, "LOCK BTR word [rom],0: CF is set"
	mov al, 0x5a
	mov cl, 0
	cmpxchg [marker], cl            ; equal: ZF, the write of 0 is lost
	CHECK z, "CMPXCHG [rom],CL: ZF is clear"
	cmp byte [marker], 0x5a
	CHECK e, "a read-modify-write of ROM below 1 MiB stuck"
	xor ax, ax
	mov es, ax
	mov byte [es:0x600], 0xa5       ; RAM still works
	cmp byte [es:0x600], 0xa5
	CHECK e, "a write to RAM did not stick"

	; the alias at FFFF0000h, through a flat 4 GiB data segment
	lgdt [cs:gdt_ptr]
	mov eax, cr0
	or al, 1
	mov cr0, eax
	mov bx, 0x08
	mov fs, bx                      ; "unreal mode": FS keeps a 4 GiB limit
	and al, 0xfe
	mov cr0, eax
	mov esi, 0xffff0000
	cmp byte [fs:esi], 0x5a
	CHECK e, "the ROM alias below 4 GiB does not hold the image"
	mov byte [fs:esi], 0xa5
	cmp byte [fs:esi], 0x5a
	CHECK e, "a write to the ROM alias below 4 GiB stuck"
	sub byte [fs:esi], 0x5a         ; 5Ah - 5Ah = 0: PF ZF
	FLAGS_ARE 0x44, "SUB byte [rom alias],5Ah: flags"
	cmp byte [fs:esi], 0x5a
	CHECK e, "a read-modify-write of the ROM alias stuck"
	PRINT {"PASS rom", 10}
	EXIT 0

align 8
gdt:	dq 0
	; accessed bit preset: loading FS would otherwise make the CPU write it
	; into this ROM GDT, a write lamina ignores by skipping the instruction
	dq 0x00cf93000000ffff           ; 0x08 flat data
gdt_end:
gdt_ptr: dw gdt_end - gdt - 1
	dd 0xf0000 + gdt
%include "lib_code.inc"
	times 0xfff0 - ($ - $$) db 0xff
bits 16
reset:	jmp 0xf000:start                ; F000:FFF0
	times 0x10000 - ($ - $$) db 0xff
