; Every VMX and SVM instruction must raise #UD in the guest: lamina hides
; VMX and SVM in CPUID and offers no nested virtualization, so to the guest
; they are undefined opcodes, as on a CPU without them (SDM Vol. 3C 26.1.2:
; they exit unconditionally under VT-x; APM Vol. 2 15.5.1/15.9: lamina
; intercepts them all under AMD-V).  The #UD handler counts and skips.
; The MSRs that control virtualization must refuse access with #GP and
; keep no value:
;  - EFER.SVME (bit 12 of C000_0080h): APM Vol. 2 3.1.7: with SVM absent
;    (CPUID 8000_0001h ECX.SVM=0, which the guest sees) SVME is reserved,
;    and setting a reserved EFER bit is #GP.  lamina refuses the WRMSR
;    with #GP; EFER reads back without SVME.
;  - IA32_FEATURE_CONTROL (3Ah): CPUID.1:ECX.VMX=0 and SMX=0, so the MSR
;    does not exist for the guest (SDM Vol. 4 Table 2-2): #GP, read and write.
;  - VM_CR (C001_0114h), VM_HSAVE_PA (C001_0117h): AMD SVM MSRs, #GP.
;  - IA32_VMX_BASIC .. IA32_VMX_VMFUNC (480h-491h): #GP on read and write.
;  - CR4.VMXE (bit 13) and CR4.SMXE (bit 14): reserved when CPUID.1:ECX
;    says no VMX/SMX (SDM Vol. 3A 2.5), so MOV to CR4 is #GP.
; Expected answer: 21 #UD; #GP from 1 EFER write, 3 FEATURE_CONTROL,
; 3 VM_CR, 3 VM_HSAVE_PA, 3 * 18 VMX capability MSRs (read, write, read)
; and 2 CR4 writes (66); afterwards CPUID still shows no VMX/SVM, EFER no SVME, CR4 neither
; VMXE nor SMXE.
; test-cmdline: guest.mode=prot
; test-module: guest
; test-expect: PASS virt_insns
; test-status: 0
%include "lib.inc"
org 0x7c00
bits 32
; EXPECT_UD insn: the next instruction must raise #UD; the handler
; resumes after it (it counts, then jumps to [resume]).
%macro EXPECT 1+
	mov dword [resume], %%next
	%1
%%next:
%endmacro

	mov esp, 0x7000
	lidt [idt_ptr]
	mov dword [0x1000], 0           ; a harmless VMCS/VMCB/descriptor operand
	mov dword [0x1004], 0
	xor eax, eax                    ; rAX = 0 for VMRUN, VMLOAD, VMSAVE, SKINIT, INVLPGA
	xor ecx, ecx
	; VMX: SDM Vol. 2C chapter 30
	EXPECT db 0xf3, 0x0f, 0xc7, 0x35, 0x00, 0x10, 0x00, 0x00  ; VMXON [0x1000]
	EXPECT db 0x66, 0x0f, 0xc7, 0x35, 0x00, 0x10, 0x00, 0x00  ; VMCLEAR [0x1000]
	EXPECT db 0x0f, 0xc7, 0x35, 0x00, 0x10, 0x00, 0x00        ; VMPTRLD [0x1000]
	EXPECT db 0x0f, 0xc7, 0x3d, 0x00, 0x10, 0x00, 0x00        ; VMPTRST [0x1000]
	EXPECT db 0x0f, 0x78, 0xc8                                ; VMREAD eax, ecx
	EXPECT db 0x0f, 0x79, 0xc8                                ; VMWRITE ecx, eax
	EXPECT db 0x0f, 0x01, 0xc2                                ; VMLAUNCH
	EXPECT db 0x0f, 0x01, 0xc3                                ; VMRESUME
	EXPECT db 0x0f, 0x01, 0xc4                                ; VMXOFF
	EXPECT db 0x66, 0x0f, 0x38, 0x80, 0x05, 0x00, 0x10, 0x00, 0x00 ; INVEPT eax, [0x1000]
	EXPECT db 0x66, 0x0f, 0x38, 0x81, 0x05, 0x00, 0x10, 0x00, 0x00 ; INVVPID eax, [0x1000]
	EXPECT db 0x0f, 0x01, 0xc1                                ; VMCALL
	EXPECT db 0x0f, 0x01, 0xd4                                ; VMFUNC
	; SVM: APM Vol. 3 chapter 4
	EXPECT db 0x0f, 0x01, 0xd8                                ; VMRUN
	EXPECT db 0x0f, 0x01, 0xda                                ; VMLOAD
	EXPECT db 0x0f, 0x01, 0xdb                                ; VMSAVE
	EXPECT db 0x0f, 0x01, 0xd9                                ; VMMCALL
	EXPECT db 0x0f, 0x01, 0xdc                                ; STGI
	EXPECT db 0x0f, 0x01, 0xdd                                ; CLGI
	EXPECT db 0x0f, 0x01, 0xde                                ; SKINIT
	EXPECT db 0x0f, 0x01, 0xdf                                ; INVLPGA
	cmp dword [ud_count], 21
	CHECK e, "expected 21 #UD, one per VMX/SVM instruction"
	cmp dword [gp_count], 0
	CHECK e, "a VMX/SVM instruction raised #GP instead of #UD"
	PRINT {"21 VMX/SVM instructions: 21 #UD", 10}

	; EFER.SVME
	mov ecx, 0xc0000080
	rdmsr
	mov [efer_lo], eax
	or eax, 1 << 12
	EXPECT wrmsr
	rdmsr
	cmp eax, [efer_lo]
	CHECK e, "EFER changed after a refused SVME write"
	test eax, 1 << 12
	CHECK z, "EFER.SVME is set"
	; the virtualization-control MSRs: read, then write, each #GP
	mov esi, msr_list
