; The guest's COM1 (16550A at 0x3F8) is lamina's console: the guest
; programs the UART like a BIOS does, prints through THR after polling
; LSR.THRE, and reads a key typed on lamina's console through RBR.
; test-cmdline:
; test-module: guest
; test-expect: press a key:
; test-send: k
; test-expect: got k
; test-expect: PASS serial
; test-status: 0
%include "lib.inc"
COM1 equ 0x3f8
org 0x7c00
bits 16
	xor ax, ax
	mov ds, ax
	mov ss, ax
	mov sp, 0x7000
	mov dx, COM1 + 3
	mov al, 0x80                    ; LCR.DLAB
	out dx, al
	mov dx, COM1
	mov al, 1                       ; divisor 1: 115200 baud
	out dx, al
	inc dx
	xor al, al
	out dx, al
	mov dx, COM1 + 3
	mov al, 0x03                    ; 8N1
	out dx, al
	mov dx, COM1 + 2
	mov al, 0x07                    ; FIFO on, cleared
	out dx, al
	mov dx, COM1 + 3
	in al, dx
	cmp al, 0x03
	CHECK e, "LCR does not read back"

	mov si, prompt
	call serial_puts
	mov dx, COM1 + 5
.wait:	in al, dx                       ; LSR.DR: a byte has arrived
	test al, 1
	jz .wait
	mov dx, COM1
	in al, dx
	mov [key], al
	mov si, got
	call serial_puts
	PRINT {"PASS serial", 10}
	EXIT 0

; DS:SI -> COM1, waiting for THRE before each byte (PC16550D "LSR").
serial_puts:
	lodsb
	test al, al
	jz .done
	mov ah, al
	mov dx, COM1 + 5
.thre:	in al, dx
	test al, 0x20
	jz .thre
	mov dx, COM1
	mov al, ah
	out dx, al
	jmp serial_puts
.done:	ret

prompt:	db "press a key: ", 0
got:	db 13, 10, "got "
key:	db 0, 13, 10, 0
%include "lib_code.inc"
