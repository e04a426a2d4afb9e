; VM entry and VM exit for the VT-x backend.
;
;   int vmx_enter(uint64_t *gpr, uint64_t launched)
;
; VM entry loads RSP, RIP and RFLAGS from the VMCS guest-state area but no
; other general-purpose register (SDM Vol. 3C 27.3.2.3), and a VM exit
; loads RSP/RIP from the host-state area and leaves the guest's values in
; every other GPR (SDM 28.5.3).  So this routine moves the guest GPRs
; between struct vcpu.gpr[] (x86 encoding order: RAX RCX RDX RBX RSP RBP
; RSI RDI R8-R15; the RSP slot is synced with VMCS_GUEST_RSP in C) and the
; registers around VMLAUNCH/VMRESUME.
;
; Host state: the callee-saved registers (System V ABI) are pushed, then
; the gpr[] pointer; HOST_RSP is set to that stack position and HOST_RIP
; to .vmexit, so a VM exit resumes there with RSP pointing at gpr[].
;
; Result: 0 after a VM exit.  When VMLAUNCH/VMRESUME fails the processor
; falls through to the next instruction with RFLAGS.CF=1 (VMfailInvalid:
; no current VMCS) -> 1, or ZF=1 (VMfailValid: reason in the
; VM-instruction error field) -> 2 (SDM 31.2, "Conventions").

bits 64
section .text

VMCS_HOST_RSP equ 0x6c14
VMCS_HOST_RIP equ 0x6c16

%define GPR(n) [rdi + (n) * 8]
GPR_RAX equ 0
GPR_RCX equ 1
GPR_RDX equ 2
GPR_RBX equ 3
GPR_RBP equ 5
GPR_RSI equ 6
GPR_RDI equ 7

global vmx_enter
vmx_enter:
	push rbp
	push rbx
	push r12
	push r13
	push r14
	push r15
	push rdi                        ; gpr[] pointer, found again at .vmexit

	mov rax, VMCS_HOST_RSP
	vmwrite rax, rsp
	mov rax, VMCS_HOST_RIP
	lea rbx, [rel .vmexit]
	vmwrite rax, rbx

	test rsi, rsi                   ; flags now say launched or not; MOV keeps them
	mov rax, GPR(GPR_RAX)
	mov rcx, GPR(GPR_RCX)
	mov rdx, GPR(GPR_RDX)
	mov rbx, GPR(GPR_RBX)
	mov rbp, GPR(GPR_RBP)
	mov rsi, GPR(GPR_RSI)
	mov r8, GPR(8)
	mov r9, GPR(9)
	mov r10, GPR(10)
	mov r11, GPR(11)
	mov r12, GPR(12)
	mov r13, GPR(13)
	mov r14, GPR(14)
	mov r15, GPR(15)
	mov rdi, GPR(GPR_RDI)           ; last: it held the pointer
	jnz .resume
	vmlaunch
	jmp .failed
.resume:
	vmresume
.failed:
	; Still in the host, guest GPRs in the registers (all but RSP).
	; CMOV leaves the flags alone, so decide before anything else.
	mov eax, 2                      ; VMfailValid
	mov ecx, 1
	cmovc eax, ecx                  ; VMfailInvalid
	pop rdi
	jmp .restore

.vmexit:
	; RSP = HOST_RSP: [rsp] is the gpr[] pointer.  Free RDI first.
	push rdi
	mov rdi, [rsp + 8]
	mov GPR(GPR_RAX), rax
	mov GPR(GPR_RCX), rcx
	mov GPR(GPR_RDX), rdx
	mov GPR(GPR_RBX), rbx
	mov GPR(GPR_RBP), rbp
	mov GPR(GPR_RSI), rsi
	mov GPR(8), r8
	mov GPR(9), r9
	mov GPR(10), r10
	mov GPR(11), r11
	mov GPR(12), r12
	mov GPR(13), r13
	mov GPR(14), r14
	mov GPR(15), r15
	pop rax                         ; the guest's RDI
	mov GPR(GPR_RDI), rax
	pop rdi
	xor eax, eax

.restore:
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret
