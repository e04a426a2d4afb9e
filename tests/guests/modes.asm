; The road every PC operating system takes: real mode -> 32-bit
; protected mode -> long mode (SDM Vol. 3A 10.8.5 and 10.9), with an
; EFER write (emulated by lamina) and a CR0.PG write in between, and
; CPUID and port I/O working in each mode.
; test-cmdline:
; test-module: guest
; test-expect: real mode ok\s+protected mode ok\s+long mode ok
; test-expect: PASS modes
; test-status: 0
%include "lib.inc"
PML4 equ 0x20000
PDPT equ 0x21000
PD   equ 0x22000

org 0x7c00
bits 16
	cli
	xor ax, ax
	mov ds, ax
	mov ss, ax
	mov sp, 0x7000
	PRINT {"real mode ok", 10}
	lgdt [gdt_ptr]
	mov eax, cr0
	or eax, 1
	mov cr0, eax
	jmp 0x08:prot

bits 32
prot:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov esp, 0x7000
	PRINT {"protected mode ok", 10}
	; 4-level tables: the first GiB identity-mapped with 2 MiB pages
	mov edi, PML4
	xor eax, eax
	mov ecx, 3 * 1024
	rep stosd
	mov dword [PML4], PDPT | 3
	mov dword [PDPT], PD | 3
	mov edi, PD
	mov eax, 0x83                   ; present, writable, 2 MiB
	mov ecx, 512
.pd:	mov [edi], eax
	add eax, 0x200000
	add edi, 8
	loop .pd
	mov eax, cr4
	or eax, 1 << 5                  ; PAE
	mov cr4, eax
	mov eax, PML4
	mov cr3, eax
	mov ecx, 0xc0000080             ; EFER.LME
	rdmsr
	or eax, 1 << 8
	wrmsr
	mov eax, cr0
	or eax, 1 << 31                 ; PG: now IA-32e mode is active
	mov cr0, eax
	mov ecx, 0xc0000080
	rdmsr
	test eax, 1 << 10
	CHECK nz, "EFER.LMA is not set after CR0.PG"
	jmp 0x18:long_mode

bits 64
long_mode:
	mov ax, 0x10
	mov ds, ax
	mov ss, ax
	PRINT {"long mode ok", 10}
	mov eax, 0x40000000
	cpuid
	cmp ebx, 'lami'
	CHECK e, "CPUID leaf 40000000h in long mode"
	mov rax, 0x1122334455667788
	mov rbx, rax
	out 0xe0, eax
	in eax, 0xe0                    ; zero-extends into RAX
	cmp rax, 0x55667788
	CHECK e, "IN EAX in 64-bit mode did not zero-extend RAX"
	mov rcx, 0x1122334455667788
	cmp rbx, rcx
	CHECK e, "RBX changed across exits"
	PRINT {"PASS modes", 10}
	EXIT 0

align 8
gdt:	dq 0
	dq 0x00cf9a000000ffff           ; 0x08 32-bit code
	dq 0x00cf92000000ffff           ; 0x10 data
	dq 0x00af9a000000ffff           ; 0x18 64-bit code
gdt_end:
gdt_ptr: dw gdt_end - gdt - 1
	dd gdt
%include "lib_code.inc"
