; A 64 KiB "BIOS" image (DS = F000h throughout, so PRINT finds its strings) started from the x86 reset state (F000:FFF0,
; CS base FFFF0000h): a write to its own ROM must not stick, in the
; shadow below 1 MiB or through the alias below 4 GiB, while RAM works.
; test-cmdline:
; test-module: bios
; test-expect: PASS rom
; test-status: 0
%include "lib.inc"
org 0
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
