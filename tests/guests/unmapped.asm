; Guest-physical addresses with nothing behind them (the VGA window,
; the IOAPIC window, above the end of RAM) read as all-ones and swallow
; writes; lamina logs each page once and keeps running.
; test-cmdline: guest.mode=prot mem=64M
; test-module: guest
; test-expect: unmapped gpa 0xfec00000
; test-expect: PASS unmapped
; test-status: 0
%include "lib.inc"
org 0x7c00
bits 32
	mov esp, 0x7000
	mov eax, [0xfec00000]
	cmp eax, 0xffffffff
	CHECK e, "MOV load from 0xfec00000 is not all-ones"
	mov dword [0xfec00000], 0x12345678
	mov eax, [0xfec00000]
	cmp eax, 0xffffffff
	CHECK e, "a write to 0xfec00000 stuck"
	mov al, [0xa0000]
	cmp al, 0xff
	CHECK e, "8-bit load from the VGA window is not 0xff"
	xor ebx, ebx
	mov bh, [0xa0010]
	cmp ebx, 0xff00
	CHECK e, "8-bit load into BH did not fill BH alone"
	movzx eax, word [0xfec00010]
	cmp eax, 0xffff
	CHECK e, "MOVZX from unmapped memory is not 0xffff"
	mov dword [0x8000000], 0x5555aaaa   ; 128 MiB: past the end of RAM
	mov ecx, [0x8000000]
	cmp ecx, 0xffffffff
	CHECK e, "memory past the end of RAM is not empty"
	; String moves (Linux's real-mode setup saves a VGA screen this way).
	cld
	mov dword [0x9000], 0
	mov esi, 0xb8000
	mov edi, 0x9000
	mov ecx, 16
	rep movsd
	cmp dword [0x9000 + 60], 0xffffffff
	CHECK e, "REP MOVSD from the VGA window did not copy all-ones"
	cmp esi, 0xb8040
	CHECK e, "REP MOVSD left ESI wrong"
	test ecx, ecx
	CHECK z, "REP MOVSD left ECX non-zero"
	mov edi, 0xb8000
	mov eax, 0x12345678
	mov ecx, 8
	rep stosd
	cmp edi, 0xb8020
	CHECK e, "REP STOSD to the VGA window left EDI wrong"
	mov esi, 0xa0004
	lodsw
	cmp ax, 0xffff
	CHECK e, "LODSW from the VGA window is not all-ones"
	cmp eax, 0x1234ffff
	CHECK e, "LODSW changed more than AX"
	PRINT {"PASS unmapped", 10}
	EXIT 0
%include "lib_code.inc"
