; A Multiboot v1 kernel as an ELF32 executable, the form kvm-unit-tests
; images have: the ELF and program headers are written out here, one
; PT_LOAD segment linked at a high virtual address (0xC0200000) but loaded
; at its physical address (p_paddr 0x200000) with a bss (p_memsz >
; p_filesz), and the entry point given as a virtual address.  The loader
; must use p_paddr, zero the bss and enter at the physical entry point
; (Multiboot 0.6.96 3.1.3 and 3.2; System V ABI "Program Loading").
; test-cmdline: boot=multiboot
; test-module: kernel elf
; test-expect: mb-elf: entered at the physical entry point
; test-expect: PASS mbelf
; test-status: 0
%include "lib.inc"
MB_MAGIC equ 0x1BADB002
MB_FLAGS equ 0x00000003       ; page-aligned modules, memory info; no a.out kludge
MB_BOOT_MAGIC equ 0x2BADB002
PADDR equ 0x200000
VADDR equ 0xC0200000

bits 32
org PADDR                     ; paging is off: the code runs where it is loaded
ehdr:
	db 0x7f, "ELF", 1, 1, 1, 0   ; ELFCLASS32, little-endian, version 1
	times 8 db 0
	dw 2, 3                      ; ET_EXEC, EM_386
	dd 1                         ; e_version
	dd VADDR + (start - ehdr)    ; e_entry: a virtual address
	dd phdr - ehdr, 0, 0         ; e_phoff, e_shoff, e_flags
	dw 52, 32, 1, 0, 0, 0        ; e_ehsize, e_phentsize, e_phnum, no sections
phdr:
	dd 1, 0, VADDR, PADDR        ; PT_LOAD from file offset 0
	dd file_end - ehdr, mem_end - ehdr   ; p_filesz, p_memsz (with the bss)
	dd 7, 0x1000                 ; RWX, page-aligned
mbheader:
	dd MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)

start:
	mov esp, stack_top
	cmp eax, MB_BOOT_MAGIC
	CHECK e, "EAX holds 0x2BADB002"
	call .here                   ; where are we really running?
.here:	pop eax
	cmp eax, .here
	CHECK e, "entered at the physical address"
	PRINT {"mb-elf: entered at the physical entry point", 10}
	mov edi, bss_start
	mov ecx, bss_data_end - bss_start
	xor eax, eax
	repe scasb
	CHECK e, "the bss is zeroed"
	cmp dword [ebx + 8], 0       ; mem_upper
	CHECK ne, "mem_upper is set"
	PRINT {"PASS mbelf", 10}
	EXIT 0

%include "lib_code.inc"
file_end:

section .bss
bss_start:
	resb 256                     ; must be zero; the stack below is in use
bss_data_end:
	resb 4096
stack_top:
mem_end:
