; A triple fault: with an empty IDT, INT3 cannot be delivered (#GP),
; neither can the #GP (#DF), nor the #DF: the CPU shuts down.  lamina
; must report it with the guest's registers and stay alive.
; test-cmdline: guest.mode=prot
; test-module: guest
; test-expect: about to triple fault
; test-expect: guest triple fault .*rip\s+0*7c[0-9a-f]{2}
; test-expect: rax 000000007ead7ead
; test-expect: guest stopped: guest triple fault
; test-status: none
%include "lib.inc"
org 0x7c00
bits 32
	mov esp, 0x7000
	PRINT {"about to triple fault", 10}
	lidt [idt_ptr]
	mov eax, 0x7ead7ead             ; visible in the register report
	int3
	PRINT {"FAIL still running after a triple fault", 10}
	EXIT 1

idt_ptr: dw 0
	dd 0
%include "lib_code.inc"
