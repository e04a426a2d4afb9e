; Writes to guest-physical addresses with nothing behind them and into
; ROM, with PAE paging on.  A 64 KiB "BIOS" module (started at F000:FFF0,
; see tests/guests/rom.asm) so the ROM is there: its alias at FFFF0000h
; and the read-only shadow at F0000h.  Paging maps all 4 GiB with 2 MiB
; pages, except linear 0-2 MiB, whose 4 KiB table sends linear 1F0000h+
; to chosen holes and ROM pages.  Expected answer, per target:
;  - a hole (every 16 MiB from the end of RAM, 64 MiB, to 4 GiB - 16 MiB,
;    the IOAPIC FEC00000h, local APIC FEE00000h and HPET FED00000h windows,
;    the VGA window A0000h/B8000h): MOV and REP STOSD writes vanish and
;    every read is all-ones;
;  - ROM (FFFF0000h alias, F0000h shadow, read-only at reset): writes
;    vanish, reads give the image; REP STOSD still completes as on real
;    hardware (ECX = 0, EDI advanced), the writes dropped;
;  - RAM: a CRC-style sum of 1-16 MiB and of the first 640 KiB (outside
;    the stack) is unchanged afterwards, as is the sum of the ROM image.
; test-cmdline: mem=64M
; test-module: bios
; test-expect: PASS phys_sweep
; test-status: 0
; test-timeout: 90 300
%include "lib.inc"
PDPT     equ 0x100000                   ; page-directory-pointer table (PAE)
PD       equ 0x101000                   ; 4 page directories, 1 GiB each
PT0      equ 0x105000                   ; 4 KiB table for linear 0-2 MiB
WIN      equ 0x1f0000                   ; linear window of 4 KiB pages
RAM_END  equ 0x4000000                  ; mem=64M
PATTERN  equ 0x5a5aa5a5
SUMS     equ 0x6800                     ; the sums before (RAM, outside what is summed)
org 0
bits 16
start:
	cli
	xor ax, ax
	mov ss, ax
	mov sp, 0x7000
	mov ax, 0xf000
	mov ds, ax
	PRINT {"phys_sweep: from the reset vector", 10}
	lgdt [cs:gdt_ptr]
	mov eax, cr0
	or al, 1
	mov cr0, eax
	jmp 0x08:pm32                       ; CS base F0000h: offsets as assembled

