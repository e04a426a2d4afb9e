; Interrupt and exception entry stubs for the monitor's IDT.
; The CPU pushes an error code only for some exceptions (SDM Vol. 3A 6.13,
; Table 6-1: vectors 8, 10-14, 17, 21, 29, 30); the stubs push a dummy 0
; for the others so every frame looks alike (struct trap_frame in
; include/trap.h), then save the GPRs and call trap_dispatch(frame).

bits 64
section .text

%macro ISR_STUB 1
isr_stub_%1:
%if (%1 = 8) || (%1 >= 10 && %1 <= 14) || (%1 = 17) || (%1 = 21) || (%1 = 29) || (%1 = 30)
%else
	push 0
%endif
	push %1
	jmp isr_common
%endmacro

%assign v 0
%rep 256
ISR_STUB v
%assign v v + 1
%endrep

extern trap_dispatch
isr_common:
	push rax
	push rbx
	push rcx
	push rdx
	push rsi
	push rdi
	push rbp
	push r8
	push r9
	push r10
	push r11
	push r12
	push r13
	push r14
	push r15
	mov rdi, rsp
	cld
	call trap_dispatch
	pop r15
	pop r14
	pop r13
	pop r12
	pop r11
	pop r10
	pop r9
	pop r8
	pop rbp
	pop rdi
	pop rsi
	pop rdx
	pop rcx
	pop rbx
	pop rax
	add rsp, 16                      ; vector and error code
	iretq

section .rodata
global isr_stub_table
align 8
%macro STUB_ADDR 1
	dq isr_stub_%1
%endmacro
isr_stub_table:
%assign v 0
%rep 256
STUB_ADDR v
%assign v v + 1
%endrep
