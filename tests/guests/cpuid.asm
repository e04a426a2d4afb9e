; CPUID as lamina shows it: the hypervisor bit and lamina's leaf
; 4000_0000h, with VMX, SVM and the local APIC hidden.
; test-cmdline:
; test-module: guest
; test-expect: PASS cpuid
; test-status: 0
%include "lib.inc"
org 0x7c00
bits 16
	xor ax, ax
	mov ds, ax
	mov ss, ax
	mov sp, 0x7000

	mov eax, 1
	cpuid
	test ecx, 1 << 31
	CHECK nz, "hypervisor bit (CPUID.1:ECX[31]) is clear"
	test ecx, 1 << 5
	CHECK z, "VMX is visible (CPUID.1:ECX[5])"
	test edx, 1 << 9
	CHECK z, "the local APIC is visible (CPUID.1:EDX[9])"

	mov eax, 0x80000001
	cpuid
	test ecx, 1 << 2
	CHECK z, "SVM is visible (CPUID.80000001h:ECX[2])"

	mov eax, 0x40000000
	cpuid
	cmp eax, 0x40000000
	CHECK e, "leaf 40000000h does not give its own maximum"
	cmp ebx, 'lami'
	CHECK e, "leaf 40000000h EBX is not 'lami'"
	cmp ecx, 'na'
	CHECK e, "leaf 40000000h ECX is not 'na'"
	cmp edx, 0
	CHECK e, "leaf 40000000h EDX is not 0"

	PRINT {"PASS cpuid", 10}
	EXIT 0
%include "lib_code.inc"