msr_next:	mov ecx, [esi]
	test ecx, ecx
	jz msr_done
	mov eax, 0x5a5a5a5a
	mov edx, eax
	EXPECT rdmsr
	cmp eax, 0x5a5a5a5a             ; a faulting RDMSR leaves EDX:EAX alone
	CHECK e, "a refused RDMSR changed EAX"
	mov eax, 5                      ; FEATURE_CONTROL lock+VMXON outside SMX, VM_CR.SVMDIS...
	xor edx, edx
	EXPECT wrmsr
	mov eax, 0x5a5a5a5a
	EXPECT rdmsr                    ; still nothing there after the write
	add esi, 4
	jmp msr_next
msr_done:
	; CR4.VMXE and CR4.SMXE
	mov eax, cr4
	mov ebx, eax
	or eax, 1 << 13
	EXPECT mov cr4, eax
	mov eax, ebx
	or eax, 1 << 14
	EXPECT mov cr4, eax
	mov eax, cr4
	test eax, 3 << 13
	CHECK z, "CR4.VMXE or SMXE got set"
	cmp dword [ud_count], 21
	CHECK e, "an MSR or CR4 access raised #UD"
	; 1 EFER + 21 MSRs * 3 accesses + 2 CR4 = 66
	cmp dword [gp_count], 1 + 21 * 3 + 2
	CHECK e, "expected 66 #GP from EFER.SVME, 21 MSRs (read, write, read) and CR4"

	; CPUID must still hide VMX and SVM
	mov eax, 1
	cpuid
	test ecx, 1 << 5
	CHECK z, "CPUID.1:ECX.VMX is set"
	mov eax, 0x80000001
	cpuid
	test ecx, 1 << 2
	CHECK z, "CPUID.80000001h:ECX.SVM is set"
	PRINT {"PASS virt_insns", 10}
	EXIT 0

; #UD (vector 6) and #GP (vector 13, with error code): count, resume at [resume].
ud_handler:
	inc dword [ud_count]
	push eax
	mov eax, [resume]
	mov [esp + 4], eax
	pop eax
	iret
gp_handler:
	inc dword [gp_count]
	add esp, 4                      ; error code
	push eax
	mov eax, [resume]
	mov [esp + 4], eax
	pop eax
	iret

resume:	dd 0
ud_count: dd 0
gp_count: dd 0
efer_lo: dd 0
msr_list:
	dd 0x3a                         ; IA32_FEATURE_CONTROL
	dd 0xc0010114                   ; VM_CR
	dd 0xc0010117                   ; VM_HSAVE_PA
%assign m 0x480
%rep 0x492 - 0x480
	dd m                            ; IA32_VMX_BASIC .. IA32_VMX_VMFUNC
%assign m m + 1
%endrep
	dd 0
align 8
idt:	times 6 dq 0
	dw ud_handler, 0x08, 0x8e00, 0  ; vector 6
	times 6 dq 0
	dw gp_handler, 0x08, 0x8e00, 0  ; vector 13
idt_end:
idt_ptr: dw idt_end - idt - 1
	dd idt
%include "lib_code.inc"
