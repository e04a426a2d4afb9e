; Hypercalls and virtualization instructions: lamina offers none, so
; VMMCALL, VMCALL, VMRUN, VMLOAD, VMSAVE, STGI, CLGI, VMLAUNCH, VMRESUME
; and VMXOFF must each raise #UD in the guest and do nothing else.
; test-cmdline: guest.mode=prot
; test-module: guest
; test-expect: PASS vmmcall
; test-status: 0
%include "lib.inc"
org 0x7c00
bits 32
	mov esp, 0x7000
	lidt [idt_ptr]
	xor eax, eax                    ; a VMCB address of 0 for VMRUN & co.
	db 0x0f, 0x01, 0xd9             ; VMMCALL
	db 0x0f, 0x01, 0xc1             ; VMCALL
	db 0x0f, 0x01, 0xd8             ; VMRUN
	db 0x0f, 0x01, 0xda             ; VMLOAD
	db 0x0f, 0x01, 0xdb             ; VMSAVE
	db 0x0f, 0x01, 0xdc             ; STGI
	db 0x0f, 0x01, 0xdd             ; CLGI
	db 0x0f, 0x01, 0xc2             ; VMLAUNCH
	db 0x0f, 0x01, 0xc3             ; VMRESUME
	db 0x0f, 0x01, 0xc4             ; VMXOFF
	cmp dword [ud_count], 10
	CHECK e, "expected 10 #UD, one per instruction"
	PRINT {"PASS vmmcall", 10}
	EXIT 0

; #UD handler: count, then skip the 3-byte instruction.
ud_handler:
	inc dword [ud_count]
	add dword [esp], 3              ; no error code for #UD
	iret

ud_count: dd 0
align 8
idt:	times 6 dq 0
	dw ud_handler, 0x08, 0x8e00, 0  ; vector 6
idt_end:
idt_ptr: dw idt_end - idt - 1
	dd idt
%include "lib_code.inc"
