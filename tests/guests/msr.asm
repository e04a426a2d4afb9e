; RDMSR/WRMSR: MSRs lamina emulates read back what was written, and the
; ones it refuses (unknown, virtualization control, invalid values such
; as a reserved PAT type or a non-canonical LSTAR) raise
; #GP in the guest, delivered to the guest's own handler.
; test-cmdline: guest.mode=prot
; test-module: guest
; test-expect: PASS msr
; test-status: 0
%include "lib.inc"
org 0x7c00
bits 32
	mov esp, 0x7000
	lidt [idt_ptr]

	mov ecx, 0x174                  ; IA32_SYSENTER_CS
	mov eax, 0x1234
	xor edx, edx
	wrmsr
	xor eax, eax
	rdmsr
	cmp eax, 0x1234
	CHECK e, "IA32_SYSENTER_CS does not read back"
	mov ecx, 0x277                  ; IA32_PAT: power-on value
	rdmsr
	cmp eax, 0x00070406
	CHECK e, "IA32_PAT low half is not the power-on value"
	cmp edx, 0x00070406
	CHECK e, "IA32_PAT high half is not the power-on value"
	mov ecx, 0xc0000080             ; EFER: SVME must not show
	rdmsr
	test eax, 1 << 12
	CHECK z, "EFER.SVME is visible"
	cmp dword [gp_count], 0
	CHECK e, "a #GP came from a valid MSR access"

	mov ecx, 0x277                  ; PAT entry 0 = 2 (reserved type)
	mov eax, 0x00070402
	mov edx, 0x00070406
	wrmsr
	mov ecx, 0xc0de0000             ; no such MSR
	rdmsr
	mov ecx, 0xc0010117             ; VM_HSAVE_PA
	xor eax, eax
	wrmsr
	mov ecx, 0xc0010114             ; VM_CR
	rdmsr
	mov ecx, 0x480                  ; IA32_VMX_BASIC
	rdmsr
	mov ecx, 0xc0000080             ; EFER.SVME
	mov eax, 1 << 12
	xor edx, edx
	wrmsr
	mov ecx, 0xc0000082             ; IA32_LSTAR: non-canonical address
	xor eax, eax
	mov edx, 0x00008000
	wrmsr
	cmp dword [gp_count], 7
	CHECK e, "expected exactly 7 #GP from refused MSR accesses"
	mov ecx, 0x277
	rdmsr
	cmp eax, 0x00070406
	CHECK e, "a refused PAT write changed PAT"

	PRINT {"PASS msr", 10}
	EXIT 0

; #GP handler: count, then skip the 2-byte RDMSR/WRMSR that faulted.
gp_handler:
	inc dword [gp_count]
	add dword [esp + 4], 2          ; [esp] = error code, [esp+4] = EIP
	add esp, 4
	iret

gp_count: dd 0
align 8
idt:	times 13 dq 0
	dw gp_handler, 0x08, 0x8e00, 0  ; vector 13: 32-bit interrupt gate
idt_end:
idt_ptr: dw idt_end - idt - 1
	dd idt
%include "lib_code.inc"
