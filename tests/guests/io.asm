; IN and OUT of every size, with an immediate port and through DX:
; the test device at 0xE0 reads back what was written byte by byte, and
; an unclaimed port reads all-ones.
; test-cmdline:
; test-module: guest
; test-expect: PASS io
; test-status: 0
%include "lib.inc"
org 0x7c00
bits 16
	xor ax, ax
	mov ds, ax
	mov ss, ax
	mov sp, 0x7000

	mov eax, 0x12345678
	out 0xe0, eax
	xor eax, eax
	in eax, 0xe0
	cmp eax, 0x12345678
	CHECK e, "32-bit OUT/IN to the test device"
	in al, 0xe1
	cmp al, 0x56
	CHECK e, "8-bit IN from byte 1 of the test device"
	mov dx, 0xe2
	mov ax, 0xabcd
	out dx, ax
	mov dx, 0xe0
	in eax, dx
	cmp eax, 0xabcd5678
	CHECK e, "16-bit OUT through DX to byte 2"
	mov al, 0xef
	out 0xe3, al
	in eax, 0xe0
	cmp eax, 0xefcd5678
	CHECK e, "8-bit OUT to byte 3"
	in ax, 0xe1
	cmp ax, 0xcd56
	CHECK e, "16-bit IN at an odd port"

	mov dx, 0x3333                  ; nothing there
	in al, dx
	cmp al, 0xff
	CHECK e, "unclaimed 8-bit IN is not 0xff"
	in ax, dx
	cmp ax, 0xffff
	CHECK e, "unclaimed 16-bit IN is not 0xffff"
	in eax, dx
	cmp eax, 0xffffffff
	CHECK e, "unclaimed 32-bit IN is not 0xffffffff"
	mov al, 0x42
	out dx, al                      ; dropped, logged once

	PRINT {"PASS io", 10}
	EXIT 0
%include "lib_code.inc"
