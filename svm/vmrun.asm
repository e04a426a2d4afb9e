; One trip into an AMD-V guest and back (APM Vol. 2 15.5 "VMRUN
; Instruction", 15.6 "#VMEXIT", 15.17 "Global Interrupt Flag").
;
;   void svm_vmrun(uint64_t guest_vmcb_pa, uint64_t *gpr, uint64_t host_vmcb_pa)
;
; VMRUN saves and restores only RAX/RSP/RIP of the guest (in the VMCB) and
; of the host (in the host save area), so the other guest GPRs are loaded
; from and stored back to gpr[] (x86 encoding order, enum vm_gpr) here.
; VMLOAD/VMSAVE move the state VMRUN does not touch (FS, GS, TR, LDTR with
; their hidden parts, KernelGsBase, STAR/LSTAR/CSTAR/SFMASK, SYSENTER_*):
; the guest's before and after VMRUN, the host's back afterwards.
;
; GIF: CLGI holds off interrupts while the world switches.  Host RFLAGS.IF
; is set before VMRUN because with V_INTR_MASKING the host's IF decides
; whether physical interrupts reach the INTR intercept while the guest runs
; (APM 15.21.1).  After #VMEXIT, STGI lets a pending host interrupt be
; taken by the monitor's own handler at once, then CLI.

bits 64
section .text

global svm_vmrun
svm_vmrun:
	push rbp
	push rbx
	push r12
	push r13
	push r14
	push r15
	push rdx                        ; [rsp+8]: host save VMCB
	push rsi                        ; [rsp]:   gpr[]

	clgi
	sti
	mov rax, rdi                    ; VMRUN/VMLOAD/VMSAVE take the VMCB in RAX
	mov rcx, [rsi + 1*8]
	mov rdx, [rsi + 2*8]
	mov rbx, [rsi + 3*8]
	mov rbp, [rsi + 5*8]
	mov rdi, [rsi + 7*8]
	mov r8,  [rsi + 8*8]
	mov r9,  [rsi + 9*8]
	mov r10, [rsi + 10*8]
	mov r11, [rsi + 11*8]
	mov r12, [rsi + 12*8]
	mov r13, [rsi + 13*8]
	mov r14, [rsi + 14*8]
	mov r15, [rsi + 15*8]
	mov rsi, [rsi + 6*8]

	vmload                          ; [RAX]
	vmrun                           ; returns here on #VMEXIT, RAX = VMCB again
	vmsave                          ; [RAX]

	push rsi                        ; guest RSI; gpr[] is now at [rsp+8]
	mov rsi, [rsp + 8]
	mov [rsi + 1*8], rcx
	mov [rsi + 2*8], rdx
	mov [rsi + 3*8], rbx
	mov [rsi + 5*8], rbp
	mov [rsi + 7*8], rdi
	mov [rsi + 8*8], r8
	mov [rsi + 9*8], r9
	mov [rsi + 10*8], r10
	mov [rsi + 11*8], r11
	mov [rsi + 12*8], r12
	mov [rsi + 13*8], r13
	mov [rsi + 14*8], r14
	mov [rsi + 15*8], r15
	pop qword [rsi + 6*8]

	mov rax, [rsp + 8]              ; host save VMCB
	vmload                          ; [RAX]
	stgi                            ; a host interrupt that exited the guest is taken now
	cli

	add rsp, 16
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret
