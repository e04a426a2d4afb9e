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
	PRINT {"PASS unmapped", 10}
	EXIT 0
%include "lib_code.inc"