bits 32
pm32:
	mov ax, 0x10                        ; DS: base F0000h (this image's data)
	mov ds, ax
	mov ax, 0x18                        ; flat: ES, FS, SS
	mov es, ax
	mov fs, ax
	mov ss, ax
	mov esp, 0x7000
	cld
	; page tables: identity, 2 MiB pages, 4 KiB ones in the first 2 MiB
	mov edi, PDPT
	xor eax, eax
	mov ecx, (PT0 + 0x1000 - PDPT) / 4
	rep stosd
	mov dword [es:PDPT + 0], PD + 0x0000 + 1
	mov dword [es:PDPT + 8], PD + 0x1000 + 1
	mov dword [es:PDPT + 16], PD + 0x2000 + 1
	mov dword [es:PDPT + 24], PD + 0x3000 + 1
	mov edi, PD
	mov eax, 0x83                       ; present, writable, 2 MiB
	mov ecx, 2048
.pde:	mov [es:edi], eax
	add edi, 8
	add eax, 0x200000
	loop .pde
	mov dword [es:PD], PT0 + 3          ; linear 0-2 MiB through PT0
	mov edi, PT0
	mov eax, 3
	mov ecx, 512
.pte:	mov [es:edi], eax
	add edi, 8
	add eax, 0x1000
	loop .pte
	mov esi, win_targets                ; linear WIN + i*4K -> target i
	mov edi, PT0 + (WIN >> 12) * 8
.win:	lodsd
	test eax, eax
	jz .windone
	or eax, 3
	mov [es:edi], eax
	add edi, 8
	jmp .win
.windone:
	mov eax, PDPT
	mov cr3, eax
	mov eax, cr4
	or eax, 1 << 5                      ; PAE
	mov cr4, eax
	mov eax, cr0
	or eax, 0x80000000
	mov cr0, eax

	; sum both RAM areas and the ROM image
	call sums
	mov [fs:SUMS], eax
	mov [fs:SUMS + 4], ebx
	mov [fs:SUMS + 8], edx

	; 1. every 16 MiB from the end of RAM to 4 GiB - 16 MiB (2 MiB pages)
	mov ebx, RAM_END
.sweep:	mov esi, ebx
	call hole
	add ebx, 0x1000000
	cmp ebx, 0xff000000
	jbe .sweep
	; the windows, through the 2 MiB identity map and through 4 KiB pages
	mov esi, 0xfec00000
	call hole
	mov esi, 0xfee00000
	call hole
	mov esi, 0xfed00000
	call hole
	mov esi, RAM_END + 0x1000           ; the second page above RAM
	call hole
	mov ecx, N_HOLE_WIN
	mov esi, WIN
.hw:	push ecx
	push esi
	call hole
	pop esi
	pop ecx
	add esi, 0x1000
	loop .hw
	; 2. ROM: through the 2 MiB map and through the 4 KiB window pages
	mov esi, 0xffff0000 + (rom_filler - $$)
	call rom
	mov esi, 0xf0000 + (rom_filler - $$)
	call rom
	mov esi, WIN + N_HOLE_WIN * 0x1000 + ((rom_filler - $$) & 0xfff)
	call rom
	mov esi, WIN + (N_HOLE_WIN + 1) * 0x1000 + ((rom_filler - $$) & 0xfff)
	call rom

	call sums
	cmp eax, [fs:SUMS]
	CHECK e, "RAM 1-16 MiB changed"
	cmp ebx, [fs:SUMS + 4]
	CHECK e, "RAM below 640 KiB changed"
	cmp edx, [fs:SUMS + 8]
	CHECK e, "the ROM image changed"
	PRINT {"PASS phys_sweep", 10}
	EXIT 0

; A hole at linear ESI: reads all-ones before and after MOV and REP STOSD
; writes, which complete (ECX = 0, EDI advanced).
hole:
	cmp dword [fs:esi], 0xffffffff
	CHECK e, "a hole does not read all-ones"
	mov dword [fs:esi], PATTERN
	cmp dword [fs:esi], 0xffffffff
	CHECK e, "a MOV store to a hole stuck"
	mov byte [fs:esi + 7], 0x12
	movzx eax, word [fs:esi + 6]
	cmp eax, 0xffff
	CHECK e, "a byte store to a hole stuck"
	mov edi, esi
	mov eax, PATTERN
	mov ecx, 16
	rep stosd
	test ecx, ecx
	CHECK z, "REP STOSD to a hole left ECX non-zero"
	lea eax, [esi + 64]
	cmp edi, eax
	CHECK e, "REP STOSD to a hole left EDI wrong"
	cmp dword [fs:esi + 60], 0xffffffff
	CHECK e, "REP STOSD to a hole stuck"
	ret

; ROM at linear ESI (inside the image's 0xFF filler): writes vanish.
rom:
	cmp dword [fs:esi], 0xffffffff
	CHECK e, "ROM does not hold the image"
	mov dword [fs:esi], PATTERN
	cmp dword [fs:esi], 0xffffffff
	CHECK e, "a MOV store to ROM stuck"
	mov edi, esi
	mov eax, PATTERN
	mov ecx, 16
	rep stosd
	cmp dword [fs:esi + 60], 0xffffffff
	CHECK e, "REP STOSD to ROM stuck"
	test ecx, ecx
	CHECK z, "REP STOSD to ROM left ECX non-zero (the CPU would finish it)"
	lea eax, [esi + 64]
	cmp edi, eax
	CHECK e, "REP STOSD to ROM left EDI wrong (the CPU would advance it)"
	ret

; EAX = sum over 2-16 MiB (above the page tables, whose accessed
; bits change, and the remapped window), EBX = over 0-0x6000 and 0x8000-0x9F000,
; EDX = over the ROM image at FFFF0000h (rotate-and-add of dwords).
sums:
	push esi
	mov esi, 0x200000
	mov ecx, (0x1000000 - 0x200000) / 4
	call sum
	push eax
	mov esi, 0
	mov ecx, 0x6000 / 4
	call sum
	mov ebx, eax
	mov esi, 0x8000
	mov ecx, (0x9f000 - 0x8000) / 4
	call sum
	add ebx, eax
	mov esi, 0xffff0000
	mov ecx, 0x10000 / 4
	call sum
	mov edx, eax
	pop eax
	pop esi
	ret
sum:	xor eax, eax
.l:	rol eax, 5
	add eax, [fs:esi]
	add esi, 4
	loop .l
	ret

win_targets:
	dd 0xa0000, 0xb8000, 0xfec00000, 0xfee00000, 0xfed00000, RAM_END, 0xe0000000, 0xfffe0000
N_HOLE_WIN equ ($ - win_targets) / 4
	dd 0xffff0000 + ((rom_filler - $$) & ~0xfff), 0xf0000 + ((rom_filler - $$) & ~0xfff)
	dd 0

align 8
gdt:	dq 0
	dq 0x004f9b0f0000ffff           ; 0x08 32-bit code, base F0000h, limit 1 MiB
	dq 0x00cf930f0000ffff           ; 0x10 data, base F0000h, 4 GiB (accessed preset: ROM GDT)
	dq 0x00cf93000000ffff           ; 0x18 flat data
gdt_end:
gdt_ptr: dw gdt_end - gdt - 1
	dd 0xf0000 + gdt
%include "lib_code.inc"
	align 4096, db 0xff
rom_filler:                             ; a page of 0xFF the test writes at
	times 0xfff0 - ($ - $$) db 0xff
bits 16
reset:	jmp 0xf000:start
	times 0x10000 - ($ - $$) db 0xff
